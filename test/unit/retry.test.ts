import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import type { SQSEvent } from 'aws-lambda';
import { parseConfig } from '../../src/base/config.ts';
import type { Channel, ChannelRegistry, ChannelResult, DeliveryContext, EmailPayload, SlackPayload } from '../../src/channels/channel.ts';
import { FakeChannel } from '../support/fake-channel.ts';
import { createConnectHandler } from '../../src/handler/connect.ts';
import type { LogLine } from '../../src/base/log.ts';
import { decodeRetryMessage, MalformedRetryMessage } from '../../src/retry/message.ts';
import type { QueuedItem, RetryQueue } from '../../src/retry/queue.ts';
import { createRetryWorker, deferSeconds } from '../../src/worker/worker.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };

beforeAll(async () => {
  await loadTemplateEngine();
});

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };

function channel<P>(name: 'slack' | 'email', behave: (payload: P, ctx: DeliveryContext) => Promise<ChannelResult>): FakeChannel<P> {
  return new FakeChannel<P>(name, behave);
}
const sent = async (): Promise<ChannelResult> => ({ status: 'sent' });
const hang = (_: unknown, ctx: DeliveryContext) => new Promise<ChannelResult>((resolve) => ctx.signal.addEventListener('abort', () => resolve({ status: 'timedOut', reason: 'aborted' })));

function recordingQueue(behave: 'ok' | 'throw' | 'hang' | 'partial' = 'ok'): RetryQueue & { items: QueuedItem[] } {
  const items: QueuedItem[] = [];
  return {
    items,
    async send(batch, signal) {
      if (behave === 'throw') throw Object.assign(new Error('Access to the resource is denied'), { name: 'AccessDenied' });
      if (behave === 'hang') return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      if (behave === 'partial') return batch.map((item) => ({ item, reason: 'InternalError: try later' }));
      items.push(...batch);
      return [];
    },
  };
}

function handlerWith(slack: Channel, email: Channel, queue: RetryQueue | undefined, budget = '600') {
  const logs: LogLine[] = [];
  const config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C1', NOTIFY_BUDGET_MS: budget, RETRY_QUEUE_URL: queue ? 'http://q' : '' }).config;
  const inner = createConnectHandler({ config, settings: undefined, channels: { slack, email } as ChannelRegistry, retryQueue: queue, log: (l) => logs.push(l) });
  // On vitest's fake time: the invocation runs to its end, and budgets are read from the log line.
  const handler = async (event: unknown, context?: object) => {
    const answer = inner(event, context as never);
    await vi.runAllTimersAsync();
    return answer;
  };
  return { handler, logs };
}

