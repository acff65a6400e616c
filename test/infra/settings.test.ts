import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../../infra/config.ts';
import { BUDGET_MS } from '../../src/base/contract.ts';

describe('deploy settings (cdk.json context)', () => {
  it('accepts the cdk.json defaults', async () => {
    const { readFileSync } = await import('node:fs');
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
    expect(parseSettings(cdkJson.context['clientvpn-notifier'])).toMatchObject({ notifyBudgetMs: 3000, cacheTtlSeconds: 60, clientVpnEndpointIds: [], slackChannel: undefined });
  });

  it.each(['https://slack-gov.com/api/', 'http://127.0.0.1:8080/api/', 'http://localhost:9000/api/', 'http://[::1]:9000/api/'])('accepts slackApiUrl %s (https, or http to loopback)', (url) => {
    expect(parseSettings({ slackApiUrl: url }).slackApiUrl).toBe(url);
  });

  it('accepts a JSON string, as -c on the command line gives it', () => {
    expect(parseSettings('{"slackChannel":"C1"}').slackChannel).toBe('C1');
  });

  it('takes a routes document as an object (cdk.json) or as JSON text, and keeps it as text', () => {
    const document = { routes: [{ name: 'robots', when: { users: ['ci-*'] }, slack: false, email: false }] };
    expect(JSON.parse(parseSettings({ routes: document }).routes!)).toEqual(document);
    expect(parseSettings({ routes: JSON.stringify(document) }).routes).toBe(JSON.stringify(document));
    expect(parseSettings({}).routes).toBeUndefined();
  });

  it('accepts the budget bounds themselves', () => {
    expect(parseSettings({ notifyBudgetMs: BUDGET_MS.max }).notifyBudgetMs).toBe(25000);
    expect(parseSettings({ notifyBudgetMs: BUDGET_MS.min }).notifyBudgetMs).toBe(100);
  });

  it.each([
    [{ nope: 1 }, /unknown setting "nope"/],
    [{ notificationEmails: 'a@example.com' }, /must be a list of strings/],
    [{ notificationEmails: ['not-an-email'] }, /not an email address/],
    [{ clientVpnEndpointIds: ['vpn-123'] }, /not a Client VPN endpoint id/],
    [{ notifyBudgetMs: 40000 }, /"notifyBudgetMs".*from 100 to 25000/],
    [{ notifyBudgetMs: 25001 }, /"notifyBudgetMs".*from 100 to 25000/],
    [{ notifyBudgetMs: 99 }, /"notifyBudgetMs".*from 100 to 25000/],
    [{ notifyBudgetMs: 3000.5 }, /"notifyBudgetMs" must be a whole number/],
    [{ slackChannel: 5 }, /must be a string/],
    [{ slackApiUrl: 'http://slack.example/api/' }, /^setting "slackApiUrl": "http:\/\/slack.example\/api\/" is not an https: URL/],
    [{ slackApiUrl: 'ftp://slack.example/api/' }, /^setting "slackApiUrl": .* is not an https: URL/],
    [{ slackApiUrl: 'slack.example/api' }, /^setting "slackApiUrl": .* is not a URL/],
    ['{broken', /is not JSON/],
    [{ routes: { routes: [{ name: 'a', slack: { channel: 'not a channel!' } }] } }, /^setting "routes" is not a valid routes document: routes\[0\]\.slack\.channel: /],
    [{ routes: 42 }, /^setting "routes" must be a routes document/],
  ])('refuses %j with a message naming the setting', (input, message) => {
    expect(() => parseSettings(input)).toThrow(SettingsError);
    expect(() => parseSettings(input)).toThrow(message);
  });
});
