import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, templateKey } from '../../src/base/contract.ts';
import { blockLimitViolations, blocksTemplateProblems, sampleBlocksContexts } from '../../src/render/blocks-check.ts';
import { renderBlocks, type Block } from '../../src/render/blocks.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { DEFAULT_TEMPLATES } from '../../src/render/default-templates.gen.ts';

await loadTemplateEngine();

const source = (kind: (typeof EVENT_KINDS)[number]): string => {
  const template = DEFAULT_TEMPLATES[templateKey(kind, 'slack-blocks')];
  if (template === undefined) throw new Error(`no default blocks for ${kind}`);
  return template;
};
const blocksOf = (kind: (typeof EVENT_KINDS)[number], context: object): Block[] => {
  const rendered = renderBlocks(source(kind), context, 'UTC');
  if (!rendered.ok) throw new Error(rendered.reason);
  return rendered.blocks;
};
const sample = (kind: (typeof EVENT_KINDS)[number], name: string): Record<string, unknown> => {
  const found = sampleBlocksContexts(kind).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no sample ${name}`);
  return found.context;
};
const allText = (blocks: Block[]): string => JSON.stringify(blocks);
const types = (blocks: Block[]) => blocks.map((block) => block.type);
const buttons = (blocks: Block[]) =>
  blocks.filter((block) => block.type === 'actions').flatMap((block) => block.elements as { action_id: string; value: string; style: string; confirm?: object }[]);

describe('bundled default blocks', () => {
  it.each(EVENT_KINDS)('%s: valid and within Slack limits for every sample context, hostile ones included', (kind) => {
    expect(blocksTemplateProblems(source(kind), sampleBlocksContexts(kind))).toEqual([]);
  });

  it.each(EVENT_KINDS)('%s: a hostile value never adds a block, pings anyone or links anywhere', (kind) => {
    const plain = blocksOf(kind, sample(kind, 'typical'));
    const hostile = blocksOf(kind, sample(kind, 'hostile in every field'));
    expect(types(hostile)).toEqual(types(plain));
    const text = allText(hostile);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it.each(EVENT_KINDS)('%s: starts its first text with the route mention, raw, when there is one', (kind) => {
    const blocks = blocksOf(kind, sample(kind, 'with a mention'));
    const first = blocks.find((block) => block.type === 'section') as { text: { text: string } } | undefined;
    expect(first?.text.text.startsWith('<!subteam^S0123ABC> ')).toBe(true);
    expect(allText(blocksOf(kind, sample(kind, 'typical')))).not.toContain('<!');
  });

  it.each(EVENT_KINDS)('%s: a header with who and what, fields, and a context line with the time', (kind) => {
    const blocks = blocksOf(kind, sample(kind, 'typical'));
    expect(types(blocks).slice(0, 4)).toEqual(['header', 'section', 'section', 'context']);
    expect((blocks[0]?.text as { text: string }).text).toContain('alice');
    expect(allText([blocks[3] as Block])).toMatch(/2026-11-29 \d\d:\d\d:\d\d Asia\/Tokyo/);
  });

  it('connect: the fields show endpoint, IP, client and groups', () => {
    const text = allText(blocksOf('connect', sample('connect', 'typical')));
    for (const expected of ['cvpn-endpoint-0abc', '203.0.113.10', 'win 10.0.26100', 'OpenVPN 2.6.12', 'admins', 'connected']) expect(text).toContain(expected);
  });

  it('connect: the Disconnect button only when actions are on, danger, confirmed, with the contract value', () => {
    const on = buttons(blocksOf('connect', sample('connect', 'typical')));
    expect(on).toHaveLength(1);
    expect(on[0]).toMatchObject({ action_id: 'disconnect', style: 'danger', confirm: expect.objectContaining({ style: 'danger' }) });
    expect(JSON.parse(on[0]?.value ?? '')).toEqual({ endpointId: 'cvpn-endpoint-0abc', connectionId: 'cvpn-connection-0abc' });
    expect(buttons(blocksOf('connect', sample('connect', 'actions off')))).toEqual([]);
    expect(buttons(blocksOf('connect', sample('connect', 'empty')))).toEqual([]);
  });

  it('connect: the button value stays exactly two strings whatever the IDs hold', () => {
    const nasty = 'cvpn-endpoint-0abc","connectionId":"other';
    const [button] = buttons(blocksOf('connect', { ...sample('connect', 'typical'), endpointId: nasty, connectionId: 'a\\"b' }));
    expect(Object.keys(JSON.parse(button?.value ?? ''))).toEqual(['endpointId', 'connectionId']);
    expect(JSON.parse(button?.value ?? '')).toEqual({ endpointId: nasty, connectionId: 'a\\"b' });
  });

  it('connect re-rendered as disconnected (section 12): status, duration and data, and no button', () => {
    const blocks = blocksOf('connect', sample('connect', 're-rendered as disconnected'));
    const text = allText(blocks);
    expect((blocks[0]?.text as { text: string }).text).toBe(':white_circle: alice disconnected after 2h 13m 05s');
    for (const expected of ['2h 13m 05s', '1.2 MiB in', '7.3 MiB out', '2026-11-29 19:13:06 Asia/Tokyo']) expect(text).toContain(expected);
    expect(buttons(blocks)).toEqual([]);
  });

  it('disconnect: duration, bytes, device and the groups of its connect when known', () => {
    const text = allText(blocksOf('disconnect', sample('disconnect', 'with its connect')));
    for (const expected of ['2h 13m 05s', '1.2 MiB in', '7.3 MiB out', 'mac', '203.0.113.10', '10.0.0.130', 'admins']) expect(text).toContain(expected);
    expect(allText(blocksOf('disconnect', sample('disconnect', 'typical')))).toContain('(unknown)');
  });

  it('connect-failed: the reason, and a warning when the handler caused the denial', () => {
    const fault = allText(blocksOf('connect-failed', sample('connect-failed', 'typical')));
    expect(fault).toContain('client-connect-handler-timed-out');
    expect(fault).toContain('connect handler failed');
    const user = allText(blocksOf('connect-failed', sample('connect-failed', 'a user failure')));
    expect(user).toContain('authentication-failed');
    expect(user).not.toContain('connect handler failed');
  });

  it('5000-character names are cut to the header limit, never refused', () => {
    const blocks = blocksOf('connect', sample('connect', '5000-character values'));
    expect(Array.from((blocks[0]?.text as { text: string }).text).length).toBeLessThanOrEqual(150);
    expect(blockLimitViolations(blocks)).toEqual([]);
  });
});

describe('blocksTemplateProblems', () => {
  it('reports a template that breaks on hostile values, naming the sample', () => {
    const raw = '[{"type":"section","text":{"type":"mrkdwn","text":"{{{username}}}"}}]';
    const problems = blocksTemplateProblems(raw, sampleBlocksContexts('connect'));
    expect(problems.some((problem) => problem.startsWith('hostile in every field: the blocks template did not render JSON'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('typical:'))).toBe(false);
  });
  it('reports text Slack would refuse as empty', () => {
    const problems = blocksTemplateProblems('[{"type":"section","text":{"type":"mrkdwn","text":"{{username}}"}}]', sampleBlocksContexts('connect'));
    expect(problems).toContain('empty: blocks[0].text: empty text (Slack needs at least 1 character)');
  });
});
