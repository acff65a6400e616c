/**
 * connection-events on a burst of disconnects for one channel (issue 11): one CloudWatch Logs
 * batch of N disconnect entries through the built bundle, against moto (DynamoDB, SQS, SSM,
 * Secrets Manager behind the delay proxy) and the Slack fake. With the fake's 'ratelimit'
 * fault (a burst, then 429 Retry-After 1 on every call) and a retry queue, every notification
 * must end posted or queued, and the batch must not wait out any Retry-After.
 */
import { readFileSync } from 'node:fs';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { ROOT } from '../scripts/bundle.ts';
import { receiveAll, type AwsClients } from '../test/support/aws.ts';
import { dataMessage, subscriptionEvent } from '../test/support/awslogs.ts';
import type { FaultProxy } from '../test/support/fault-proxy.ts';
import { batchLogs, EVENTS_BUNDLE, invocationLogs, runBundle, type InvocationResult } from '../test/support/invoke.ts';
import type { SlackFake } from '../test/support/slack-fake.ts';

export interface EventsBenchSetup {
  readonly aws: AwsClients;
  /** Delay proxy in front of moto (every AWS call of the bundles goes through it). */
  readonly proxy: FaultProxy;
  readonly slack: SlackFake;
  readonly D: number;
  /** The connect event of the fixtures; each connect of the threaded case gets its own id. */
  readonly connectEvent: Record<string, unknown>;
  readonly retryQueueUrl: string;
  readonly sessionTable: string;
  /** The bundles' environment (Slack channel, token, topic, proxy endpoint) plus these. */
  env(over?: Record<string, string>): Record<string, string>;
}

/** top-level: session table on, no items (one post each); threaded: an item each (reply + update); no-table: SESSION_TABLE_NAME unset. */
export type BatchCase = 'top-level' | 'threaded' | 'no-table';

export interface BatchFigures {
  readonly case: BatchCase;
  readonly slackFault: 'ok' | 'ratelimit';
  readonly entries: number;
  /** Slack deliveries the batch had to make (posts, replies, updates). */
  readonly expected: number;
  readonly sent: number;
  readonly queued: number;
  readonly lost: number;
  /** Accepted by the Slack fake, and on the retry queue afterwards: the outside view of sent and queued. */
  readonly slackAccepted: number;
  readonly onQueue: number;
  /** DynamoDB requests the batch made (claims: UpdateItem, plus GetItem when there is no item). */
  readonly tableCalls: number;
  /** Handler call → answer, in a fresh process (the first settings and token reads included). */
  readonly wallMs: number;
  /** Longest single Slack delivery that ended rate-limited: a slept Retry-After would show here as ≥ 1000 ms. */
  readonly longestRateLimitedMs: number;
  /** Retry-After seconds the 429s asked for in total: what sleeping through them would have cost, at least, spread over the slots. */
  readonly retryAfterTotalS: number;
  readonly threw?: string;
}

const disconnectFixture = JSON.parse(readFileSync(`${ROOT}test/fixtures/connection-log/disconnect.json`, 'utf8')) as Record<string, string>;

type ChannelLog = { status?: string; reason?: string; durationMs?: number; retry?: string };
type BatchLine = { NotificationsSent?: number; RetriesQueued?: number; NotificationsLost?: number; notifications?: { channels?: Record<string, ChannelLog> }[] };

let runSerial = 0;

/**
 * One batch of `entries` disconnects. 'threaded' first connects that many users through the
 * connect handler bundle (one process, all at once, no injected delay: that is setup), so each
 * disconnect finds its session item and makes a thread reply and a parent update.
 */
export async function measureBatch(setup: EventsBenchSetup, kind: BatchCase, slackFault: 'ok' | 'ratelimit', entries: number, burst: number): Promise<BatchFigures> {
  runSerial += 1;
  const ids = Array.from({ length: entries }, (_, i) => `cvpn-connection-0${runSerial.toString(16)}${i.toString(16).padStart(8, '0')}`);
  const { aws, proxy, slack, D } = setup;
  await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: setup.retryQueueUrl }));

  if (kind === 'threaded') await connectAll(setup, ids);

  slack.reset();
  slack.fault = slackFault;
  slack.burst = burst;
  proxy.delayMs = D;
  slack.delayMs = D;
  const entriesJson = ids.map((id, i) => ({ ...disconnectFixture, 'connection-id': id, username: `user${i}`, 'common-name': `user${i}.example.com` }));
  const event = subscriptionEvent(dataMessage(entriesJson));
  const env = setup.env({ RETRY_QUEUE_URL: setup.retryQueueUrl, ...(kind === 'no-table' ? {} : { SESSION_TABLE_NAME: setup.sessionTable }) });
  proxy.requests.length = 0;
  const run = await runBundle(env, [{ event }], EVENTS_BUNDLE);
  const tableCalls = proxy.requests.filter((target) => target.startsWith('DynamoDB_')).length;
  const result = run.results[0] as InvocationResult;
  const line = batchLogs(run)[0] as BatchLine | undefined;
  if (!line) throw new Error(`connection-events wrote no batch line: ${run.stdout.slice(0, 2000)}`);

  const deliveries = (line.notifications ?? []).flatMap((n) => Object.values(n.channels ?? {}));
  const rateLimited = deliveries.filter((d) => d.status === 'failed' && /ratelimited/.test(d.reason ?? ''));
  const retryAfterTotalS = rateLimited.reduce((sum, d) => sum + Number(/Retry-After (\d+)/.exec(d.reason ?? '')?.[1] ?? 0), 0);
  // Every message on the queue, received (not deleted) once its Retry-After delay has passed:
  // an exact count, where the queue's Approximate* attributes may miss one in transition.
  const onQueue = (await receiveAll(aws, setup.retryQueueUrl, 3000, line.RetriesQueued ?? 0)).length;

  return {
    case: kind,
    slackFault,
    entries,
    expected: deliveries.length,
    sent: line.NotificationsSent ?? 0,
    queued: line.RetriesQueued ?? 0,
    lost: line.NotificationsLost ?? 0,
    slackAccepted: slack.calls.length,
    onQueue,
    tableCalls,
    wallMs: result.ms,
    longestRateLimitedMs: Math.max(0, ...rateLimited.map((d) => d.durationMs ?? 0)),
    retryAfterTotalS,
    ...(result.threw ? { threw: result.threw } : {}),
  };
}

/** Setup for the threaded case: every id connects (Slack post + session item), all at once, no delay. */
async function connectAll(setup: EventsBenchSetup, ids: readonly string[]): Promise<void> {
  const { proxy, slack } = setup;
  proxy.delayMs = 0;
  slack.delayMs = 0;
  slack.reset();
  const events = ids.map((id, i) => ({ ...setup.connectEvent, 'connection-id': id, username: `user${i}`, 'common-name': `user${i}.example.com` }));
  const run = await runBundle(setup.env({ SESSION_TABLE_NAME: setup.sessionTable, NOTIFY_BUDGET_MS: '20000' }), [{ parallel: events }]);
  const written = invocationLogs(run).filter((line) => (line.session as { state?: string } | undefined)?.state === 'done').length;
  if (written !== ids.length) throw new Error(`threaded setup: ${written} of ${ids.length} session items written`);
}