describe('connect handler with a retry queue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues the hanging channel’s rendered payload before answering, within the budget', async () => {
    const queue = recordingQueue();
    const slack = channel<SlackPayload>('slack', hang);
    const { handler, logs } = handlerWith(slack, channel<EmailPayload>('email', sent), queue);
    expect(await handler(v2, { getRemainingTimeInMillis: () => 30_000 })).toEqual(ALLOW);
    expect(logs[0]?.durationMs).toBeLessThanOrEqual(600);
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]?.message).toMatchObject({ version: 1, channel: 'slack', connectionId: 'cvpn-connection-0123', attempts: 1, payload: { channel: 'C1', text: slack.seen[0]?.text } });
    expect(logs[0]).toMatchObject({ channels: { slack: { status: 'timedOut', retry: 'queued' }, email: { status: 'sent' } }, RetriesQueued: 1, NotificationsLost: 0 });
  });

  it('queues a quick failure at once, not after the slowest delivery: a slow SQS still makes it', async () => {
    const items: QueuedItem[] = [];
    // SQS answers after 300 ms; the queueing share of a 1000 ms budget is only 150 ms.
    const slowQueue: RetryQueue = { send: (batch) => new Promise((resolve) => setTimeout(() => (items.push(...batch), resolve([])), 300)) };
    const quick429 = channel<SlackPayload>('slack', async () => ({ status: 'failed', retryable: true, reason: 'ratelimited', retryAfterSeconds: 1 }));
    const { handler, logs } = handlerWith(quick429, channel('email', hang), slowQueue, '1000');
    await handler(v2);
    expect(items[0]?.message.channel).toBe('slack');
    // The email delivery ran to its end of the window: its queueing had only the share left, too short for this SQS.
    expect(logs.find((l) => 'channels' in l)).toMatchObject({ channels: { slack: { retry: 'queued' }, email: { status: 'timedOut', retry: 'not-queued' } }, RetriesQueued: 1 });
  });

  it('does not queue permanent failures', async () => {
    const queue = recordingQueue();
    const { handler, logs } = handlerWith(channel('slack', async () => ({ status: 'failed', retryable: false, reason: 'channel_not_found' })), channel('email', sent), queue);
    await handler(v2);
    expect(queue.items).toHaveLength(0);
    expect(logs[0]).toMatchObject({ channels: { slack: { status: 'failed', retryable: false } }, RetriesQueued: 0 });
  });

  it('passes Slack’s Retry-After on as a delay', async () => {
    const queue = recordingQueue();
    const { handler } = handlerWith(channel('slack', async () => ({ status: 'failed', retryable: true, reason: 'ratelimited', retryAfterSeconds: 30 })), channel('email', sent), queue);
    await handler(v2);
    expect(queue.items[0]?.delaySeconds).toBe(30);
  });

  it.each(['throw', 'hang', 'partial'] as const)('when queueing fails (%s), one ERROR line per payload holds it, on time', async (behave) => {
    const { handler, logs } = handlerWith(
      channel('slack', async () => ({ status: 'failed', retryable: true, reason: 'HTTP 503' })),
      channel('email', async () => ({ status: 'failed', retryable: true, reason: 'Throttling' })),
      recordingQueue(behave),
    );
    expect(await handler(v2)).toEqual(ALLOW);
    expect(logs.find((l) => 'channels' in l)?.durationMs).toBeLessThanOrEqual(600);
    const errors = logs.filter((l) => l.level === 'ERROR');
    expect(errors.map((e) => e.channel).sort()).toEqual(['email', 'slack']);
    const slackLine = errors.find((e) => e.channel === 'slack');
    expect(slackLine).toMatchObject({ connectionId: 'cvpn-connection-0123', reason: 'HTTP 503', retryMessage: { payload: { channel: 'C1' } }, UndeliveredPayloadsLogged: 1 });
    expect(String((slackLine?.retryMessage as { payload: { text: string } }).payload.text)).toContain('alice');
    expect(logs.find((l) => 'channels' in l)).toMatchObject({ NotificationsLost: 2, channels: { slack: { retry: 'not-queued' } } });
  });

  it('without a queue, failures are only logged (no ERROR payload lines)', async () => {
    const { handler, logs } = handlerWith(channel('slack', async () => ({ status: 'failed', retryable: true, reason: 'HTTP 503' })), channel('email', sent), undefined);
    await handler(v2);
    expect(logs.filter((l) => l.level === 'ERROR')).toEqual([]);
    expect(logs[0]).toMatchObject({ channels: { slack: { status: 'failed', retryable: true } } });
  });
});

