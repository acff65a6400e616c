/**
 * `npm start -- --action who|disconnect`: runs the real slack-actions handler on a correctly
 * signed sample request, with the real EC2 client and Slack client, and prints what EC2 and
 * Slack would receive. Nothing is sent: EC2 is answered in process by the query-protocol model
 * (ec2-model.ts), and Slack's requests are captured at `fetch`.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { EC2Client } from '@aws-sdk/client-ec2';
import { parseActionsConfig, type ActionsConfig } from '../actions/config.ts';
import { sdkClientVpnApi } from '../actions/ec2.ts';
import { createActionsHandler } from '../actions/handler.ts';
import { slackReplies } from '../actions/slack-replies.ts';
import { slackSignature } from '../actions/verify.ts';
import { DISCONNECT_ACTION_ID } from '../base/contract.ts';
import type { LogLine } from '../base/log.ts';
import { ClientVpnModel, type ModelConnection } from './ec2-model.ts';
import { UsageError } from './files.ts';

export const LOCAL_ACTIONS = ['who', 'disconnect'] as const;
export type LocalAction = (typeof LOCAL_ACTIONS)[number];

const SAMPLE_ENDPOINT = 'cvpn-endpoint-0abc1234def567890';
const SAMPLE_ADMIN = 'U0LOCALADMIN';
const SAMPLE_CHANNEL = 'C0123456789';
const SAMPLE_TS = '1700000000.000100';
const RESPONSE_URL = 'https://hooks.slack.com/actions/T0LOCAL/1/local-run';

function sampleSessions(endpointId: string): ModelConnection[] {
  return [
    { endpointId, connectionId: 'cvpn-connection-0123456789abcdef0', username: 'alice', commonName: 'alice.example.com', clientIp: '203.0.113.10', establishedTime: '2024-05-01 09:10:00', status: 'active' },
    { endpointId, connectionId: 'cvpn-connection-0fedcba9876543210', username: 'bob', commonName: 'bob.example.com', clientIp: '198.51.100.23', establishedTime: '2024-05-01 09:40:00', status: 'active' },
  ];
}

const indent = (text: string): string => text.replace(/^/gm, '    ');

function sampleBody(action: LocalAction, endpointId: string, connectionId: string): string {
  if (action === 'who') {
    return new URLSearchParams({ command: '/vpn', text: 'who', user_id: SAMPLE_ADMIN, user_name: 'local.admin', response_url: RESPONSE_URL, channel_id: SAMPLE_CHANNEL, team_id: 'T0LOCAL' }).toString();
  }
  const payload = {
    type: 'block_actions',
    user: { id: SAMPLE_ADMIN, username: 'local.admin', team_id: 'T0LOCAL' },
    container: { type: 'message', message_ts: SAMPLE_TS, channel_id: SAMPLE_CHANNEL, is_ephemeral: false },
    channel: { id: SAMPLE_CHANNEL, name: 'vpn-alerts' },
    message: { type: 'message', ts: SAMPLE_TS, text: 'Client VPN connection: alice' },
    response_url: RESPONSE_URL,
    actions: [{ action_id: DISCONNECT_ACTION_ID, type: 'button', value: JSON.stringify({ endpointId, connectionId }) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * Runs one sample action and prints, through `out`, the signed request, each EC2 request,
 * each Slack request (token masked) and the HTTP answer. `env` supplies the configuration
 * variables (CLIENT_VPN_ENDPOINT_IDS, SLACK_ADMIN_USERS, TIME_ZONE, SLACK_API_URL); the sample
 * admin and endpoint are used where they are unset.
 */
export async function runLocalAction(action: string, out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!(LOCAL_ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`--action must be one of ${LOCAL_ACTIONS.join(', ')} (got ${JSON.stringify(action)})`);
  }
  const parsed = parseActionsConfig({ SLACK_TOKEN_SECRET_ID: 'local', ...env });
  for (const warning of parsed.warnings) out(`warning: ${warning}`);
  const config: ActionsConfig = Object.freeze({
    ...parsed.config,
    endpointIds: parsed.config.endpointIds.length > 0 ? parsed.config.endpointIds : [SAMPLE_ENDPOINT],
    adminUsers: parsed.config.adminUsers.length > 0 ? parsed.config.adminUsers : [SAMPLE_ADMIN],
  });
  const endpointId = config.endpointIds[0]!;
  const model = new ClientVpnModel(config.endpointIds, sampleSessions(endpointId));

  const ec2 = new EC2Client({
    region: config.region || 'us-east-1',
    credentials: { accessKeyId: 'LOCALRUN', secretAccessKey: 'local-run' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { method: string; hostname: string; path: string; body?: unknown }) {
        const params = new URLSearchParams(String(request.body ?? ''));
        out(`EC2: ${request.method} https://${request.hostname}${request.path}  (${params.get('Action')})`);
        for (const [key, value] of params) if (key !== 'Action' && key !== 'Version') out(`  ${key}: ${value}`);
        const answer = model.handle(String(request.body ?? ''));
        return { response: { statusCode: answer.status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: Readable.from([Buffer.from(answer.body)]) } };
      },
    },
  });

  const captureSlack: typeof fetch = async (url, init) => {
    const body = String(init?.body ?? '');
    if (String(url) === RESPONSE_URL) {
      out(`Slack: POST ${String(url)}  (response_url: only the clicking user sees it)`);
      out(indent(JSON.stringify(JSON.parse(body), null, 2)));
      return new Response('ok', { status: 200 });
    }
    const fields = new URLSearchParams(body);
    out(`Slack: POST ${String(url)}  (Authorization: Bearer ***)`);
    for (const [key, value] of fields) out(`  ${key}: ${value}`);
    return new Response(JSON.stringify({ ok: true, channel: fields.get('channel'), ts: '1700000100.000200' }), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  // A fresh secret per run: the request is signed exactly as Slack signs, then verified.
  const signingSecret = randomBytes(16).toString('hex');
  const logs: LogLine[] = [];
  const handler = createActionsHandler({
    config,
    signingSecret: { get: async () => ({ value: signingSecret, source: 'cache' }) },
    token: { get: async () => ({ value: 'xoxb-local-run', source: 'cache' }) },
    ec2: sdkClientVpnApi(ec2),
    slack: slackReplies({ apiUrl: config.slackApiUrl, fetch: captureSlack }),
    log: (line) => logs.push(line),
  });

  const body = sampleBody(action as LocalAction, endpointId, model.connections[0]!.connectionId);
  const timestamp = String(Math.floor(Date.now() / 1000));
  out(`Request from Slack (${action === 'who' ? '/vpn who' : 'Disconnect button'} by ${config.adminUsers[0]}), signed v0 at ${timestamp}:`);
  out(indent(decodeURIComponent(body.replace(/\+/g, ' '))));
  out('');
  const result = await handler({
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(signingSecret, timestamp, Buffer.from(body)) },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', sourceIp: '127.0.0.1' } },
  });
  out('');
  out(`Answer to Slack: HTTP ${result.statusCode}`);
  if (result.body) out(indent(JSON.stringify(JSON.parse(result.body), null, 2)));
  for (const line of logs) out(`Log: ${JSON.stringify(line, (key, value) => (key === '_aws' ? undefined : value))}`);
}
