import { SAMPLE_EVENT } from '../local/start.ts';

/**
 * Events every template is rendered against before it is trusted: ordinary, sparse, hostile,
 * long and non-Latin, in the shapes Client VPN actually sends (schema v2).
 */
/** The sample whose fields are live Slack mentions and links, and the sequences it carries. */
export const MENTIONS_SAMPLE = 'Slack mentions and links';
export const MENTIONS_SAMPLE_SEQUENCES: readonly string[] = ['<!channel>', '<@U123>', '<!here>', '<!everyone>', '<!subteam^S123>', '<https://evil.example|click me>'];

export const SAMPLE_EVENTS: Readonly<Record<string, unknown>> = Object.freeze({
  typical: SAMPLE_EVENT,
  'missing fields': { 'connection-id': 'cvpn-connection-0000', 'schema-version': 'v2' },
  'null and wrong types': { 'connection-id': null, username: 42, groups: null, platform: { nested: true }, 'public-ip': [] },
  'empty event': {},
  [MENTIONS_SAMPLE]: {
    'connection-id': 'cvpn-connection-0666',
    'endpoint-id': 'cvpn-endpoint-0abc',
    'common-name': '<https://evil.example|click me>',
    username: '<!channel> & <@U123> <!here>',
    platform: '<!everyone>',
    'public-ip': '198.51.100.7',
    groups: ['admins', '<!subteam^S123>'],
  },
  'control and bidi characters': {
    'connection-id': 'cvpn-connection-0777',
    username: 'mallory\u202egnp.exe\u0000\r\nInjected-Header: yes',
    'common-name': 'zero\u200bwidth',
    platform: 'lin\u0007ux',
  },
  'long values': {
    'connection-id': `cvpn-connection-${'0'.repeat(200)}`,
    username: 'u'.repeat(5000),
    'common-name': 'c'.repeat(1000),
    groups: Array.from({ length: 200 }, (_, i) => `group-${i}`),
  },
  Japanese: {
    'connection-id': 'cvpn-connection-0888',
    'endpoint-id': 'cvpn-endpoint-0abc',
    'common-name': '山田太郎',
    username: '山田 太郎 🐱',
    platform: 'mac',
    'public-ip': '192.0.2.44',
    groups: '開発,運用',
  },
});
