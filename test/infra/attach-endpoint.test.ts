import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS Lambda handler, shipped as is
import { createHandler, decodeId, encodeId } from '../../infra/handlers/attach-endpoint.mjs';

type Options = { Enabled: boolean; LambdaFunctionArn?: string };

function fakeEc2(initial: Options | undefined, missing = false) {
  const state = { options: initial, calls: [] as [string, Options][] };
  return {
    state,
    ec2: {
      describe: async () => state.options,
      modify: async (id: string, options: Options) => {
        if (missing) throw Object.assign(new Error(`The Client VPN endpoint ID '${id}' does not exist`), { name: 'InvalidClientVpnEndpointId.NotFound' });
        state.calls.push([id, options]);
        state.options = options;
      },
    },
  };
}

const NEW = 'arn:aws:lambda:us-east-1:1:function:AWSClientVPN-clientvpn-notifier';
const OLD = 'arn:aws:lambda:us-east-1:1:function:AWSClientVPN-previous';
const props = { EndpointId: 'cvpn-endpoint-0abc', FunctionArn: NEW };

describe('endpoint attachment handler', () => {
  it('encodes what was there before in the physical id', () => {
    expect(encodeId('cvpn-endpoint-0abc', undefined)).toBe('cvpn-endpoint-0abc|disabled');
    expect(encodeId('cvpn-endpoint-0abc', { Enabled: true, LambdaFunctionArn: OLD })).toBe(`cvpn-endpoint-0abc|${OLD}`);
    expect(decodeId(`cvpn-endpoint-0abc|${OLD}`)).toEqual({ endpointId: 'cvpn-endpoint-0abc', previousArn: OLD });
  });

  it('create sets the handler; delete turns it off again when there was none', async () => {
    const { ec2, state } = fakeEc2({ Enabled: false });
    const onEvent = createHandler(ec2);
    const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
    expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: NEW });
    await onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: created.PhysicalResourceId });
    expect(state.options).toEqual({ Enabled: false });
  });

  it('delete restores a previous handler', async () => {
    const { ec2, state } = fakeEc2({ Enabled: true, LambdaFunctionArn: OLD });
    const onEvent = createHandler(ec2);
    const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
    await onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: created.PhysicalResourceId });
    expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: OLD });
  });

  it('an update to the function keeps the original previous setting', async () => {
    const { ec2, state } = fakeEc2({ Enabled: false });
    const onEvent = createHandler(ec2);
    const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
    const updated = await onEvent({ RequestType: 'Update', ResourceProperties: { ...props, FunctionArn: `${NEW}:live` }, PhysicalResourceId: created.PhysicalResourceId });
    expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: `${NEW}:live` });
  });

  it('a delete for an endpoint that is gone succeeds', async () => {
    const { ec2 } = fakeEc2(undefined, true);
    await expect(createHandler(ec2)({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: 'cvpn-endpoint-0abc|disabled' })).resolves.toBeTruthy();
  });
});
