import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS Lambda handler, shipped as is
import { createHandler, decodeId, encodeId, sdkPorts, unqualified } from '../../infra/handlers/attach-endpoint.mjs';

type Options = { Enabled: boolean; LambdaFunctionArn?: string };
type Event = { RequestType: 'Create' | 'Update' | 'Delete'; ResourceProperties: { EndpointId: string; FunctionArn: string }; PhysicalResourceId?: string };
type OnEvent = (event: Event) => Promise<{ PhysicalResourceId: string }>;

const NEW = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-clientvpn-notifier';
const OLD = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-previous';
const LATER = 'arn:aws:lambda:us-east-1:111122223333:function:AWSClientVPN-attached-later';
const ENDPOINT = 'cvpn-endpoint-0abc';
const props = { EndpointId: ENDPOINT, FunctionArn: NEW };

const notFound = (name: string) => Object.assign(new Error(`${name}: not found`), { name, $metadata: { httpStatusCode: 400 } });

/** An endpoint and the account's functions; `exists` answers from `functions`. */
function world(initial: Options | undefined, functions: string[] = [NEW, `${NEW}:live`, OLD]) {
  const state = { options: initial, endpointExists: true, functions: new Set(functions), modifies: [] as Options[], existsCalls: [] as string[] };
  const ports = {
    ec2: {
      describe: async () => {
        if (!state.endpointExists) throw notFound('InvalidClientVpnEndpointId.NotFound');
        return state.options;
      },
      modify: async (_id: string, options: Options) => {
        if (!state.endpointExists) throw notFound('InvalidClientVpnEndpointId.NotFound');
        state.modifies.push(options);
        state.options = options;
      },
    },
    lambda: {
      exists: async (arn: string) => {
        state.existsCalls.push(arn);
        return state.functions.has(arn);
      },
    },
  };
  return { state, onEvent: createHandler(ports) as OnEvent };
}

async function createThenDelete(onEvent: OnEvent, between: () => void = () => {}, functionArn = NEW) {
  const created = await onEvent({ RequestType: 'Create', ResourceProperties: { ...props, FunctionArn: functionArn } });
  between();
  await onEvent({ RequestType: 'Delete', ResourceProperties: { ...props, FunctionArn: functionArn }, PhysicalResourceId: created.PhysicalResourceId });
  return created.PhysicalResourceId;
}

