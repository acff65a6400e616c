// Custom resource logic (served by the endpoint attachment's provider, see attach-endpoint.mjs):
// switches on a Client VPN endpoint's connection logging into the notifier's log group, and on
// delete puts back what was there before.
//
// The previous setting travels in the physical resource id, the one value CloudFormation hands
// back on delete: "<endpoint-id>|log:disabled", "<endpoint-id>|log:<group>" or
// "<endpoint-id>|log:<group>:<stream, URI-encoded>" (log group names hold neither "|" nor ":").
// It is a resource of its own, not part of the handler attachment: an update never changes a
// physical id (CloudFormation would then delete the old one, undoing the attachment), so a
// setting switched on later needs a new resource to remember what it replaced.
//
// It never clobbers: only the connection log options are sent (the client connect handler is
// left as it is), and on delete it acts only while the endpoint still logs to the notifier's
// group; a log group someone set since is theirs, and stays.

const ENDPOINT_NOT_FOUND = 'InvalidClientVpnEndpointId.NotFound';

export const CONNECTION_LOG_RESOURCE_TYPE = 'Custom::ClientVpnConnectionLog';

/** The group an endpoint's connection log options write to, or undefined when logging is off. */
function loggedGroup(options) {
  return options && options.Enabled && options.CloudwatchLogGroup ? options.CloudwatchLogGroup : undefined;
}

/** `previous` is the endpoint's connection log options before, or undefined for none. */
export function encodeLogId(endpointId, previous) {
  const group = loggedGroup(previous);
  if (!group) return `${endpointId}|log:disabled`;
  return `${endpointId}|log:${group}${previous.CloudwatchLogStream ? `:${encodeURIComponent(previous.CloudwatchLogStream)}` : ''}`;
}

/** `{ endpointId, previous }` where previous is `{ group, stream? }` or undefined for logging off. */
export function decodeLogId(physicalId) {
  const text = String(physicalId);
  const bar = text.indexOf('|');
  const endpointId = bar === -1 ? text : text.slice(0, bar);
  const value = bar === -1 ? 'disabled' : text.slice(bar + 1).replace(/^log:/, '');
  if (value === 'disabled' || value === '') return { endpointId, previous: undefined };
  const colon = value.indexOf(':');
  if (colon === -1) return { endpointId, previous: { group: value } };
  return { endpointId, previous: { group: value.slice(0, colon), stream: decodeURIComponent(value.slice(colon + 1)) } };
}

function errorName(error) {
  return String((error && (error.name || error.Code || error.code)) ?? '');
}

/** A refusal of the request itself (a group that no longer exists, say), not a throttle or an outage. */
function isRefusal(error) {
  const status = error && error.$metadata && error.$metadata.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500 && !/throttl|limitexceeded|toomanyrequests/i.test(errorName(error));
}

/** `ec2` is { describeLogging(endpointId) -> options | undefined, modifyLogging(endpointId, options) }. */
export function createConnectionLogHandler({ ec2 }) {
  async function start(endpointId, logGroup) {
    const before = await ec2.describeLogging(endpointId);
    await ec2.modifyLogging(endpointId, { Enabled: true, CloudwatchLogGroup: logGroup });
    return encodeLogId(endpointId, before);
  }

  async function stop(physicalId, logGroup) {
    const { endpointId, previous } = decodeLogId(physicalId);
    let current;
    try {
      current = await ec2.describeLogging(endpointId);
    } catch (error) {
      if (errorName(error) === ENDPOINT_NOT_FOUND) return 'endpoint gone';
      throw error;
    }
    if (loggedGroup(current) !== logGroup) return 'left alone: the endpoint no longer logs to this group';
    const restore = previous
      ? { Enabled: true, CloudwatchLogGroup: previous.group, ...(previous.stream ? { CloudwatchLogStream: previous.stream } : {}) }
      : { Enabled: false };
    try {
      await ec2.modifyLogging(endpointId, restore);
      return previous ? `restored ${previous.group}` : 'disabled';
    } catch (error) {
      if (errorName(error) === ENDPOINT_NOT_FOUND) return 'endpoint gone';
      // The previous group was deleted since, most likely: logging off is the nearest thing to
      // what was there. A throttle or an outage fails the delete instead, to be retried.
      if (!previous || !isRefusal(error)) throw error;
      await ec2.modifyLogging(endpointId, { Enabled: false });
      return `disabled: the previous log group ${previous.group} could not be restored (${errorName(error)})`;
    }
  }

  return async function onEvent(event) {
    const { EndpointId: endpointId, LogGroup: logGroup } = event.ResourceProperties;
    if (event.RequestType === 'Create' || (event.RequestType === 'Update' && decodeLogId(event.PhysicalResourceId).endpointId !== endpointId)) {
      return { PhysicalResourceId: await start(endpointId, logGroup) };
    }
    if (event.RequestType === 'Update') {
      await ec2.modifyLogging(endpointId, { Enabled: true, CloudwatchLogGroup: logGroup });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const outcome = await stop(event.PhysicalResourceId, logGroup);
    console.log(JSON.stringify({ message: 'connection logging released', endpointId: decodeLogId(event.PhysicalResourceId).endpointId, outcome }));
    return { PhysicalResourceId: event.PhysicalResourceId };
  };
}
