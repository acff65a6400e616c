import { createHmac } from 'node:crypto';

/**
 * Slack requests as they reach the function URL (payload format 2.0), in the shapes Slack
 * sends: slash commands as form fields, interactions as a `payload` form field of JSON.
 */
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const ENDPOINT = 'cvpn-endpoint-0abc1234def567890';
export const OTHER_ENDPOINT = 'cvpn-endpoint-0fff0000aaaa11111';
export const CONNECTION = 'cvpn-connection-0123456789abcdef0';
export const ADMIN = 'U0ADMIN001';
export const MEMBER = 'U0MEMBER02';
export const CHANNEL = 'C0VPNALERTS';
export const MESSAGE_TS = '1700000000.000100';

export interface SignOptions {
  secret?: string;
  /** Epoch seconds put in x-slack-request-timestamp. */
  timestamp?: number;
  base64?: boolean;
  /** Replace or drop (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
}

export function sign(secret: string, timestamp: string, body: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

/** A function URL event for `body`, signed as Slack would sign it. */
export function signedEvent(body: string, options: SignOptions = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': sign(options.secret ?? SIGNING_SECRET, timestamp, body),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers,
    requestContext: { http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '192.0.2.44', userAgent: headers['user-agent'] } },
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 === true,
  };
}

export function slashCommandBody(fields: { text?: string; userId?: string; userName?: string; responseUrl?: string; command?: string } = {}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token-unused',
    team_id: 'T0TEAM0001',
    team_domain: 'example',
    channel_id: CHANNEL,
    channel_name: 'vpn-alerts',
    user_id: fields.userId ?? MEMBER,
    user_name: fields.userName ?? 'bob',
    command: fields.command ?? '/vpn',
    text: fields.text ?? 'who',
    api_app_id: 'A0APP00001',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl ?? 'https://hooks.slack.com/commands/T0TEAM0001/1111/abcd',
    trigger_id: '1111.2222.abcd',
  }).toString();
}

export function disconnectValue(endpointId = ENDPOINT, connectionId = CONNECTION): string {
  return JSON.stringify({ endpointId, connectionId });
}

/** A `block_actions` payload for a click on the Disconnect button of a channel message (or an ephemeral one). */
export function blockActionsPayload(fields: { userId?: string; userName?: string; value?: string; actionId?: string; responseUrl?: string; ephemeral?: boolean } = {}) {
  const ephemeral = fields.ephemeral === true;
  return {
    type: 'block_actions',
    user: { id: fields.userId ?? ADMIN, username: fields.userName ?? 'alice.admin', name: fields.userName ?? 'alice.admin', team_id: 'T0TEAM0001' },
    api_app_id: 'A0APP00001',
    token: 'legacy-verification-token-unused',
    container: { type: 'message', message_ts: MESSAGE_TS, channel_id: CHANNEL, is_ephemeral: ephemeral },
    trigger_id: '1111.2222.abcd',
    team: { id: 'T0TEAM0001', domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: CHANNEL, name: 'vpn-alerts' },
    ...(ephemeral ? {} : { message: { type: 'message', subtype: 'bot_message', text: 'Client VPN connection: alice', ts: MESSAGE_TS, bot_id: 'B0BOT00001', blocks: [] } }),
    state: { values: {} },
    response_url: fields.responseUrl ?? 'https://hooks.slack.com/actions/T0TEAM0001/2222/efgh',
    actions: [
      {
        action_id: fields.actionId ?? 'disconnect',
        block_id: 'session-actions',
        text: { type: 'plain_text', text: 'Disconnect', emoji: true },
        value: fields.value ?? disconnectValue(),
        style: 'danger',
        type: 'button',
        action_ts: '1700000010.123456',
      },
    ],
  };
}

export function blockActionsBody(fields: Parameters<typeof blockActionsPayload>[0] = {}): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(fields)) }).toString();
}
