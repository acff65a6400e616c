import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The manifest is YAML; these checks read it as text, which is enough for what the app needs.
const manifest = readFileSync(new URL('../../slack/manifest.yaml', import.meta.url), 'utf8');

describe('slack/manifest.yaml', () => {
  it('asks for the scopes the functions use, and no more', () => {
    const scopes = [...manifest.matchAll(/^\s+- ([a-z:.]+)\s*$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['chat:write', 'chat:write.public', 'commands']);
  });

  it('points the /vpn command and interactivity at the function URL placeholder the README tells to fill', () => {
    expect(manifest).toMatch(/command: \/vpn\n\s+url: https:\/\/REPLACE-WITH-SlackActionsUrl\//);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true\n\s+request_url: https:\/\/REPLACE-WITH-SlackActionsUrl\//);
    expect(manifest).toContain('socket_mode_enabled: false');
  });
});
