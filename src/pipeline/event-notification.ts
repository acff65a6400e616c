import type { Config } from '../base/config.ts';
import type { ConnectionEventKind } from '../events/classify.ts';
import { buildEventContext, type EventTemplateContext } from '../events/context.ts';
import type { ConnectionLogEntry } from '../events/entry.ts';
import type { Notification } from './notification.ts';

/** The parse step for connection-events: a classified connection-log entry as a notification. */
export function eventNotification(entry: ConnectionLogEntry, kind: ConnectionEventKind, logTimestampMs: number | null, config: Config, connect?: Readonly<Record<string, unknown>>): Notification & { readonly context: EventTemplateContext } {
  const context = buildEventContext(entry, kind, logTimestampMs, config.timeZone, config.region, connect);
  // A disconnect routes by its connect's groups when known, else none (contract section 13).
  const groups = Array.isArray(connect?.groups) ? connect.groups.filter((group): group is string => typeof group === 'string') : [];
  return {
    kind,
    connectionId: context.connectionId,
    endpointId: context.endpointId,
    subject: { kind, endpointId: context.endpointId, groups, username: context.username, commonName: context.commonName },
    context,
  };
}

/**
 * The connect notification re-rendered for a disconnect (section 12): the stored connect
 * context with the session's end, so the parent message becomes the session's status line.
 */
export function disconnectedParent(stored: Readonly<Record<string, unknown>>, ended: EventTemplateContext): Notification {
  const context = {
    ...stored,
    kind: 'connect',
    status: 'disconnected',
    endTime: ended.endTime,
    localEndTime: ended.localEndTime,
    duration: ended.duration,
    durationSeconds: ended.durationSeconds,
    ingressBytes: ended.ingressBytes,
    egressBytes: ended.egressBytes,
  };
  const text = (key: string): string => (typeof stored[key] === 'string' ? (stored[key] as string) : '');
  return {
    kind: 'connect',
    connectionId: ended.connectionId || text('connectionId'),
    endpointId: ended.endpointId || text('endpointId'),
    subject: { kind: 'connect', endpointId: text('endpointId'), groups: Array.isArray(stored.groups) ? (stored.groups as string[]) : [], username: text('username'), commonName: text('commonName') },
    context,
  };
}
