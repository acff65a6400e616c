import { RemovalPolicy, Stack, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** How long the deploy-time helper functions (custom resources) keep their logs. */
export const HELPER_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** A log group with a retention for a deploy-time helper function; left alone, Lambda would make one that never expires. */
export function helperLogGroup(scope: Construct, id: string): logs.LogGroup {
  return new logs.LogGroup(scope, id, { retention: HELPER_LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
}

/**
 * The log group of the function behind every AwsCustomResource. CDK makes that function once
 * per stack, from the props of the first AwsCustomResource, so its log group is one per stack
 * too, and every AwsCustomResource in this app passes it as `logGroup`.
 */
export function awsCustomResourceLogGroup(scope: Construct): logs.ILogGroup {
  const stack = Stack.of(scope);
  return (stack.node.tryFindChild('AwsCustomResourceLogs') as logs.LogGroup | undefined) ?? helperLogGroup(stack, 'AwsCustomResourceLogs');
}
