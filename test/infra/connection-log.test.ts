import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS Lambda handler, shipped as is
import { createHandler, sdkPorts } from '../../infra/handlers/attach-endpoint.mjs';
// @ts-expect-error plain JS Lambda handler, shipped as is
import { CONNECTION_LOG_RESOURCE_TYPE, createConnectionLogHandler, decodeLogId, encodeLogId } from '../../infra/handlers/connection-log.mjs';

type LogOptions = { Enabled: boolean; CloudwatchLogGroup?: string; CloudwatchLogStream?: string };
type Event = { RequestType: 'Create' | 'Update' | 'Delete'; ResourceType?: string; ResourceProperties: { EndpointId: string; LogGroup: string }; PhysicalResourceId?: string };
type OnEvent = (event: Event) => Promise<{ PhysicalResourceId: string }>;

const ENDPOINT = 'cvpn-endpoint-0abc';
const OURS = 'ClientVpnNotifier-NotifierConnectionLog1A2B3C-xyz';
const THEIRS = '/aws/clientvpn/security-team';
const LATER = '/aws/clientvpn/someone-else';
const props = { EndpointId: ENDPOINT, LogGroup: OURS };

const apiError = (name: string, status: number) => Object.assign(new Error(`${name}: refused`), { name, $metadata: { httpStatusCode: status } });

function world(initial: LogOptions | undefined) {
  const state = { options: initial, endpointExists: true, modifies: [] as LogOptions[], failNextModify: undefined as Error | undefined };
  const ec2 = {
    describeLogging: async () => {
      if (!state.endpointExists) throw apiError('InvalidClientVpnEndpointId.NotFound', 400);
      return state.options;
    },
    modifyLogging: async (_id: string, options: LogOptions) => {
      if (!state.endpointExists) throw apiError('InvalidClientVpnEndpointId.NotFound', 400);
      if (state.failNextModify) {
        const error = state.failNextModify;
        state.failNextModify = undefined;
        throw error;
      }
      state.modifies.push(options);
      state.options = options;
    },
  };
  return { state, onEvent: createConnectionLogHandler({ ec2 }) as OnEvent };
}

async function createThenDelete(onEvent: OnEvent, between: () => void = () => {}, logGroup = OURS) {
  const created = await onEvent({ RequestType: 'Create', ResourceProperties: { ...props, LogGroup: logGroup } });
  between();
  await onEvent({ RequestType: 'Delete', ResourceProperties: { ...props, LogGroup: logGroup }, PhysicalResourceId: created.PhysicalResourceId });
  return created.PhysicalResourceId;
}

