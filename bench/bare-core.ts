/**
 * The bare-SDK baseline of issue 14: what a connect handler costs with nothing but the SDK
 * clients it needs and fetch for Slack. No templates, escaping, retry queue, routing or logging,
 * and no overlap: on the first call it reads [SSM ∥ Secrets Manager], then delivers
 * [SNS ∥ Slack chat.postMessage], then answers allow; later calls reuse the reads. With an
 * `afterSlack` step (the session write, bench/bare-table-handler.ts) the Slack leg becomes
 * Slack → that step, the email still beside it. Not shipped.
 *
 * It fails loudly when a delivery or the step fails: a baseline that silently skipped one would
 * look fast.
 */
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

export type BareEvent = Record<string, unknown>;

/** Where Slack put the message (its answer's `channel` and `ts`). */
export interface SlackPost {
  readonly channel: string;
  readonly ts: string;
}

/** Runs once Slack has answered, before the handler answers. */
export type AfterSlack = (event: BareEvent, post: SlackPost, connectedAt: Date) => Promise<void>;

export function createBareHandler(env: Record<string, string | undefined>, afterSlack?: AfterSlack) {
  const path = env.TEMPLATE_PARAMETER_PATH ?? '/clientvpn-notifier/templates';
  const ssm = new SSMClient({});
  const secrets = new SecretsManagerClient({});
  const sns = new SNSClient({});
  let cached: { template: string; token: string } | undefined;

  async function read(): Promise<{ template: string; token: string }> {
    const [parameters, secret] = await Promise.all([
      ssm.send(new GetParametersCommand({ Names: [`${path}/slack`, `${path}/email-subject`, `${path}/email-body`], WithDecryption: true })),
      secrets.send(new GetSecretValueCommand({ SecretId: env.SLACK_TOKEN_SECRET_ID })),
    ]);
    const template = parameters.Parameters?.find((p) => p.Name === `${path}/slack`)?.Value ?? '{%username%} connected';
    return { template, token: secret.SecretString ?? '' };
  }

  async function postToSlack(token: string, text: string): Promise<SlackPost> {
    const answer = await fetch(`${env.SLACK_API_URL ?? 'https://slack.com/api/'}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: env.SLACK_CHANNEL ?? '', text }).toString(),
    });
    const body = (await answer.json()) as { ok?: boolean; error?: string; channel?: string; ts?: string };
    if (!body.ok || !body.channel || !body.ts) throw new Error(`bare baseline: Slack answered ${answer.status} ${body.error ?? '(no channel or ts)'}`);
    return { channel: body.channel, ts: body.ts };
  }

  return async function handler(event: BareEvent) {
    const connectedAt = new Date();
    cached ??= await read();
    const text = cached.template.replace('{%username%}', String(event.username)).replace('{%publicIp%}', String(event['public-ip']));
    await Promise.all([
      sns.send(new PublishCommand({ TopicArn: env.SNS_TOPIC_ARN, Subject: `[Client VPN] ${String(event.username)} connected`, Message: text })),
      postToSlack(cached.token, text).then((post) => afterSlack?.(event, post, connectedAt)),
    ]);
    return { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };
  };
}
