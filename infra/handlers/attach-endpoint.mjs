// Custom resource handler (provider framework onEvent): makes a Lambda the client connect
// handler of one Client VPN endpoint, and on delete puts back what was there before.
// The previous setting travels in the physical resource id, the one value CloudFormation
// hands back on delete: "<endpoint-id>|disabled" or "<endpoint-id>|<previous function ARN>".
//
// It must never lock anyone out: Client VPN denies every connection when the handler it
// invokes does not exist. So
// - a previous handler that is this very function (any version or alias; the operator may
//   have run the stack's AttachCommand first) counts as none: restoring it on delete would
//   point the endpoint at the function the same delete removes;
// - on delete it acts only while the endpoint still points at this function: a handler
//   someone attached since is theirs, and stays;
// - it never restores a handler whose function (or version, or alias) no longer exists: the
//   endpoint gets no handler instead. When existence cannot be checked, the delete fails and
//   the endpoint keeps this function, which CloudFormation has not deleted yet.
//
// The same provider serves the connection-log resources (connection-log.mjs).

import { CONNECTION_LOG_RESOURCE_TYPE, createConnectionLogHandler } from './connection-log.mjs';

const ENDPOINT_NOT_FOUND = 'InvalidClientVpnEndpointId.NotFound';
const FUNCTION_NOT_FOUND = 'ResourceNotFoundException';

/** `previous` is the endpoint's client connect options before, or undefined for none. */
export function encodeId(endpointId, previous) {
  return `${endpointId}|${attachedArn(previous) ?? 'disabled'}`;
}

export function decodeId(physicalId) {
  const [endpointId, previous = 'disabled'] = String(physicalId).split('|');
  return { endpointId, previousArn: previous === 'disabled' ? undefined : previous };
}

/** `arn:aws:lambda:region:account:function:name`, without a `:version` or `:alias`. */
export function unqualified(functionArn) {
  return String(functionArn).split(':').slice(0, 7).join(':');
}

/** The function an endpoint's client connect options invoke, or undefined when none. */
function attachedArn(options) {
  return options && options.Enabled && options.LambdaFunctionArn ? options.LambdaFunctionArn : undefined;
}

function sameFunction(a, b) {
  return a !== undefined && b !== undefined && unqualified(a) === unqualified(b);
}

function errorName(error) {
  return String((error && (error.name || error.Code || error.code)) ?? '');
}

/**
 * `ec2` is { describe(endpointId) -> options | undefined, modify(endpointId, options),
 * describeLogging, modifyLogging (see connection-log.mjs) } and `lambda` is
 * { exists(functionArn) -> boolean }, so tests need no AWS (see sdkPorts).
 */
export function createHandler({ ec2, lambda }) {
  const connectionLog = createConnectionLogHandler({ ec2 });

  async function attach(endpointId, functionArn) {
    const before = await ec2.describe(endpointId);
    await ec2.modify(endpointId, { Enabled: true, LambdaFunctionArn: functionArn });
    return encodeId(endpointId, sameFunction(attachedArn(before), functionArn) ? undefined : before);
  }

  async function detach(physicalId, functionArn) {
    const { endpointId, previousArn } = decodeId(physicalId);
    let current;
    try {
      current = attachedArn(await ec2.describe(endpointId));
    } catch (error) {
      if (errorName(error) === ENDPOINT_NOT_FOUND) return 'endpoint gone';
      throw error;
    }
    if (!sameFunction(current, functionArn)) return 'left alone: the endpoint no longer invokes this function';
    // A physical id written before this rule may name this function itself.
    const restore = previousArn && !sameFunction(previousArn, functionArn) && (await lambda.exists(previousArn)) ? previousArn : undefined;
    try {
      await ec2.modify(endpointId, restore ? { Enabled: true, LambdaFunctionArn: restore } : { Enabled: false });
    } catch (error) {
      if (errorName(error) === ENDPOINT_NOT_FOUND) return 'endpoint gone';
      throw error;
    }
    if (restore) return `restored ${restore}`;
    return previousArn && !sameFunction(previousArn, functionArn) ? `disabled: the previous handler ${previousArn} no longer exists` : 'disabled';
  }

  return async function onEvent(event) {
    if (event.ResourceType === CONNECTION_LOG_RESOURCE_TYPE) return connectionLog(event);
    const { EndpointId: endpointId, FunctionArn: functionArn } = event.ResourceProperties;
    if (event.RequestType === 'Create' || (event.RequestType === 'Update' && decodeId(event.PhysicalResourceId).endpointId !== endpointId)) {
      // A new physical id: CloudFormation then deletes the old one (the old endpoint) as below.
      return { PhysicalResourceId: await attach(endpointId, functionArn) };
    }
    if (event.RequestType === 'Update') {
      await ec2.modify(endpointId, { Enabled: true, LambdaFunctionArn: functionArn });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const outcome = await detach(event.PhysicalResourceId, functionArn);
    console.log(JSON.stringify({ message: 'client connect handler detached', endpointId: decodeId(event.PhysicalResourceId).endpointId, outcome }));
    return { PhysicalResourceId: event.PhysicalResourceId };
  };
}

/**
 * The ports over AWS SDK v3 clients. `commands` holds the command classes, passed in so the
 * tests can give stand-in clients without the SDK packages (the Lambda runtime provides them).
 */
export function sdkPorts(ec2Client, lambdaClient, commands) {
  return {
    ec2: {
      async describe(endpointId) {
        const out = await ec2Client.send(new commands.DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [endpointId] }));
        return out.ClientVpnEndpoints?.[0]?.ClientConnectOptions;
      },
      async modify(endpointId, options) {
        await ec2Client.send(new commands.ModifyClientVpnEndpointCommand({ ClientVpnEndpointId: endpointId, ClientConnectOptions: options }));
      },
      async describeLogging(endpointId) {
        const out = await ec2Client.send(new commands.DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [endpointId] }));
        return out.ClientVpnEndpoints?.[0]?.ConnectionLogOptions;
      },
      // Only the connection log options: the client connect handler is not in the request, so it stays as it is.
      async modifyLogging(endpointId, options) {
        await ec2Client.send(new commands.ModifyClientVpnEndpointCommand({ ClientVpnEndpointId: endpointId, ConnectionLogOptions: options }));
      },
    },
    lambda: {
      // GetFunctionConfiguration, not GetFunction: the same answer without a link to the code.
      async exists(functionArn) {
        try {
          await lambdaClient.send(new commands.GetFunctionConfigurationCommand({ FunctionName: functionArn }));
          return true;
        } catch (error) {
          if (errorName(error) === FUNCTION_NOT_FOUND) return false;
          throw error;
        }
      },
    },
  };
}

async function realPorts() {
  const { EC2Client, DescribeClientVpnEndpointsCommand, ModifyClientVpnEndpointCommand } = await import('@aws-sdk/client-ec2');
  const { LambdaClient, GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  return sdkPorts(new EC2Client({}), new LambdaClient({}), { DescribeClientVpnEndpointsCommand, ModifyClientVpnEndpointCommand, GetFunctionConfigurationCommand });
}

export const handler = async (event) => createHandler(await realPorts())(event);
