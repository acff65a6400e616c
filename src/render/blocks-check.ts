import { SLACK_BLOCK_LIMITS as LIMITS, type EventKind } from '../base/contract.ts';
import { renderBlocks, type Block } from './blocks.ts';

/**
 * Trying a blocks template before trusting it: render it against hostile contexts of its kind
 * and list what Slack would refuse. The bundled defaults are tested with it, and `templates
 * validate` can run an operator's template through the same contexts.
 */

export interface SampleContext {
  readonly name: string;
  readonly context: Readonly<Record<string, unknown>>;
}

const LONG = 'x'.repeat(5000);
/** Every way a value could try to leave its JSON string, ping someone or add a block. */
const NASTY = '<!channel> "}]},{"type":"section","text":{"type":"mrkdwn","text":"pwned"}}]\\ \\" \n\r\t\u2028\u2029\u0000 &amp; <@U123> <https://evil.example|x> `code` *bold* 😀👍🏽 山田';

const CONNECT_BASE = {
  kind: 'connect',
  status: 'connected',
  connectionId: 'cvpn-connection-0abc',
  endpointId: 'cvpn-endpoint-0abc',
  commonName: 'alice.example.com',
  username: 'alice',
  platform: 'win',
  platformVersion: '10.0.26100',
  publicIp: '203.0.113.10',
  clientOpenvpnVersion: 'OpenVPN 2.6.12',
  schemaVersion: 'v2',
  groups: ['admins'],
  time: '2026-11-28T15:04:05.678Z',
  localTime: '2026-11-29 00:04:05 Asia/Tokyo',
  region: 'ap-northeast-1',
  event: {},
  mention: '',
  actionsEnabled: true,
};

const ENTRY_BASE = {
  connectionId: 'cvpn-connection-0abc',
  endpointId: 'cvpn-endpoint-0abc',
  commonName: 'alice.example.com',
  username: 'alice',
  clientIp: '10.0.0.130',
  deviceIp: '203.0.113.10',
  devicePort: '51234',
  deviceType: 'mac',
  transportProtocol: 'udp',
  startTime: '2026-11-29T08:00:01Z',
  endTime: '2026-11-29T10:13:06Z',
  localStartTime: '2026-11-29 17:00:01 Asia/Tokyo',
  localEndTime: '2026-11-29 19:13:06 Asia/Tokyo',
  durationSeconds: 7985,
  ingressBytes: 1234567,
  egressBytes: 7654321,
  duration: '2h 13m 05s',
  failureReason: '',
  handlerFault: false,
  region: 'ap-northeast-1',
  time: '2026-11-29T10:13:06.000Z',
  localTime: '2026-11-29 19:13:06 Asia/Tokyo',
  entry: {},
  mention: '',
  actionsEnabled: true,
};

/** Every string field of `base` set to `value` (lists too), the rest kept. */
function everyString(base: Record<string, unknown>, value: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(base).map(([key, field]) => {
      if (key === 'kind' || key === 'status' || key === 'mention') return [key, field];
      if (typeof field === 'string') return [key, value];
      if (Array.isArray(field)) return [key, [value, value]];
      return [key, field];
    }),
  );
}

function samplesFor(base: Record<string, unknown>, extra: readonly SampleContext[]): SampleContext[] {
  return [
    { name: 'typical', context: base },
    { name: 'with a mention', context: { ...base, mention: '<!subteam^S0123ABC>' } },
    { name: 'empty', context: { kind: base.kind, status: base.status } },
    { name: 'nulls', context: Object.fromEntries(Object.keys(base).map((key) => [key, key === 'kind' ? base.kind : null])) },
    { name: 'hostile in every field', context: everyString(base, NASTY) },
    { name: '5000-character values', context: everyString(base, LONG) },
    { name: 'quotes and backslashes', context: everyString(base, '"\\"\\\\"') },
    { name: 'emoji and combining marks', context: everyString(base, '👩🏽‍💻🇯🇵 é 山田 :rocket:') },
    { name: '200 groups', context: { ...base, groups: Array.from({ length: 200 }, (_, i) => `group-${i}`) } },
    ...extra,
  ];
}