describe('connection logging resource', () => {
  it('encodes what was there before in the physical id, streams with any character included', () => {
    expect(encodeLogId(ENDPOINT, undefined)).toBe(`${ENDPOINT}|log:disabled`);
    expect(encodeLogId(ENDPOINT, { Enabled: false, CloudwatchLogGroup: THEIRS })).toBe(`${ENDPOINT}|log:disabled`);
    expect(encodeLogId(ENDPOINT, { Enabled: true, CloudwatchLogGroup: THEIRS })).toBe(`${ENDPOINT}|log:${THEIRS}`);
    const stream = 'vpn|stream %2F/#1';
    const id = encodeLogId(ENDPOINT, { Enabled: true, CloudwatchLogGroup: THEIRS, CloudwatchLogStream: stream });
    expect(decodeLogId(id)).toEqual({ endpointId: ENDPOINT, previous: { group: THEIRS, stream } });
    expect(decodeLogId(`${ENDPOINT}|log:disabled`)).toEqual({ endpointId: ENDPOINT, previous: undefined });
  });

  it('create switches logging on into our group; delete switches it off again when it was off', async () => {
    const { onEvent, state } = world({ Enabled: false });
    const id = await createThenDelete(onEvent, () => expect(state.options).toEqual({ Enabled: true, CloudwatchLogGroup: OURS }));
    expect(id).toBe(`${ENDPOINT}|log:disabled`);
    expect(state.options).toEqual({ Enabled: false });
  });

  it('delete restores the previous group and stream', async () => {
    const { onEvent, state } = world({ Enabled: true, CloudwatchLogGroup: THEIRS, CloudwatchLogStream: 'vpn' });
    await createThenDelete(onEvent);
    expect(state.options).toEqual({ Enabled: true, CloudwatchLogGroup: THEIRS, CloudwatchLogStream: 'vpn' });
  });

  it('an existing group the endpoint already logged to keeps getting the log after delete', async () => {
    const { onEvent, state } = world({ Enabled: true, CloudwatchLogGroup: THEIRS });
    await createThenDelete(onEvent, () => {}, THEIRS);
    expect(state.options).toEqual({ Enabled: true, CloudwatchLogGroup: THEIRS });
  });

  it.each([
    ['another group set since', { Enabled: true, CloudwatchLogGroup: LATER }],
    ['logging switched off since', { Enabled: false }],
  ])('delete leaves the endpoint alone when it no longer logs to our group: %s', async (_what, since) => {
    const { onEvent, state } = world({ Enabled: true, CloudwatchLogGroup: THEIRS });
    await createThenDelete(onEvent, () => (state.options = since));
    expect(state.options).toEqual(since);
    expect(state.modifies).toHaveLength(1);
  });

  it('an update keeps the physical id (and so what was there before) and points logging at the new group', async () => {
    const { onEvent, state } = world({ Enabled: true, CloudwatchLogGroup: THEIRS });
    const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
    const updated = await onEvent({ RequestType: 'Update', ResourceProperties: { ...props, LogGroup: LATER }, PhysicalResourceId: created.PhysicalResourceId });
    expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
    expect(state.options).toEqual({ Enabled: true, CloudwatchLogGroup: LATER });
    await onEvent({ RequestType: 'Delete', ResourceProperties: { ...props, LogGroup: LATER }, PhysicalResourceId: created.PhysicalResourceId });
    expect(state.options).toEqual({ Enabled: true, CloudwatchLogGroup: THEIRS });
  });

  it('a delete for an endpoint that is gone succeeds', async () => {
    const { onEvent, state } = world(undefined);
    state.endpointExists = false;
    await expect(onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: `${ENDPOINT}|log:${THEIRS}` })).resolves.toEqual({ PhysicalResourceId: `${ENDPOINT}|log:${THEIRS}` });
  });

  it('a previous group EC2 refuses to log to (deleted since) leaves logging off, not on our group', async () => {
    const { onEvent, state } = world({ Enabled: true, CloudwatchLogGroup: THEIRS });
    await createThenDelete(onEvent, () => (state.failNextModify = apiError('InvalidParameterValue', 400)));
    expect(state.options).toEqual({ Enabled: false });
  });

  it('a throttle or an outage while restoring fails the delete (to be retried), leaving our group in place', async () => {
    for (const error of [apiError('RequestLimitExceeded', 400), apiError('InternalError', 500)]) {
      const { onEvent, state } = world({ Enabled: true, CloudwatchLogGroup: THEIRS });
      const created = await onEvent({ RequestType: 'Create', ResourceProperties: props });
      state.failNextModify = error;
      await expect(onEvent({ RequestType: 'Delete', ResourceProperties: props, PhysicalResourceId: created.PhysicalResourceId })).rejects.toThrow(error.message);
      expect(state.options).toEqual({ Enabled: true, CloudwatchLogGroup: OURS });
    }
  });

  // Every starting state, every change between deploy and destroy: afterwards the endpoint logs
  // to our group only if it did before the stack, and someone else's choice is never undone.
  const starts: [string, LogOptions | undefined][] = [
    ['no options', undefined],
    ['off', { Enabled: false }],
    ['their group', { Enabled: true, CloudwatchLogGroup: THEIRS }],
    ['their group and stream', { Enabled: true, CloudwatchLogGroup: THEIRS, CloudwatchLogStream: 's' }],
    ['our group already', { Enabled: true, CloudwatchLogGroup: OURS }],
  ];
  const changes: [string, LogOptions | undefined][] = [
    ['nothing', undefined],
    ['another group set', { Enabled: true, CloudwatchLogGroup: LATER }],
    ['logging switched off', { Enabled: false }],
  ];
  const cases = starts.flatMap(([start, options]) => changes.map(([change, since]) => [start, change, options, since] as const));
  it.each(cases)('starting from %s, with %s in between', async (_start, _change, options, since) => {
    const { onEvent, state } = world(options);
    await createThenDelete(onEvent, () => since && (state.options = since));
    const expected = since ?? (options?.Enabled ? options : { Enabled: false });
    expect(state.options).toEqual(expected);
  });
});

describe('served by the endpoint attachment provider', () => {
  it('a connection-log event goes to the logging logic and never touches the client connect handler', async () => {
    const sent: [string, Record<string, unknown>][] = [];
    class Command {
      constructor(readonly input: Record<string, unknown>) {}
    }
    const commands = {
      DescribeClientVpnEndpointsCommand: class DescribeClientVpnEndpointsCommand extends Command {},
      ModifyClientVpnEndpointCommand: class ModifyClientVpnEndpointCommand extends Command {},
      GetFunctionConfigurationCommand: class GetFunctionConfigurationCommand extends Command {},
    };
    const ec2 = {
      send: async (command: Command) => {
        sent.push([command.constructor.name, command.input]);
        return { ClientVpnEndpoints: [{ ClientConnectOptions: { Enabled: true, LambdaFunctionArn: 'arn:aws:lambda:us-east-1:1:function:AWSClientVPN-x' }, ConnectionLogOptions: { Enabled: false } }] };
      },
    };
    const onEvent = createHandler(sdkPorts(ec2, { send: async () => ({}) }, commands)) as OnEvent;
    const out = await onEvent({ RequestType: 'Create', ResourceType: CONNECTION_LOG_RESOURCE_TYPE, ResourceProperties: props });
    expect(out.PhysicalResourceId).toBe(`${ENDPOINT}|log:disabled`);
    expect(sent).toEqual([
      ['DescribeClientVpnEndpointsCommand', { ClientVpnEndpointIds: [ENDPOINT] }],
      ['ModifyClientVpnEndpointCommand', { ClientVpnEndpointId: ENDPOINT, ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: OURS } }],
    ]);
  });
});
