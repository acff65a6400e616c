import { type CfnElement, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { FUNCTION_NAME_PREFIX } from '../src/base/contract.ts';
import type { ClientVpnNotifierStack } from './stack.ts';

/** The id aws-cdk-lib gives the singleton function behind every AwsCustomResource. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';
const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/**
 * The cdk-nag AwsSolutions findings this app accepts, each acknowledged on the narrowest
 * construct, with its reason. Anything not listed here fails `npm run synth` and
 * test/infra/nag.test.ts.
 */
export function acknowledgeFindings(stack: ClientVpnNotifierStack): void {
  const notifier = stack.notifier;
  const ack = (scope: IConstruct | undefined, id: string, reason: string): void => {
    if (scope) Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
  };

  ack(
    notifier.node.tryFindChild('SlackToken'),
    'AwsSolutions-SMG4',
    'A Slack bot token cannot be rotated by a Secrets Manager rotation function: it is reissued in Slack and put into the secret by hand.',
  );
  ack(
    stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON),
    `AwsSolutions-IAM4[${BASIC_EXECUTION_ROLE}]`,
    'CDK’s AwsCustomResource function (it seeds the templates) writes its own logs with the basic execution role; its SSM access is an exact-ARN inline policy.',
  );
  const table = notifier.sessionTable?.node.defaultChild as { pointInTimeRecoverySpecification?: { pointInTimeRecoveryEnabled?: boolean } } | undefined;
  if (table && !table.pointInTimeRecoverySpecification?.pointInTimeRecoveryEnabled) {
    ack(
      notifier.sessionTable,
      'AwsSolutions-DDB3',
      'The session table holds a week of Slack thread pointers that expire by TTL; losing them only makes disconnects post at top level. Point-in-time recovery is the pointInTimeRecovery setting.',
    );
  }
  const attachment = notifier.endpointAttachment;
  if (attachment) {
    const logicalId = stack.getLogicalId(attachment.onEvent.node.defaultChild as CfnElement);
    ack(
      attachment.provider.node.tryFindChild('framework-onEvent'),
      `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      'The CDK provider framework may invoke any version of its own onEvent function (the attachment handler), and nothing else.',
    );
    ack(
      attachment.provider,
      `AwsSolutions-IAM4[${BASIC_EXECUTION_ROLE}]`,
      'The CDK provider framework function (endpoint attachment) writes its own logs with the basic execution role.',
    );
    ack(
      attachment.onEvent,
      `AwsSolutions-IAM4[${BASIC_EXECUTION_ROLE}]`,
      'The endpoint attachment function runs only during deploys and writes its own logs with the basic execution role.',
    );
    ack(attachment.onEvent, 'AwsSolutions-IAM5[Resource::*]', 'ec2:DescribeClientVpnEndpoints supports no resource-level permissions; it is read-only.');
    ack(
      attachment.onEvent,
      `AwsSolutions-IAM5[Resource::arn:${nagForm(stack.partition, 'AWS::Partition')}:lambda:${nagForm(stack.region, 'AWS::Region')}:${nagForm(stack.account, 'AWS::AccountId')}:function:${FUNCTION_NAME_PREFIX}*]`,
      'lambda:GetFunctionConfiguration only, to check that the handler found on deploy still exists before putting it back; that function is known only at deploy time, and Client VPN accepts only functions with this prefix in this account and region.',
    );
  }
}

/** How cdk-nag writes a stack's partition, region or account in a finding: the value when the stack has one, else the pseudo parameter. */
function nagForm(value: string, pseudoParameter: string): string {
  return Token.isUnresolved(value) ? `<${pseudoParameter}>` : value;
}
