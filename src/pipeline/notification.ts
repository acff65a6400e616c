import type { EventKind } from '../base/contract.ts';

/**
 * One thing to tell people about, whatever its source (a connect event, a connection-log
 * entry): its kind, who it concerns, and the context its templates render with.
 */
export interface Notification {
  readonly kind: EventKind;
  readonly connectionId: string;
  readonly endpointId: string;
  /** What routing looks at (contract section 13). */
  readonly subject: RoutingSubject;
  /** The template context (contract sections 7 and 11), before per-destination additions. */
  readonly context: object;
}

export interface RoutingSubject {
  readonly kind: EventKind;
  readonly endpointId: string;
  readonly groups: readonly string[];
  readonly username: string;
  readonly commonName: string;
}
