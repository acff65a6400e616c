import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synth } from './app.ts';

/**
 * The logical ids of a deployed stack, recorded from the synthesized templates before the
 * notifier was split into parts. CloudFormation replaces a resource whose id changes: for the
 * fixed-name function and log group, or the SQS event source mapping, the deploy fails; the
 * secret would lose the token, the topic its email subscriptions. New resources may be added.
 * (Lambda versions are left out: their ids carry the code's hash and change with every build.)
 */
const deployed = JSON.parse(readFileSync(new URL('./fixtures/deployed-logical-ids.json', import.meta.url), 'utf8')) as Record<
  string,
  { resources: Record<string, string>; outputs: string[] }
>;

const SETTINGS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'everything on': {
    slackChannel: 'C0123',
    slackTokenSecret: 'team/slack',
    notificationEmails: ['ops@example.com'],
    alarmEmails: ['oncall@example.com'],
    clientVpnEndpointIds: ['cvpn-endpoint-0abc123', 'cvpn-endpoint-0def456'],
    provisionedConcurrency: 1,
  },
  // Recorded when connection-events, the session table, routes and slack-actions arrived (issues 11 to 13).
  'issues 11 to 13 on': {
    slackChannel: 'C0123',
    slackTokenSecret: 'team/slack',
    notificationEmails: ['ops@example.com'],
    alarmEmails: ['oncall@example.com'],
    clientVpnEndpointIds: ['cvpn-endpoint-0abc123', 'cvpn-endpoint-0def456'],
    provisionedConcurrency: 1,
    routes: { routes: [] },
    slackAdminUsers: ['U0123ABCD'],
  },
};

describe('logical ids of deployed resources', () => {
  it.each(Object.keys(SETTINGS))('are kept, with their types, with %s', (name) => {
    const { template } = synth(SETTINGS[name]);
    const json = template.toJSON() as { Resources: Record<string, { Type: string }>; Outputs?: Record<string, unknown> };
    const now = Object.fromEntries(Object.entries(json.Resources).map(([id, resource]) => [id, resource.Type]));
    const expected = deployed[name];
    expect(expected, `fixture for ${name}`).toBeDefined();
    expect(now).toMatchObject(expected!.resources);
    expect(Object.keys(json.Outputs ?? {})).toEqual(expect.arrayContaining(expected!.outputs));
  });
});
