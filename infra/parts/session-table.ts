import { RemovalPolicy, aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SESSION_TABLE } from '../../src/base/contract.ts';

export interface SessionTableProps {
  /** Continuous backups: costs per GB-month; the items are a week's thread pointers. */
  readonly pointInTimeRecovery: boolean;
}

/**
 * The session table of contract section 12: where each connect's Slack post is, so that its
 * disconnect replies in the thread and updates the status line. On demand (traffic follows
 * connections, mostly zero), items expire by TTL, encrypted with the AWS managed key.
 * Builds into `scope` (see ClientVpnNotifier).
 */
export function sessionTable(scope: Construct, props: SessionTableProps): dynamodb.Table {
  return new dynamodb.Table(scope, 'Sessions', {
    partitionKey: { name: SESSION_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: SESSION_TABLE.ttlAttribute,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery },
    // Items live a week at most and losing them only turns thread replies into top-level posts:
    // nothing worth keeping after the stack is gone.
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
