// Custom resource handler (provider framework onEvent): makes a Lambda the client connect
// handler of one Client VPN endpoint, and on delete puts back whatever was there before.
// The previous setting travels in the physical resource id, the one value CloudFormation
// hands back on delete: "<endpoint-id>|disabled" or "<endpoint-id>|<previous function ARN>".

const NOT_FOUND = /InvalidClientVpnEndpointId\.NotFound/;

export function encodeId(endpointId, previous) {
  return `${endpointId}|${previous && previous.Enabled && previous.LambdaFunctionArn ? previous.LambdaFunctionArn : 'disabled'}`;
}

export function decodeId(physicalId) {
  const [endpointId, previous = 'disabled'] = String(physicalId).split('|');
  return { endpointId, previousArn: previous === 'disabled' ? undefined : previous };
}

/** `ec2` is { describe(endpointId), modify(endpointId, options) } so tests need no AWS. */
export function createHandler(ec2) {
  return async function onEvent(event) {
    const { EndpointId: endpointId, FunctionArn: functionArn } = event.ResourceProperties;
    if (event.RequestType === 'Create' || (event.RequestType === 'Update' && decodeId(event.PhysicalResourceId).endpointId !== endpointId)) {
      const previous = await ec2.describe(endpointId);
      await ec2.modify(endpointId, { Enabled: true, LambdaFunctionArn: functionArn });
      return { PhysicalResourceId: encodeId(endpointId, previous) };
    }
    if (event.RequestType === 'Update') {
      await ec2.modify(endpointId, { Enabled: true, LambdaFunctionArn: functionArn });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    // Delete: restore the previous handler, or turn the feature off if there was none.
    const { endpointId: id, previousArn } = decodeId(event.PhysicalResourceId);
    try {
      await ec2.modify(id, previousArn ? { Enabled: true, LambdaFunctionArn: previousArn } : { Enabled: false });
    } catch (error) {
      if (!NOT_FOUND.test(String(error && (error.name || error.Code || error.message)))) throw error;
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  };
}

async function realEc2() {
  const { EC2Client, DescribeClientVpnEndpointsCommand, ModifyClientVpnEndpointCommand } = await import('@aws-sdk/client-ec2');
  const client = new EC2Client({});
  return {
    async describe(endpointId) {
      const out = await client.send(new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: [endpointId] }));
      return out.ClientVpnEndpoints?.[0]?.ClientConnectOptions;
    },
    async modify(endpointId, options) {
      await client.send(new ModifyClientVpnEndpointCommand({ ClientVpnEndpointId: endpointId, ClientConnectOptions: options }));
    },
  };
}

export const handler = async (event) => createHandler(await realEc2())(event);
