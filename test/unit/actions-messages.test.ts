import { describe, expect, it } from 'vitest';
import { activeConnections, parseEc2Time, terminateOutcome, type ActiveConnection } from '../../src/actions/ec2.ts';
import { disconnectResultText, usageMessage, whoMessage, type EndpointListing } from '../../src/actions/messages.ts';
import { parseSigningSecret, SigningSecretFormatError } from '../../src/sources/slack-signing-secret.ts';
import { CONNECTION, ENDPOINT } from '../support/slack-requests.ts';

function session(n: number, overrides: Partial<ActiveConnection> = {}): ActiveConnection {
  return {
    endpointId: ENDPOINT,
    connectionId: `cvpn-connection-${String(n).padStart(17, '0')}`,
    username: `user${n}`,
    commonName: `user${n}.example.com`,
    clientIp: `10.0.${Math.floor(n / 256)}.${n % 256}`,
    establishedAt: new Date(Date.UTC(2024, 4, 1, 0, 0, n)),
    ...overrides,
  };
}

const listed = (connections: ActiveConnection[], endpointId = ENDPOINT): EndpointListing => ({ endpointId, result: { status: 'ok', value: connections } });

describe('/vpn who message', () => {
  it('shows user, common name, client IP and start time in TIME_ZONE, newest first', () => {
    const message = whoMessage([listed([session(1), session(2, { establishedAt: undefined }), session(3)])], { admin: false, timeZone: 'Asia/Tokyo' });
    expect(message.text).toBe('3 active VPN connections');
    const texts = (message.blocks ?? []).map((block) => (block.text as { text: string }).text);
    expect(texts).toEqual([
      `\`${ENDPOINT}\`: 3 active connections, newest first`,
      '*user3* · user3.example.com · 10.0.0.3 · since 2024-05-01 09:00:03 Asia/Tokyo\n`cvpn-connection-00000000000000003`',
      '*user1* · user1.example.com · 10.0.0.1 · since 2024-05-01 09:00:01 Asia/Tokyo\n`cvpn-connection-00000000000000001`',
      '*user2* · user2.example.com · 10.0.0.2 · since an unknown time\n`cvpn-connection-00000000000000002`',
    ]);
  });

  it('makes hostile names inert: one line, cut, mrkdwn-escaped, and unable to add blocks', () => {
    const hostile = session(1, { username: '<!channel> *urgent*\n"}]},{"type":"section', commonName: '<https://evil.example|click>' });
    const message = whoMessage([listed([hostile])], { admin: true, timeZone: 'UTC' });
    expect(message.blocks).toHaveLength(2);
    const row = (message.blocks![1]!.text as { text: string }).text;
    expect(row).toContain('&lt;!channel&gt; *urgent* "}]},{"type":"section');
    expect(row).toContain('&lt;https://evil.example|click&gt;');
    expect(row).not.toContain('<!channel>');
    const confirm = JSON.stringify((message.blocks![1]!.accessory as { confirm: unknown }).confirm);
    expect(confirm.length).toBeLessThan(600);
  });

  it('stays within Slack\'s 50 blocks and says how many are not shown', () => {
    const many = Array.from({ length: 70 }, (_, i) => session(i + 1));
    const message = whoMessage([listed(many), listed([session(500)], 'cvpn-endpoint-0fff')], { admin: true, timeZone: 'UTC' });
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks![49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 23 more not shown' }] });
    expect(message.text).toBe('71 active VPN connections');
  });

  it('says what went wrong per endpoint, and when nothing is configured', () => {
    const message = whoMessage(
      [
        { endpointId: ENDPOINT, result: { status: 'failed', reason: 'AccessDenied: not authorized to perform ec2:DescribeClientVpnConnections' } },
        { endpointId: 'cvpn-endpoint-0fff', result: { status: 'ok', value: [] } },
      ],
      { admin: false, timeZone: 'UTC' },
    );
    expect(message.text).toBe('0 active VPN connections (1 of 2 endpoints could not be listed)');
    expect(JSON.stringify(message.blocks)).toContain('could not list connections (AccessDenied: not authorized to perform ec2:DescribeClientVpnConnections)');
    expect(JSON.stringify(message.blocks)).toContain('`cvpn-endpoint-0fff`: nobody is connected');
    expect(whoMessage([], { admin: true, timeZone: 'UTC' }).text).toBe('This app lists no endpoint: CLIENT_VPN_ENDPOINT_IDS is empty.');
  });

  it('names the command as Slack sent it in the usage, unless it looks odd', () => {
    expect(usageMessage('/vpn-prod').text).toContain('`/vpn-prod who`');
    expect(usageMessage('/vpn`<!here>').text).toContain('`/vpn who`');
  });

  it('words each disconnect result', () => {
    const target = { endpointId: ENDPOINT, connectionId: CONNECTION };
    expect(disconnectResultText('U1ADMIN', target, { status: 'ok', value: { currentStatus: 'terminating' } }, 1800)).toBe(
      `<@U1ADMIN> disconnected this session (\`${CONNECTION}\` on \`${ENDPOINT}\`: terminating).`,
    );
    expect(disconnectResultText('U1ADMIN', target, { status: 'timedOut', reason: 'x' }, 1800)).toContain('still in progress, EC2 had not confirmed after 1.8 s');
    expect(disconnectResultText('U1ADMIN', target, { status: 'failed', reason: 'Unavailable: <b>' }, 1800)).toContain('but it failed: Unavailable: &lt;b&gt;');
  });
});

describe('EC2 answers', () => {
  it('reads EC2\'s "YYYY-MM-DD HH:mm:ss" as UTC, whatever the machine\'s zone', () => {
    expect(parseEc2Time('2024-05-01 09:30:00')?.toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(parseEc2Time('2024-05-01T09:30:00.000Z')?.toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(parseEc2Time('')).toBeUndefined();
    expect(parseEc2Time('yesterday')).toBeUndefined();
  });

  it('keeps only active connections', () => {
    const found = activeConnections(ENDPOINT, [
      { ConnectionId: 'cvpn-connection-01', Status: { Code: 'active' }, Username: 'a', ConnectionEstablishedTime: '2024-05-01 09:30:00' },
      { ConnectionId: 'cvpn-connection-02', Status: { Code: 'terminated' }, Username: 'b' },
      { ConnectionId: 'cvpn-connection-03', Status: { Code: 'failed-to-terminate' }, Username: 'c' },
      { ConnectionId: 'cvpn-connection-04', Username: 'd' },
    ]);
    expect(found.map((c) => c.connectionId)).toEqual(['cvpn-connection-01']);
    expect(found[0]).toEqual({ endpointId: ENDPOINT, connectionId: 'cvpn-connection-01', username: 'a', commonName: '', clientIp: '', establishedAt: new Date('2024-05-01T09:30:00Z') });
  });

  it('reads the status of the terminated connection', () => {
    const out = terminateOutcome(
      { ConnectionStatuses: [{ ConnectionId: 'cvpn-connection-09', CurrentStatus: { Code: 'terminated' } }, { ConnectionId: CONNECTION, PreviousStatus: { Code: 'active' }, CurrentStatus: { Code: 'terminating' } }] },
      CONNECTION,
    );
    expect(out).toEqual({ previousStatus: 'active', currentStatus: 'terminating' });
    expect(terminateOutcome({}, CONNECTION)).toEqual({ previousStatus: '', currentStatus: '' });
  });
});

describe('signing secret in the Slack secret', () => {
  it('reads "signingSecret" beside "token"', () => {
    expect(parseSigningSecret('{"token":"xoxb-1-2-abc","signingSecret":" 8f742231b10e8888abcd99yyyzzz85a5\\n"}')).toBe('8f742231b10e8888abcd99yyyzzz85a5');
  });

  it.each([
    ['a raw token secret', 'xoxb-1-2-abcdefabcdefabcdef'],
    ['JSON that does not parse', '{"signingSecret":"8f742231b10e8888abcd99yyyzzz85a5"'],
    ['no signingSecret', '{"token":"xoxb-1-2-abc"}'],
    ['a signingSecret that is not a string', '{"signingSecret":12345678901234567890}'],
    ['an empty signingSecret', '{"signingSecret":""}'],
    ['a placeholder', '{"signingSecret":"<fill me in>"}'],
    ['a JSON array', '["8f742231b10e8888abcd99yyyzzz85a5"]'],
  ])('refuses %s without quoting it', (_name, value) => {
    let error: unknown;
    try {
      parseSigningSecret(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SigningSecretFormatError);
    expect((error as Error).message).not.toContain('8f742231');
    expect((error as Error).message).not.toContain('xoxb-1-2-abcdef');
  });
});
