import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** Test-side AWS clients talking straight to moto_server (not through the fault proxies). */
export function awsClients(motoUrl: string) {
  const config = { region: 'us-east-1', endpoint: motoUrl, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return { sns: new SNSClient(config), sqs: new SQSClient(config), ssm: new SSMClient(config), secrets: new SecretsManagerClient(config), dynamodb: new DynamoDBClient(config) };
}
export type AwsClients = ReturnType<typeof awsClients>;

export const TEST_ENV_CREDENTIALS = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
};

/** A topic with an SQS queue subscribed, so a test can read what was published. */
export async function topicWithQueue(aws: AwsClients, name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }));
  const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await aws.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  return { topicArn: TopicArn!, queueUrl: QueueUrl! };
}

export interface SnsEnvelope {
  Subject?: string;
  Message: string;
  TopicArn: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/** Everything published to the topic so far, as the SQS subscriber got it; the queue is emptied. */
export async function drainTopic(aws: AwsClients, queueUrl: string): Promise<SnsEnvelope[]> {
  const out: SnsEnvelope[] = [];
  for (;;) {
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return out;
    for (const message of Messages) out.push(JSON.parse(message.Body ?? '{}') as SnsEnvelope);
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/** Receives at most this many batches in one call: a queue that keeps answering must not keep a test looping. */
const MAX_RECEIVES = 100;

/**
 * Receives every visible message (polling up to `waitMs` for delayed ones to show), without
 * deleting. A message seen again (its visibility timeout ran out while polling) counts once,
 * with its latest receipt handle, and brings nothing new: it ends the poll like an empty answer.
 */
export async function receiveAll(aws: AwsClients, queueUrl: string, waitMs = 0, expected = 1): Promise<Message[]> {
  const seen = new Map<string, Message>();
  const until = Date.now() + waitMs;
  for (let receives = 0; receives < MAX_RECEIVES; receives += 1) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    const before = seen.size;
    for (const message of Messages) seen.set(message.MessageId!, message);
    const fresh = seen.size - before;
    if (fresh === 0 && (seen.size >= expected || Date.now() >= until)) return [...seen.values()];
    if (fresh === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`receiveAll: still receiving after ${MAX_RECEIVES} batches (${seen.size} distinct messages)`);
}

/**
 * Takes exactly `count` messages off the queue (receive, then delete, so none comes back),
 * long-polling for delayed ones. Each receive waits at most `pollSeconds` for a message: a
 * queue that holds fewer than `count` fails the call instead of hanging the test.
 */
export async function takeMessages(aws: AwsClients, queueUrl: string, count: number, pollSeconds = 5): Promise<Message[]> {
  const taken: Message[] = [];
  while (taken.length < count) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, count - taken.length), WaitTimeSeconds: pollSeconds }),
    );
    if (Messages.length === 0) throw new Error(`takeMessages: ${taken.length} of ${count} messages, then none within ${pollSeconds} s`);
    taken.push(...Messages);
    await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  return taken;
}

/** The SQS event Lambda's event source mapping would hand the worker for these messages. */
export function sqsEvent(messages: Message[]) {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:retry',
      awsRegion: 'us-east-1',
    })),
  };
}

export async function createSecret(aws: AwsClients, name: string, value: string): Promise<string> {
  const { ARN } = await aws.secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return ARN!;
}

export async function putTemplate(aws: AwsClients, name: string, value: string): Promise<void> {
  await aws.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
}

export async function deleteTemplate(aws: AwsClients, name: string): Promise<void> {
  await aws.ssm.send(new DeleteParameterCommand({ Name: name })).catch(() => undefined);
}
