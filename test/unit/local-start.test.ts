import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal } from '../../src/local/start.ts';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  await runLocal(argv, env, (line) => lines.push(line));
  return lines.join('\n');
}

describe('npm start (local run)', () => {
  it('prints the Slack request and the SNS Publish of the sample connection, and the allow answer', async () => {
    const out = await run([]);
    expect(out).toContain('Slack: POST https://slack.com/api/chat.postMessage');
    expect(out).toContain('unfurl_links: false');
    expect(out).toContain('*Client VPN connection*: *alice*');
    expect(out).toContain('SNS: Publish');
    expect(out).toContain('Subject: [Client VPN] alice connected from 203.0.113.10');
    expect(out).toContain('"endpoint-id":{"DataType":"String","StringValue":"cvpn-endpoint-0abc1234def567890"}');
    expect(out).toContain('Answer to Client VPN: {"allow":true,"error-msg-on-denied-connection":"","posture-compliance-statuses":[],"schema-version":"v2"}');
    expect(out).not.toContain('xoxb-');
  });

  it('takes another event and templates from a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvpn-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ username: '<!channel>', 'public-ip': '192.0.2.1' }));
    writeFileSync(join(dir, 'slack.hbs'), 'custom {{username}} / {{{username}}}');
    const out = await run(['--event', join(dir, 'event.json'), '--dir', dir], { TIME_ZONE: 'Asia/Tokyo' });
    expect(out).toContain('custom &lt;!channel&gt; / <!channel>');
    expect(out).toContain('Subject: [Client VPN] <!channel> connected from 192.0.2.1');
  });

  it('reports a missing or broken event file clearly', async () => {
    await expect(run(['--event', '/nonexistent/event.json'])).rejects.toThrow('cannot read /nonexistent/event.json: ENOENT');
    const dir = mkdtempSync(join(tmpdir(), 'cvpn-'));
    writeFileSync(join(dir, 'bad.json'), '{nope');
    await expect(run(['--event', join(dir, 'bad.json')])).rejects.toThrow(/is not JSON/);
    await expect(run(['--dir', '/nonexistent/templates'])).rejects.toThrow('no such directory: /nonexistent/templates');
  });

  it('--kind disconnect shows the thread reply, the update of the connect message and no token', async () => {
    const out = await run(['--kind', 'disconnect']);
    expect(out).toMatch(/chat\.postMessage[\s\S]*thread_ts: 1700000000\.000001/);
    expect(out).toMatch(/chat\.update[\s\S]*ts: 1700000000\.000001[\s\S]*disconnected after 2h 13m 05s/);
    expect(out).toContain('SNS: nothing');
    expect(out).not.toContain('xoxb-');
  });

  it('--kind connect-failed shows a handler-caused denial as such, by Slack and email', async () => {
    const out = await run(['--kind', 'connect-failed']);
    expect(out).toContain("the notifier's own connect handler failed");
    expect(out).toContain('"event-type":{"DataType":"String","StringValue":"connect-failed"}');
  });

  it('refuses an unknown kind or action as a usage error', async () => {
    await expect(run(['--kind', 'reconnect'])).rejects.toThrow(/--kind must be/);
    await expect(run(['--action', 'reboot'])).rejects.toThrow(/--action must be one of/);
  });
});
