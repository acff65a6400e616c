import { aws_iam as iam, type aws_logs as logs, type aws_secretsmanager as secretsmanager, type aws_sns as sns } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface DeliveryRoleProps {
  readonly description: string;
  /** The one log group the function writes. */
  readonly logGroup: logs.ILogGroup;
  /** The email topic it publishes to. */
  readonly topic: sns.ITopic;
  /** The secret holding the Slack bot token. */
  readonly slackTokenSecret: secretsmanager.ISecret;
}

/**
 * A role that may write one log group, publish to the topic and read the Slack token: what
 * delivering a notification takes, for the connect handler and the retry worker alike.
 */
export function deliveryRole(scope: Construct, id: string, props: DeliveryRoleProps): iam.Role {
  // An explicit role instead of the managed basic execution role, which allows every log group.
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: props.description });
  role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [props.logGroup.logGroupArn] }));
  props.topic.grantPublish(role);
  grantReadSlackSecret(role, props.slackTokenSecret);
  return role;
}

/** GetSecretValue on exactly the one secret (and decrypt with its key, if it has its own). */
export function grantReadSlackSecret(role: iam.Role, secret: secretsmanager.ISecret): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadSlackToken',
      actions: ['secretsmanager:GetSecretValue'],
      // A secret imported by name has no full ARN; its real ARN ends in a 6-character suffix.
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }),
  );
  if (secret.encryptionKey) secret.encryptionKey.grantDecrypt(role);
}
