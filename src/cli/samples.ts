import { SAMPLE_DISCONNECT_ENTRY } from '../local/events.ts';
/**
 * What every template is rendered against before it is trusted: ordinary, sparse, hostile,
 * long and non-Latin values, in the shapes Client VPN actually sends: connect events (schema v2,
 * contract section 3) and connection log entries (section 11), turned into template contexts by
 * the same code the functions use.
 */
import { parseConnection } from '../base/connection.ts';
import type { EventKind } from '../base/contract.ts';
import { classifyEntry } from '../events/classify.ts';
import { buildEventContext } from '../events/context.ts';
import { SAMPLE_EVENT } from '../local/start.ts';
import { buildContext } from '../render/context.ts';

/** The sample whose fields are live Slack mentions and links, and the sequences it carries. */
export const MENTIONS_SAMPLE = 'Slack mentions and links';
export const MENTIONS_SAMPLE_SEQUENCES: readonly string[] = ['<!channel>', '<@U123>', '<!here>', '<!everyone>', '<!subteam^S123>', '<https://evil.example|click me>'];

/** The disconnect sample whose connect (section 12) carried the mentions sample's fields. */
export const HOSTILE_CONNECT_SAMPLE = 'with a hostile connect';

/** A mention a route may ask for (section 13): inserted raw, on purpose. */
export const ROUTE_MENTION = '<!subteam^S0123ABC>';

const LONG = (char: string): string => char.repeat(5000);

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
  'backticks and markdown': {
    'connection-id': 'cvpn-connection-0555',
    username: '`whoami` ```rm -rf /``` *bold* _it_ ~gone~ > quoted',
    'common-name': '"quoted" \\ back\\slash',
    groups: '`a`,*b*',
  },
  'control and bidi characters': {
    'connection-id': 'cvpn-connection-0777',
    username: 'mallory\u202egnp.exe\u0000\r\nInjected-Header: yes',
    'common-name': 'zero\u200bwidth',
    platform: 'lin\u0007ux',
  },
  'long values': {
    'connection-id': `cvpn-connection-${'0'.repeat(200)}`,
    username: LONG('u'),
    'common-name': LONG('c'),
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

/** The contract's disconnect entry (section 11), the same the local run uses. */
const DISCONNECT_ENTRY: Readonly<Record<string, string>> = SAMPLE_DISCONNECT_ENTRY;

/** A connection Client VPN denied because the connect handler timed out (handlerFault). */
const FAILED_ENTRY: Readonly<Record<string, string>> = Object.freeze({
  ...DISCONNECT_ENTRY,
  'connection-log-type': 'connection-attempt',
  'connection-attempt-status': 'failed',
  'connection-attempt-failure-reason': 'client-connect-handler-timed-out',
  'connection-id': 'cvpn-connection-0f00dfeed0000beef',
  'connection-start-time': 'NA',
  'connection-last-update-time': '2026-11-29 09:00:31',
  'client-ip': 'NA',
  'common-name': 'bob.example.com',
  'device-type': 'windows',
  'device-ip': '198.51.100.23',
  port: '61000',
  'ingress-bytes': '0',
  'egress-bytes': '0',
  'ingress-packets': '0',
  'egress-packets': '0',
  'connection-end-time': 'NA',
  username: 'bob',
  'connection-duration-seconds': 'NA',
});

/** Every field `NA` except the ones that make the entry its kind. */
function allNa(base: Readonly<Record<string, string>>, keep: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(base).map(([key, value]) => [key, keep.includes(key) ? value : 'NA']));
}

/** The hostile variants every kind's entries get, over the fields clients and certificates supply. */
function hostileEntries(base: Readonly<Record<string, string>>): Record<string, Record<string, string>> {
  return {
    [MENTIONS_SAMPLE]: {
      ...base,
      username: '<!channel> & <@U123> <!here>',
      'common-name': '<https://evil.example|click me>',
      'device-type': '<!everyone>',
      'device-ip': '<!subteam^S123>',
    },
    'backticks and markdown': { ...base, username: '`whoami` ```rm -rf /``` *bold* _it_ ~gone~ > quoted', 'common-name': '"quoted" \\ back\\slash' },
    'control and bidi characters': { ...base, username: 'mallory\u202egnp.exe\u0000\r\nInjected-Header: yes', 'common-name': 'zero\u200bwidth', 'device-type': 'lin\u0007ux' },
    'long values': { ...base, username: LONG('u'), 'common-name': LONG('c'), 'connection-id': `cvpn-connection-${'0'.repeat(200)}` },
    Japanese: { ...base, username: '山田 太郎 🐱', 'common-name': '山田太郎' },
  };
}

