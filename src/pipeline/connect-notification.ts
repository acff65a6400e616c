import type { Config } from '../base/config.ts';
import { parseConnection } from '../base/connection.ts';
import { buildContext } from '../render/context.ts';
import type { Notification } from './notification.ts';

/** The parse step for the connect handler: a Client VPN connect event (any shape) as a notification. */
export function connectNotification(event: unknown, instant: Date, config: Config): Notification {
  const connection = parseConnection(event);
  const context = buildContext(connection, instant, config.timeZone, config.region, config.slackActions);
  return {
    kind: 'connect',
    connectionId: connection.connectionId,
    endpointId: connection.endpointId,
    subject: { kind: 'connect', endpointId: context.endpointId, groups: context.groups, username: context.username, commonName: context.commonName },
    context,
  };
}
