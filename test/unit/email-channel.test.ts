import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmailChannel, SNS_MESSAGE_MAX_BYTES, snsPublisher } from '../../src/channels/email.ts';
import type { DeliveryContext } from '../../src/channels/channel.ts';

const sns = mockClient(SNSClient);
const ctx = (): DeliveryContext => ({ signal: AbortSignal.timeout(2000), readBy: Date.now() + 1000 });
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:vpn';
const payload = { topicArn: TOPIC, subject: 'S', message: 'M', endpointId: 'cvpn-endpoint-1' };
const channel = () => new EmailChannel(snsPublisher(new SNSClient({ region: 'us-east-1' })), TOPIC);
const awsError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('EmailChannel', () => {
  beforeEach(() => sns.reset());

  it('publishes subject, message and filterable attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    expect(await channel().deliver(payload, ctx())).toEqual({ status: 'sent', id: 'm-1' });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: 'S',
      Message: 'M',
      MessageAttributes: {
        'event-type': { DataType: 'String', StringValue: 'connect' },
        'endpoint-id': { DataType: 'String', StringValue: 'cvpn-endpoint-1' },
      },
    });
  });

  it('omits endpoint-id when the event had none (SNS refuses empty values)', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await channel().deliver({ ...payload, endpointId: '' }, ctx());
    expect(Object.keys(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes ?? {})).toEqual(['event-type']);
  });

  it('cuts a huge message on a UTF-8 boundary under the SNS limit', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-3' });
    await channel().deliver({ ...payload, message: '日本'.repeat(100_000) }, ctx());
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(message.endsWith('…')).toBe(true);
    expect(message).not.toContain('\uFFFD');
  });

  it.each([
    ['Throttling', 400, true],
    ['InternalError', 500, true],
    ['NotFound', 404, false],
    ['AuthorizationError', 403, false],
    ['InvalidParameter', 400, false],
  ])('%s (HTTP %i) is retryable=%s', async (name, status, retryable) => {
    sns.on(PublishCommand).rejects(awsError(name, status));
    expect(await channel().deliver(payload, ctx())).toMatchObject({ status: 'failed', retryable });
  });

  it('a network error is retryable', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    expect(await channel().deliver(payload, ctx())).toMatchObject({ status: 'failed', retryable: true });
  });

  it('the Publish is aborted by its delivery while it runs, and released from it once it has ended', async () => {
    const sdkSignal = (call: number) => ((sns.commandCalls(PublishCommand)[call]?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm-4' }).callsFake(() => new Promise(() => undefined));
    const answered = new AbortController();
    await channel().deliver(payload, { signal: answered.signal, readBy: Date.now() + 1000 });
    answered.abort(new Error('answered'));
    expect(sdkSignal(0)?.aborted).toBe(false);

    const deadline = new AbortController();
    void channel().deliver(payload, { signal: deadline.signal, readBy: Date.now() + 1000 });
    await expect.poll(() => sns.commandCalls(PublishCommand).length).toBe(2);
    expect(sdkSignal(1)?.aborted).toBe(false);
    deadline.abort(new Error('deadline'));
    expect(sdkSignal(1)?.aborted).toBe(true);
  });

  it('is skipped without a topic', async () => {
    const off = new EmailChannel(snsPublisher(new SNSClient({ region: 'us-east-1' })), undefined);
    expect(await off.deliver(payload, ctx())).toEqual({ status: 'skipped', reason: 'SNS_TOPIC_ARN is not set' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
