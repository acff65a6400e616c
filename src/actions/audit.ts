import { METRICS } from '../base/contract.ts';
import { emfFields } from '../base/metrics.ts';
import type { LogLine } from '../base/log.ts';
import type { RefusalReason } from './authorize.ts';
import type { SlackUser } from './parse.ts';
import type { ReplyOutcome } from './slack-replies.ts';

/**
 * One JSON line per decision (contract section 15): who asked, for what, on which session,
 * whether it was allowed and why not, what EC2 and Slack said. The counters ride on the same
 * line in CloudWatch Embedded Metric Format, so alarms need no extra call.
 */
export type AuditAction = 'disconnect' | 'who' | 'help';

export interface AuditEntry {
  readonly action: AuditAction;
  readonly user: SlackUser;
  readonly endpointId?: string;
  readonly connectionId?: string;
  readonly decision: 'allowed' | 'refused';
  readonly reason?: RefusalReason;
  /** EC2's answer: for a disconnect one result, for `who` one per endpoint. */
  readonly ec2?: unknown;
  /** How the answer reached Slack beyond the HTTP response (thread reply, response_url). */
  readonly reply?: { readonly via: 'thread' | 'response_url'; readonly outcome: ReplyOutcome; readonly fallbackFrom?: ReplyOutcome };
  readonly durationMs: number;
}

type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** EMF fields for counters on this line (all dimensioned by Service, like the connect handler's). */
export function countMetrics(counts: Partial<Record<MetricName, number>>): Record<string, unknown> {
  return emfFields(Object.fromEntries(Object.entries(counts).map(([name, value]) => [name, { value: value ?? 0, unit: 'Count' as const }])));
}

/** Keeps a Slack-supplied handle from bloating or forging log structure. */
const clip = (value: string): string => value.slice(0, 100);

export function auditLine(entry: AuditEntry): LogLine {
  const refused = entry.decision === 'refused';
  const ec2Status = entry.action === 'disconnect' && entry.ec2 && typeof entry.ec2 === 'object' ? (entry.ec2 as { status?: string }).status : undefined;
  const metrics =
    entry.action === 'disconnect'
      ? countMetrics({
          [METRICS.actionRefusals]: refused ? 1 : 0,
          [METRICS.terminations]: ec2Status === 'ok' ? 1 : 0,
          [METRICS.terminationFailures]: !refused && ec2Status !== 'ok' ? 1 : 0,
        })
      : {};
  return {
    level: refused ? 'WARN' : 'INFO',
    message: `slack action ${entry.action} ${entry.decision}${entry.reason ? ` (${entry.reason})` : ''}`,
    audit: {
      action: entry.action,
      user: { id: clip(entry.user.id), name: clip(entry.user.name) },
      ...(entry.endpointId !== undefined ? { endpointId: entry.endpointId } : {}),
      ...(entry.connectionId !== undefined ? { connectionId: entry.connectionId } : {}),
      decision: entry.decision,
      ...(entry.reason ? { reason: entry.reason } : {}),
      ...(entry.ec2 !== undefined ? { ec2: entry.ec2 } : {}),
      ...(entry.reply ? { reply: entry.reply } : {}),
    },
    durationMs: entry.durationMs,
    ...metrics,
  };
}

/** The one WARN line of a request that failed verification: why, and from where; never the body. */
export function unverifiedLine(reason: string, sourceIp: string): LogLine {
  return {
    level: 'WARN',
    message: `slack request refused (401): ${reason}`,
    sourceIp,
    ...countMetrics({ [METRICS.unverifiedRequests]: 1 }),
  };
}