describe('endpoint attachment handler', () => {
  it('encodes what was there before in the physical id', () => {
    expect(encodeId(ENDPOINT, undefined)).toBe(`${ENDPOINT}|disabled`);
    expect(encodeId(ENDPOINT, { Enabled: false, LambdaFunctionArn: OLD })).toBe(`${ENDPOINT}|disabled`);
    expect(encodeId(ENDPOINT, { Enabled: true, LambdaFunctionArn: OLD })).toBe(`${ENDPOINT}|${OLD}`);
    expect(decodeId(`${ENDPOINT}|${OLD}`)).toEqual({ endpointId: ENDPOINT, previousArn: OLD });
    expect(decodeId(`${ENDPOINT}|${OLD}:7`)).toEqual({ endpointId: ENDPOINT, previousArn: `${OLD}:7` });
  });

  it('tells a function from its versions and aliases by the unqualified ARN', () => {
    expect(unqualified(`${NEW}:live`)).toBe(NEW);
    expect(unqualified(`${NEW}:12`)).toBe(NEW);
    expect(unqualified(NEW)).toBe(NEW);
  });

  it('create sets the handler; delete turns it off again when there was none', async () => {
    const { onEvent, state } = world({ Enabled: false });
    const id = await createThenDelete(onEvent, () => expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: NEW }));
    expect(id).toBe(`${ENDPOINT}|disabled`);
    expect(state.options).toEqual({ Enabled: false });
  });

  it('delete restores a previous handler that still exists', async () => {
    const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: OLD });
    await createThenDelete(onEvent);
    expect(state.existsCalls).toEqual([OLD]);
    expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: OLD });
  });

  it('an update to the function keeps the original previous setting', async () => {
    const { onEvent, state } = world({ Enabled: false });
    const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
    const updated = await onEvent({ RequestType: 'Update', ResourceProperties: { ...props, FunctionArn: `${NEW}:live` }, PhysicalResourceId: created.PhysicalResourceId });
    expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: `${NEW}:live` });
  });

  it('a delete for an endpoint that is gone succeeds', async () => {
    const { onEvent, state } = world(undefined);
    state.endpointExists = false;
    await expect(onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: `${ENDPOINT}|${OLD}` })).resolves.toEqual({ PhysicalResourceId: `${ENDPOINT}|${OLD}` });
    expect(state.modifies).toEqual([]);
  });

  describe('never locks anyone out', () => {
    it.each([
      ['the function itself', NEW, NEW],
      ['its alias', `${NEW}:live`, NEW],
      ['one of its versions', `${NEW}:3`, NEW],
      ['the function, when the stack attaches the alias', NEW, `${NEW}:live`],
    ])('a previous handler that is %s counts as none: delete turns the handler off', async (_name, attachedByHand, functionArn) => {
      const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: attachedByHand });
      const id = await createThenDelete(onEvent, () => {}, functionArn);
      expect(id).toBe(`${ENDPOINT}|disabled`);
      expect(state.options).toEqual({ Enabled: false });
    });

    it('a physical id from before this rule that names the function itself restores nothing', async () => {
      const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: NEW });
      await onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: `${ENDPOINT}|${NEW}` });
      expect(state.existsCalls).toEqual([]);
      expect(state.options).toEqual({ Enabled: false });
    });

    it('delete leaves alone a handler someone attached after the deploy', async () => {
      const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: OLD }, [NEW, OLD, LATER]);
      await createThenDelete(onEvent, () => (state.options = { Enabled: true, LambdaFunctionArn: LATER }));
      expect(state.modifies).toEqual([{ Enabled: true, LambdaFunctionArn: NEW }]);
      expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: LATER });
    });

    it('delete leaves alone an endpoint whose handler someone turned off', async () => {
      const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: OLD });
      await createThenDelete(onEvent, () => (state.options = { Enabled: false }));
      expect(state.options).toEqual({ Enabled: false });
      expect(state.modifies).toHaveLength(1);
    });

    it('delete still acts when the endpoint invokes another alias or version of this function', async () => {
      const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: OLD });
      await createThenDelete(onEvent, () => (state.options = { Enabled: true, LambdaFunctionArn: `${NEW}:live` }));
      expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: OLD });
    });

    it.each([
      ['function', OLD],
      ['alias', `${OLD}:live`],
    ])('a previous handler whose %s no longer exists is not restored: the handler is turned off', async (_what, previous) => {
      const { onEvent, state } = world({ Enabled: true, LambdaFunctionArn: previous }, [NEW, OLD]);
      await createThenDelete(onEvent, () => state.functions.delete(OLD));
      expect(state.existsCalls).toEqual([previous]);
      expect(state.options).toEqual({ Enabled: false });
    });

    it('when it cannot tell whether the previous handler exists, delete fails and the endpoint keeps this function', async () => {
      const state: { options: Options } = { options: { Enabled: true, LambdaFunctionArn: OLD } };
      const denied = Object.assign(new Error('not authorized to perform lambda:GetFunctionConfiguration'), { name: 'AccessDeniedException' });
      const onEvent = createHandler({
        ec2: { describe: async () => state.options, modify: async (_id: string, options: Options) => void (state.options = options) },
        lambda: { exists: async () => Promise.reject(denied) },
      }) as OnEvent;
      const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
      await expect(onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: created.PhysicalResourceId })).rejects.toThrow(/not authorized/);
      expect(state.options).toEqual({ Enabled: true, LambdaFunctionArn: NEW });
    });

    // Every starting handler, every change made between deploy and destroy: once the stack
    // and its function are gone, the endpoint invokes nothing or a function that exists.
    const starts: [string, Options | undefined][] = [
      ['no options', undefined],
      ['disabled', { Enabled: false }],
      ['this function', { Enabled: true, LambdaFunctionArn: NEW }],
      ['its alias', { Enabled: true, LambdaFunctionArn: `${NEW}:live` }],
      ['another function', { Enabled: true, LambdaFunctionArn: OLD }],
    ];
    const changes: [string, (s: ReturnType<typeof world>['state']) => void][] = [
      ['nothing', () => {}],
      ['another handler attached', (s) => (s.options = { Enabled: true, LambdaFunctionArn: LATER })],
      ['handler turned off', (s) => (s.options = { Enabled: false })],
      ['the previous function deleted', (s) => s.functions.delete(OLD)],
    ];
    const cases = starts.flatMap(([start, options]) => changes.map(([change, apply]) => [start, change, options, apply] as const));
    it.each(cases)('starting from %s, with %s in between', async (_start, _change, options, apply) => {
      const { onEvent, state } = world(options, [NEW, `${NEW}:live`, OLD, LATER]);
      await createThenDelete(onEvent, () => apply(state));
      // CloudFormation deletes the function after its attachment.
      for (const arn of [NEW, `${NEW}:live`]) state.functions.delete(arn);
      const invoked = state.options?.Enabled ? state.options.LambdaFunctionArn : undefined;
      if (invoked !== undefined) expect(state.functions.has(invoked), `endpoint invokes ${invoked}`).toBe(true);
    });
  });
});

