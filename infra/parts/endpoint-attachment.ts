import * as path from 'node:path';
import { ArnFormat, CustomResource, Duration, Stack, aws_iam as iam, aws_lambda as lambda, custom_resources as cr } from 'aws-cdk-lib';
import type { Construct, IDependable } from 'constructs';
import { ROOT } from '../../scripts/bundle.ts';
import { CLIENT_VPN_ENDPOINT_ID_PATTERN, FUNCTION_NAME_PREFIX } from '../../src/base/contract.ts';
import { ConfigurationError } from '../errors.ts';
import { helperLogGroup } from './helper-logs.ts';

export interface EndpointAttachmentProps {
  /** Endpoints to make `handlerArn` the client connect handler of (at least one). */
  readonly endpointIds: readonly string[];
  /** What Client VPN should invoke: the function or its alias. */
  readonly handlerArn: string;
  /** The connect handler function itself. */
  readonly connectFunction: lambda.IFunction;
  /**
   * Switch each endpoint's connection logging on into this group (infra/handlers/connection-log.mjs).
   * @default - connection logging left as it is
   */
  readonly connectionLog?: {
    readonly logGroupName: string;
    /** What must exist before the first entry is written (the subscription, so no entry goes unread). */
    readonly after: readonly IDependable[];
  };
}

/**
 * Makes the connect handler the client connect handler of each endpoint through a custom
 * resource (infra/handlers/attach-endpoint.mjs). When the resource goes, it puts back the
 * previous handler if the endpoint still invokes this function and that handler still exists,
 * and otherwise leaves no lockout behind (see the handler). With `connectionLog`, a second
 * resource per endpoint, served by the same provider, switches connection logging on into the
 * notifier's group and puts back the previous log options on delete if the endpoint still logs
 * there (infra/handlers/connection-log.mjs). Builds into `scope` (see ClientVpnNotifier).
 */
export class EndpointAttachment {
  /** The provider framework's onEvent function: the attachment handler. */
  readonly onEvent: lambda.Function;
  readonly provider: cr.Provider;

  constructor(scope: Construct, props: EndpointAttachmentProps) {
    for (const endpointId of props.endpointIds) {
      if (!CLIENT_VPN_ENDPOINT_ID_PATTERN.test(endpointId)) throw new ConfigurationError(`not a Client VPN endpoint id: ${JSON.stringify(endpointId)}`);
    }
    const stack = Stack.of(scope);
    this.onEvent = new lambda.Function(scope, 'AttachHandler', {
      description: 'clientvpn-notifier: sets and restores Client VPN client connect handlers',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'attach-endpoint.handler',
      code: lambda.Code.fromAsset(path.join(ROOT, 'infra/handlers')),
      timeout: Duration.seconds(60),
      logGroup: helperLogGroup(scope, 'AttachHandlerLogs'),
    });
    this.onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ec2:ModifyClientVpnEndpoint'],
        resources: props.endpointIds.map((id) => stack.formatArn({ service: 'ec2', resource: 'client-vpn-endpoint', resourceName: id })),
      }),
    );
    // Describe* actions support no resource-level permissions.
    this.onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeClientVpnEndpoints'], resources: ['*'] }));
    // Read-only access to the one function it names, as a precaution should Client VPN check the
    // caller's view of the handler when it is set; it grants nothing that can change or invoke it.
    this.onEvent.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:GetFunction'], resources: [...new Set([props.connectFunction.functionArn, props.handlerArn])] }),
    );
    // Before putting back the handler it found on deploy, the function checks that it still
    // exists: an endpoint pointing at a missing function denies every connection. That handler
    // is only known at deploy time; Client VPN accepts only FUNCTION_NAME_PREFIX functions in
    // this account and region, so that is the scope. Configuration only: GetFunction would also
    // hand out a link to download the other function's code.
    this.onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CheckPreviousHandlerExists',
        actions: ['lambda:GetFunctionConfiguration'],
        resources: [stack.formatArn({ service: 'lambda', resource: 'function', resourceName: `${FUNCTION_NAME_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    this.provider = new cr.Provider(scope, 'AttachProvider', { onEventHandler: this.onEvent, logGroup: helperLogGroup(scope, 'AttachProviderLogs') });
    for (const endpointId of props.endpointIds) {
      const attach = new CustomResource(scope, `Attach-${endpointId}`, {
        serviceToken: this.provider.serviceToken,
        resourceType: 'Custom::ClientVpnConnectHandler',
        properties: { EndpointId: endpointId, FunctionArn: props.handlerArn },
      });
      if (props.connectionLog) {
        const logging = new CustomResource(scope, `Logging-${endpointId}`, {
          serviceToken: this.provider.serviceToken,
          resourceType: 'Custom::ClientVpnConnectionLog',
          properties: { EndpointId: endpointId, LogGroup: props.connectionLog.logGroupName },
        });
        // One ModifyClientVpnEndpoint at a time per endpoint; on delete, logging is put back first.
        logging.node.addDependency(attach, ...props.connectionLog.after);
      }
    }
  }
}