/** Connection log entries per kind, as logged (JSON objects of strings). */
export const SAMPLE_ENTRIES: Readonly<Record<Exclude<EventKind, 'connect'>, Readonly<Record<string, Readonly<Record<string, string>>>>>> = Object.freeze({
  disconnect: {
    typical: DISCONNECT_ENTRY,
    'NA everywhere': allNa(DISCONNECT_ENTRY, ['connection-end-time']),
    'without a duration field': Object.fromEntries(Object.entries(DISCONNECT_ENTRY).filter(([key]) => key !== 'connection-duration-seconds')),
    ...hostileEntries(DISCONNECT_ENTRY),
  },
  'connect-failed': {
    typical: FAILED_ENTRY,
    'refused by a policy': { ...FAILED_ENTRY, 'connection-attempt-failure-reason': 'authorization-policy-deny' },
    'NA everywhere': allNa(FAILED_ENTRY, ['connection-attempt-status']),
    ...hostileEntries(FAILED_ENTRY),
  },
});

export interface TemplateSample {
  readonly name: string;
  readonly context: object;
}

const CONNECT_INSTANT = new Date('2026-01-02T03:04:05Z');
const LOG_TIMESTAMP_MS = Date.parse('2026-11-29T10:13:07Z');
const REGION = 'us-east-1';

function connectContext(event: unknown, timeZone: string) {
  return buildContext(parseConnection(event), CONNECT_INSTANT, timeZone, REGION);
}

/**
 * The contexts a template of `kind` is rendered with, named after their sample. The connect
 * kind also gets a route mention and the parent re-rendered as disconnected (section 12); a
 * disconnect also gets its connect's context (`{{connect.platform}}`), a hostile one included.
 */
export function templateSamples(kind: EventKind, timeZone: string): TemplateSample[] {
  if (kind === 'connect') {
    const samples = Object.entries(SAMPLE_EVENTS).map(([name, event]) => ({ name, context: connectContext(event, timeZone) }));
    const typical = connectContext(SAMPLE_EVENT, timeZone);
    return [...samples, { name: 'with a route mention', context: { ...typical, mention: ROUTE_MENTION } }, { name: 're-rendered as disconnected', context: { ...typical, status: 'disconnected' } }];
  }
  const samples = Object.entries(SAMPLE_ENTRIES[kind]).map(([name, raw]) => ({ name, context: entryContext(kind, raw, timeZone) }));
  const typical = entryContext(kind, SAMPLE_ENTRIES[kind].typical ?? {}, timeZone);
  const extra: TemplateSample[] = [{ name: 'with a route mention', context: { ...typical, mention: ROUTE_MENTION } }];
  if (kind === 'disconnect') {
    extra.push(
      { name: 'with its connect', context: entryContext(kind, DISCONNECT_ENTRY, timeZone, connectContext(SAMPLE_EVENT, timeZone)) },
      { name: HOSTILE_CONNECT_SAMPLE, context: entryContext(kind, DISCONNECT_ENTRY, timeZone, connectContext(SAMPLE_EVENTS[MENTIONS_SAMPLE], timeZone)) },
    );
  }
  return [...samples, ...extra];
}

/** The context the connection-events function would build for `raw`; throws if `raw` is not of `kind` (a bug in the samples). */
export function entryContext(kind: Exclude<EventKind, 'connect'>, raw: object, timeZone: string, connect?: object): object {
  const classified = classifyEntry(JSON.stringify(raw));
  if (classified.kind !== kind) throw new Error(`sample entry is ${classified.kind}, not ${kind}`);
  return { ...buildEventContext(classified.entry, kind, LOG_TIMESTAMP_MS, timeZone, REGION, connect), mention: '' };
}