const slackMessage = (text = 'hello') => JSON.stringify({ version: 1, channel: 'slack', connectionId: 'c-1', firstFailureAt: '2026-01-01T00:00:00Z', attempts: 1, reason: 'HTTP 503', payload: { channel: 'C1', text } });
const record = (body: string, id = 'm-1') => ({ messageId: id, receiptHandle: `rh-${id}`, body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSEvent['Records'][number];

describe('retry message', () => {
  it('round-trips and refuses what it did not write', () => {
    expect(decodeRetryMessage(slackMessage()).channel).toBe('slack');
    for (const body of ['nope', '{}', '{"version":1}', JSON.stringify({ version: 1, channel: 'fax', connectionId: '', firstFailureAt: '', attempts: 1, reason: '', payload: {} })]) {
      expect(() => decodeRetryMessage(body)).toThrow(MalformedRetryMessage);
    }
  });
});

describe('retry worker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function worker(
    slackResult: () => Promise<ChannelResult>,
    options: { slackRefuses?: string; routesRead?: boolean; ownThread?: (connectionId: string, payload: SlackPayload) => Promise<boolean> } = {},
  ) {
    const logs: LogLine[] = [];
    const deferred: [string, number][] = [];
    const slack = channel<SlackPayload>('slack', slackResult);
    slack.refusal = options.slackRefuses;
    const inner = createRetryWorker({
      channels: { slack, email: channel<EmailPayload>('email', sent) } as ChannelRegistry,
      deliveryTimeoutMs: 500,
      defer: async (rh, s) => {
        deferred.push([rh, s]);
      },
      ...(options.routesRead === undefined ? {} : { beforeBatch: async () => options.routesRead as boolean }),
      ...(options.ownThread ? { ownThread: options.ownThread } : {}),
      log: (l) => logs.push(l),
    });
    // On fake time: whatever the worker waits for, the test reads the time it took from the clock.
    const handler = async (event: SQSEvent, context?: object) => {
      const answer = inner(event, context as never);
      await vi.runAllTimersAsync();
      return answer;
    };
    return { handler, logs, deferred, slack };
  }

  it('re-delivers the stored payload and reports no failure', async () => {
    const { handler, slack } = worker(sent);
    expect(await handler({ Records: [record(slackMessage('original text'))] })).toEqual({ batchItemFailures: [] });
    expect(slack.seen).toEqual([{ channel: 'C1', text: 'original text' }]);
  });

  it('a 429 defers the record by Retry-After and reports it, without sleeping', async () => {
    const { handler, deferred } = worker(async () => ({ status: 'failed', retryable: true, reason: 'ratelimited', retryAfterSeconds: 20 }));
    const started = Date.now();
    expect(await handler({ Records: [record(slackMessage(), 'm-9')] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-9' }] });
    expect(Date.now() - started).toBe(0);
    expect(deferred).toEqual([['rh-m-9', 20]]);
  });

  it('defers by at least Retry-After and a backoff doubling per receive, so a burst does not dead-letter its tail', () => {
    expect([1, 2, 3, 4, 7, 20].map((receives) => deferSeconds(1, receives))).toEqual([15, 30, 60, 120, 900, 900]);
    expect(deferSeconds(120, 1)).toBe(120);
    // 20 receives with Retry-After 1 now span hours, not seconds.
    const total = Array.from({ length: 20 }, (_, i) => deferSeconds(1, i + 1)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3 * 3600);
  });

  it('a permanent failure is removed from the queue with an ERROR line holding the payload', async () => {
    const { handler, logs } = worker(async () => ({ status: 'failed', retryable: false, reason: 'channel_not_found' }));
    expect(await handler({ Records: [record(slackMessage('keep me'))] })).toEqual({ batchItemFailures: [] });
    expect(logs.find((l) => l.level === 'ERROR')).toMatchObject({ retryMessage: { payload: { text: 'keep me' } } });
  });

  it('a malformed record is not retried, and its whole body is logged', async () => {
    const { handler, logs } = worker(sent);
    expect(await handler({ Records: [record('garbage', 'bad')] })).toEqual({ batchItemFailures: [] });
    expect(logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: expect.stringMatching(/malformed retry message/), body: 'garbage' });
  });

  // Issue 10 item 7: whoever can write to the queue must not post as the bot anywhere else.
  it('a record whose destination the configuration does not name is dropped with an ERROR line, never sent', async () => {
    const { handler, logs, slack } = worker(sent, { slackRefuses: 'Slack channel "C0EVIL" is not one the configuration names' });
    expect(await handler({ Records: [record(slackMessage('phish'), 'evil')] })).toEqual({ batchItemFailures: [] });
    expect(slack.seen).toEqual([]);
    expect(logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: expect.stringMatching(/retry refused: Slack channel "C0EVIL"/), retryMessage: { payload: { text: 'phish' } } });
  });

  it('a refused record is handed back, not dropped, when the routes document could not be read to tell', async () => {
    const { handler, slack } = worker(sent, { slackRefuses: 'Slack channel "C0ROUTE" is not one the configuration names', routesRead: false });
    expect(await handler({ Records: [record(slackMessage('route channel'), 'r')] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'r' }] });
    expect(slack.seen).toEqual([]);
  });

  describe('a thread reply or parent update to a channel ID the configuration names by name', () => {
    const refusal = 'Slack channel "C0NAMED" is not one the configuration or the routes document names';
    const threaded = (payload: Partial<SlackPayload>) => {
      const message = JSON.parse(slackMessage('disconnected')) as { payload: SlackPayload };
      return JSON.stringify({ ...message, payload: { ...message.payload, channel: 'C0NAMED', ...payload } });
    };

    it('is delivered when the session table holds that post for the connection', async () => {
      const asked: [string, SlackPayload][] = [];
      const { handler, slack, logs } = worker(sent, { slackRefuses: refusal, ownThread: async (id, payload) => (asked.push([id, payload]), true) });
      expect(await handler({ Records: [record(threaded({ threadTs: '1700.1' }), 'a'), record(threaded({ updateTs: '1700.1' }), 'b')] })).toEqual({ batchItemFailures: [] });
      expect(slack.seen.map((p) => [p.channel, p.threadTs ?? p.updateTs])).toEqual([
        ['C0NAMED', '1700.1'],
        ['C0NAMED', '1700.1'],
      ]);
      expect(asked.map(([, payload]) => payload.threadTs ?? payload.updateTs)).toEqual(['1700.1', '1700.1']);
      expect(logs.filter((l) => l.level === 'ERROR')).toEqual([]);
    });

    it('is refused when it does not: a forged reply into some other thread is never sent', async () => {
      const { handler, slack, logs } = worker(sent, { slackRefuses: refusal, ownThread: async () => false });
      expect(await handler({ Records: [record(threaded({ threadTs: '1.2' }), 'forged')] })).toEqual({ batchItemFailures: [] });
      expect(slack.seen).toEqual([]);
      expect(logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: expect.stringMatching(/^retry refused: Slack channel "C0NAMED"/) });
    });

    it('a top-level post is never let through by the session check', async () => {
      const ownThread = vi.fn(async () => true);
      const { handler, slack } = worker(sent, { slackRefuses: refusal, ownThread });
      await handler({ Records: [record(threaded({}), 'top')] });
      expect(ownThread).not.toHaveBeenCalled();
      expect(slack.seen).toEqual([]);
    });

    it('is handed back, not dropped, when the session table cannot be read', async () => {
      const { handler, slack, logs } = worker(sent, { slackRefuses: refusal, ownThread: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) });
      expect(await handler({ Records: [record(threaded({ threadTs: '1700.1' }), 't')] })).toEqual({ batchItemFailures: [{ itemIdentifier: 't' }] });
      expect(slack.seen).toEqual([]);
      expect(logs.find((l) => l.level === 'WARN')).toMatchObject({ message: expect.stringMatching(/session table could not be read.*ProvisionedThroughputExceededException.*it comes back/) });
    });
  });

  it('hands back untried records when Lambda time runs out', async () => {
    const { handler } = worker(sent);
    const result = await handler({ Records: [record(slackMessage(), 'a'), record(slackMessage(), 'b')] }, { getRemainingTimeInMillis: () => 1000 });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }]);
  });

  // Issue 10 item 8: during an outage every record of a batch gets its attempt within the worker's time.
  it('shares the time left among the records, so each is attempted even when every delivery hangs', async () => {
    const { handler, slack } = worker(() => new Promise(() => undefined));
    const records = ['a', 'b', 'c', 'd'].map((id) => record(slackMessage(id), id));
    // 2 s of margin + 1 s to share: four hanging deliveries of 250 ms each instead of two of 500 ms.
    const result = await handler({ Records: records }, { getRemainingTimeInMillis: () => 3000 });
    expect(slack.seen).toHaveLength(4);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a hanging delivery is cut at the delivery timeout and retried later', async () => {
    const { handler } = worker(() => new Promise(() => undefined));
    const started = Date.now();
    const result = await handler({ Records: [record(slackMessage(), 'h')] });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'h' }] });
    expect(Date.now() - started).toBe(500);
  });
});