describe('the SDK ports', () => {
  class Command {
    constructor(readonly input: Record<string, unknown>) {}
  }
  const commands = {
    DescribeClientVpnEndpointsCommand: class DescribeClientVpnEndpointsCommand extends Command {},
    ModifyClientVpnEndpointCommand: class ModifyClientVpnEndpointCommand extends Command {},
    GetFunctionConfigurationCommand: class GetFunctionConfigurationCommand extends Command {},
  };
  function client(answer: (command: Command) => unknown) {
    const sent: [string, Record<string, unknown>][] = [];
    return {
      sent,
      send: async (command: Command) => {
        sent.push([command.constructor.name, command.input]);
        return answer(command);
      },
    };
  }

  it('describe and modify send the endpoint id and client connect options', async () => {
    const ec2 = client(() => ({ ClientVpnEndpoints: [{ ClientConnectOptions: { Enabled: true, LambdaFunctionArn: OLD, Status: { Code: 'applied' } } }] }));
    const ports = sdkPorts(ec2, client(() => ({})), commands);
    await expect(ports.ec2.describe(ENDPOINT)).resolves.toMatchObject({ Enabled: true, LambdaFunctionArn: OLD });
    await ports.ec2.modify(ENDPOINT, { Enabled: false });
    expect(ec2.sent).toEqual([
      ['DescribeClientVpnEndpointsCommand', { ClientVpnEndpointIds: [ENDPOINT] }],
      ['ModifyClientVpnEndpointCommand', { ClientVpnEndpointId: ENDPOINT, ClientConnectOptions: { Enabled: false } }],
    ]);
  });

  it('exists asks for the qualified function and tells not-found from other errors', async () => {
    const answers: Record<string, () => unknown> = {
      [OLD]: () => ({ FunctionName: 'AWSClientVPN-previous' }),
      [`${OLD}:gone`]: () => Promise.reject(notFound('ResourceNotFoundException')),
      [LATER]: () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' })),
    };
    const lambda = client((command) => answers[String(command.input.FunctionName)]?.());
    const ports = sdkPorts(client(() => ({})), lambda, commands);
    await expect(ports.lambda.exists(OLD)).resolves.toBe(true);
    await expect(ports.lambda.exists(`${OLD}:gone`)).resolves.toBe(false);
    await expect(ports.lambda.exists(LATER)).rejects.toThrow(/Rate exceeded/);
    expect(lambda.sent[1]).toEqual(['GetFunctionConfigurationCommand', { FunctionName: `${OLD}:gone` }]);
  });
});
