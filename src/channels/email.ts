import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { classifyAwsError } from './aws-errors.ts';
import type { Channel, ChannelLimits, ChannelResult, DeliveryContext, Destination, EmailPayload, MessageMeta, RenderedParts } from './channel.ts';
import { truncateUtf8 } from '../base/text.ts';

import { SNS_ATTRIBUTES, SNS_MESSAGE_MAX_BYTES } from '../base/contract.ts';

export { SNS_MESSAGE_MAX_BYTES };

export interface SnsPublisher {
  publish(input: {
    TopicArn: string;
    Subject: string;
    Message: string;
    MessageAttributes: Record<string, MessageAttributeValue>;
  }, signal: AbortSignal): Promise<string | undefined>;
}

export function snsPublisher(sns: SNSClient): SnsPublisher {
  return {
    async publish(input, signal) {
      // The SDK drops its abort listener only when the request's socket closes, which (on a
      // connection the server closes) can come after the invocation has answered and aborted its
      // deadline: the answer then waited for the SDK to destroy a finished request. A signal of
      // the publish's own, linked only while it runs, leaves the deadline nothing to wake.
      const own = new AbortController();
      const forward = (): void => own.abort(signal.reason);
      if (signal.aborted) forward();
      else signal.addEventListener('abort', forward, { once: true });
      try {
        const out = await sns.send(new PublishCommand(input), { abortSignal: own.signal });
        return out.MessageId;
      } finally {
        signal.removeEventListener('abort', forward);
      }
    },
  };
}

export function publishInput(payload: EmailPayload) {
  const MessageAttributes: Record<string, MessageAttributeValue> = {
    [SNS_ATTRIBUTES.eventType]: { DataType: 'String', StringValue: payload.eventType ?? 'connect' },
  };
  // SNS refuses empty attribute values, so an event without an endpoint id gets none.
  if (payload.endpointId) MessageAttributes[SNS_ATTRIBUTES.endpointId] = { DataType: 'String', StringValue: payload.endpointId };
  if (payload.route) MessageAttributes[SNS_ATTRIBUTES.route] = { DataType: 'String', StringValue: payload.route };
  return {
    TopicArn: payload.topicArn,
    Subject: payload.subject,
    Message: truncateUtf8(payload.message, SNS_MESSAGE_MAX_BYTES),
    MessageAttributes,
  };
}

export class EmailChannel implements Channel<EmailPayload> {
  readonly name = 'email' as const;
  readonly limits: ChannelLimits = { maxText: { amount: SNS_MESSAGE_MAX_BYTES, unit: 'bytes' } };
  readonly parts = ['email-subject', 'email-body'] as const;
  readonly disabledReason: string | undefined;

  constructor(
    private readonly publisher: SnsPublisher,
    private readonly topicArn: string | undefined,
  ) {
    this.disabledReason = topicArn ? undefined : 'SNS_TOPIC_ARN is not set';
  }

  async prepare(): Promise<ChannelResult | undefined> {
    return this.disabledReason ? { status: 'skipped', reason: this.disabledReason } : undefined;
  }

  toPayload(rendered: RenderedParts, destination: Destination, meta: MessageMeta): EmailPayload {
    return {
      topicArn: destination.address,
      subject: rendered['email-subject'] ?? '',
      message: truncateUtf8(rendered['email-body'] ?? '', this.limits.maxText.amount),
      endpointId: meta.endpointId,
      eventType: meta.kind,
      route: destination.route,
    };
  }

  refuses(payload: EmailPayload): string | undefined {
    return payload.topicArn === this.topicArn ? undefined : `SNS topic ${JSON.stringify(payload.topicArn)} is not the configured SNS_TOPIC_ARN`;
  }

  async deliver(payload: EmailPayload, context: DeliveryContext): Promise<ChannelResult> {
    if (this.disabledReason) return { status: 'skipped', reason: this.disabledReason };
    try {
      const id = await this.publisher.publish(publishInput(payload), context.signal);
      return id ? { status: 'sent', id } : { status: 'sent' };
    } catch (error) {
      return classifyAwsError(error, context.signal);
    }
  }
}