/** Contexts of a kind's shape (contract sections 7, 11, 12) with ordinary and hostile values. */
export function sampleBlocksContexts(kind: EventKind): SampleContext[] {
  if (kind === 'connect') {
    const disconnected = { ...CONNECT_BASE, status: 'disconnected', endTime: ENTRY_BASE.endTime, localEndTime: ENTRY_BASE.localEndTime, duration: ENTRY_BASE.duration, durationSeconds: 7985, ingressBytes: 1234567, egressBytes: 7654321 };
    return samplesFor(CONNECT_BASE, [
      { name: 'actions off', context: { ...CONNECT_BASE, actionsEnabled: false } },
      { name: 're-rendered as disconnected', context: disconnected },
      { name: 'disconnected, hostile', context: everyString(disconnected, NASTY) },
    ]);
  }
  const base = { ...ENTRY_BASE, kind };
  if (kind === 'disconnect') {
    return samplesFor(base, [
      { name: 'with its connect', context: { ...base, connect: CONNECT_BASE } },
      { name: 'with a hostile connect', context: { ...base, connect: everyString(CONNECT_BASE, NASTY) } },
      { name: 'NA numbers', context: { ...base, durationSeconds: null, ingressBytes: null, egressBytes: null, duration: '' } },
    ]);
  }
  const failed = { ...base, endTime: '', localEndTime: '', durationSeconds: null, ingressBytes: null, egressBytes: null, duration: '', failureReason: 'client-connect-handler-timed-out', handlerFault: true };
  return samplesFor(failed, [{ name: 'a user failure', context: { ...failed, failureReason: 'authentication-failed', handlerFault: false } }]);
}

function textOf(holder: unknown, key: string): string | undefined {
  const object = (holder as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  return typeof object?.text === 'string' ? object.text : undefined;
}

/** What Slack would refuse in finished blocks: limits of contract 14 and empty text objects. */
export function blockLimitViolations(blocks: readonly Block[]): string[] {
  const found: string[] = [];
  const length = (text: string) => Array.from(text).length;
  const within = (text: string | undefined, max: number, where: string): void => {
    if (text === undefined) return;
    if (length(text) > max) found.push(`${where}: ${length(text)} characters, more than ${max}`);
    if (text.trim() === '') found.push(`${where}: empty text (Slack needs at least 1 character)`);
  };
  const button = (element: Record<string, unknown>, where: string): void => {
    within(textOf(element, 'text'), LIMITS.buttonText, `${where}.text`);
    if (typeof element.value === 'string' && length(element.value) > LIMITS.buttonValue) found.push(`${where}.value: longer than ${LIMITS.buttonValue}`);
    const confirm = element.confirm;
    within(textOf(confirm, 'title'), LIMITS.confirmTitle, `${where}.confirm.title`);
    within(textOf(confirm, 'text'), LIMITS.confirmText, `${where}.confirm.text`);
    within(textOf(confirm, 'confirm'), LIMITS.confirmButton, `${where}.confirm.confirm`);
    within(textOf(confirm, 'deny'), LIMITS.confirmButton, `${where}.confirm.deny`);
  };
  if (blocks.length < 1 || blocks.length > LIMITS.blocks) found.push(`${blocks.length} blocks`);
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    const items = (key: string): Record<string, unknown>[] => (Array.isArray(block[key]) ? (block[key] as Record<string, unknown>[]) : []);
    if (block.type === 'header') within(textOf(block, 'text'), LIMITS.headerText, `${at}.text`);
    if (block.type === 'section') {
      within(textOf(block, 'text'), LIMITS.sectionText, `${at}.text`);
      const fields = items('fields');
      if (fields.length > LIMITS.sectionFields) found.push(`${at}.fields: ${fields.length} items, more than ${LIMITS.sectionFields}`);
      fields.forEach((field, j) => within(typeof field?.text === 'string' ? field.text : undefined, LIMITS.sectionFieldText, `${at}.fields[${j}]`));
      if ((block.accessory as Record<string, unknown> | undefined)?.type === 'button') button(block.accessory as Record<string, unknown>, `${at}.accessory`);
    }
    if (block.type === 'context') {
      const elements = items('elements');
      if (elements.length > LIMITS.contextElements) found.push(`${at}.elements: ${elements.length} items, more than ${LIMITS.contextElements}`);
      elements.forEach((element, j) => within(typeof element?.text === 'string' ? element.text : undefined, LIMITS.contextElementText, `${at}.elements[${j}]`));
    }
    if (block.type === 'actions') items('elements').forEach((element, j) => element?.type === 'button' && button(element, `${at}.elements[${j}]`));
  });
  return found;
}

/**
 * Renders a blocks template against each sample context; lists every failure to render valid
 * blocks and every limit Slack would refuse. Empty when the template is safe to send.
 */
export function blocksTemplateProblems(source: string, samples: readonly SampleContext[], timeZone = 'UTC'): string[] {
  const problems: string[] = [];
  for (const sample of samples) {
    const rendered = renderBlocks(source, sample.context, timeZone);
    if (!rendered.ok) problems.push(`${sample.name}: ${rendered.reason}`);
    else for (const violation of blockLimitViolations(rendered.blocks)) problems.push(`${sample.name}: ${violation}`);
  }
  return problems;
}
