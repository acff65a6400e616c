import { describe, expect, it } from 'vitest';
import { runLocalAction } from '../../src/local/actions.ts';
import { UsageError } from '../../src/local/files.ts';

async function run(action: string, env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  await runLocalAction(action, (line) => lines.push(line), env);
  return lines.join('\n');
}

describe('npm start -- --action (local run of slack-actions)', () => {
  it('disconnect: prints the signed request, the EC2 Terminate call and the thread reply, and answers 200', async () => {
    const out = await run('disconnect');
    expect(out).toContain('Request from Slack (Disconnect button by U0LOCALADMIN), signed v0');
    expect(out).toContain('EC2: POST https://ec2.us-east-1.amazonaws.com/  (TerminateClientVpnConnections)\n  ClientVpnEndpointId: cvpn-endpoint-0abc1234def567890\n  ConnectionId: cvpn-connection-0123456789abcdef0');
    expect(out).toContain('Slack: POST https://slack.com/api/chat.postMessage  (Authorization: Bearer ***)');
    expect(out).toContain('  thread_ts: 1700000000.000100');
    expect(out).toContain('  text: <@U0LOCALADMIN> disconnected this session (`cvpn-connection-0123456789abcdef0` on `cvpn-endpoint-0abc1234def567890`: terminating).');
    expect(out).toContain('Answer to Slack: HTTP 200');
    expect(out).toContain('"decision":"allowed"');
    expect(out).not.toContain('xoxb-');
  });

  it('who: prints the DescribeClientVpnConnections call and the ephemeral list, in TIME_ZONE', async () => {
    const out = await run('who', { TIME_ZONE: 'Asia/Tokyo', AWS_REGION: 'eu-west-1' });
    expect(out).toContain('EC2: POST https://ec2.eu-west-1.amazonaws.com/  (DescribeClientVpnConnections)');
    expect(out).toContain('"response_type": "ephemeral"');
    expect(out).toContain('since 2024-05-01 18:40:00 Asia/Tokyo');
    expect(out).toContain('"action_id": "disconnect"');
  });

  it('shows a refusal when the configured admins do not include the sample user', async () => {
    const out = await run('disconnect', { SLACK_ADMIN_USERS: 'U0SOMEONEELSE' });
    expect(out).not.toContain('TerminateClientVpnConnections');
    expect(out).toContain('Slack: POST https://hooks.slack.com/actions/T0LOCAL/1/local-run  (response_url: only the clicking user sees it)');
    expect(out).toContain('You are not allowed to disconnect VPN sessions');
  });

  it('names the actions it knows when given another', async () => {
    await expect(run('reboot')).rejects.toThrow(UsageError);
    await expect(run('reboot')).rejects.toThrow('--action must be one of who, disconnect (got "reboot")');
  });
});
