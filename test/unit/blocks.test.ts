import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLACK_BLOCK_LIMITS } from '../../src/base/contract.ts';
import { escapeSlack, singleLine } from '../../src/base/text.ts';
import { blockLimitViolations } from '../../src/render/blocks-check.ts';
import { cutToLimit, finishBlocks, renderBlocks, renderSlackBlocks, type Block } from '../../src/render/blocks.ts';
import { compileTemplate, loadTemplateEngine } from '../../src/render/compile.ts';
import { DEFAULT_TEMPLATES } from '../../src/render/default-templates.gen.ts';

await loadTemplateEngine();

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const ok = (rendered: ReturnType<typeof finishBlocks>): Block[] => {
  if (!rendered.ok) throw new Error(`expected blocks, got: ${rendered.reason}`);
  return rendered.blocks;
};
const render = (template: string, context: object) => renderBlocks(template, context, 'UTC');

const TWO_BLOCKS = '[{"type":"section","text":{"type":"mrkdwn","text":"A{{v}}B"}},{"type":"context","elements":[{"type":"mrkdwn","text":"{{v}}"}]}]';

describe('{{value}} in a blocks template', () => {
  it.each([
    ['a quote that would end the string', 'x"}]', 'x\\"}]'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a mention', '<!channel>', '&lt;!channel&gt;'],
    ['a link', '<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['an ampersand', 'R&D', 'R&amp;D'],
    ['a line break', 'a\nb\r\nc', 'a b c'],
    ['a control character', 'a\u0000\u0007b', 'ab'],
    ['U+2028 and U+2029 (line breaks to some renderers: made spaces)', 'a\u2028b\u2029c', 'a b c'],
    ['a bidi override', 'alice\u202egnp.exe', 'alicegnp.exe'],
  ])('escapes %s for mrkdwn and for a JSON string', (_what, value, escaped) => {
    const compiled = compileTemplate('"{{v}}"', 'blocks');
    expect(compiled({ v: value }, { timeZone: 'UTC' })).toBe(`"${escaped}"`);
  });

  it('an attempt to add a block stays text inside its own block', () => {
    const attack = '"}},{"type":"section","text":{"type":"mrkdwn","text":"<!channel> pwned';
    const blocks = ok(render(TWO_BLOCKS, { v: attack }));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toEqual(section(`A${escapeSlack(attack)}B`));
  });

  it('escapes helper output too, and the json helper output is a string, not JSON', () => {
    const blocks = ok(render('[{"type":"section","text":{"type":"mrkdwn","text":"{{join groups}} {{json groups}}"}}]', { groups: ['a"b', '<!here>'] }));
    expect(blocks[0]).toEqual(section('a"b, &lt;!here&gt; ["a\\"b","&lt;!here&gt;"]'));
  });

  it('{{{value}}} is raw: a quote in it breaks the JSON, and that is reported, not sent', () => {
    expect(ok(render('[{"type":"section","text":{"type":"mrkdwn","text":"{{{m}}} hi"}}]', { m: '<!here>' }))[0]).toEqual(section('<!here> hi'));
    const broken = render('[{"type":"section","text":{"type":"mrkdwn","text":"{{{v}}}"}}]', { v: 'a"b' });
    expect(broken.ok).toBe(false);
  });

  it('the same source compiles separately per target', () => {
    expect(compileTemplate('{{v}}', 'slack')({ v: 'a"<' }, { timeZone: 'UTC' })).toBe('a"&lt;');
    expect(compileTemplate('{{v}}', 'blocks')({ v: 'a"<' }, { timeZone: 'UTC' })).toBe('a\\"&lt;');
  });

  it('for any value: the JSON holds, no block is added, and the value appears only escaped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        const blocks = ok(render(TWO_BLOCKS, { v: value }));
        expect(blocks).toHaveLength(2);
        expect(blocks.map((block) => block.type)).toEqual(['section', 'context']);
        const expected = escapeSlack(singleLine(value));
        expect(blocks[0]).toEqual(section(`A${expected}B`));
        const inner = (blocks[0]?.text as { text: string }).text.slice(1, -1);
        expect(inner).not.toMatch(/[<>\n\r\u0000-\u001f]/);
        expect(inner.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }),
    );
  });

  it('for any values in every field of a richer template, the blocks stay exactly as the template shapes them', () => {
    const template =
      '[{"type":"header","text":{"type":"plain_text","text":"{{a}}"}},{"type":"section","fields":[{"type":"mrkdwn","text":"*A*\\n{{a}}"},{"type":"mrkdwn","text":"{{b}}"}]},' +
      '{"type":"actions","elements":[{"type":"button","action_id":"x","text":{"type":"plain_text","text":"{{b}}"},"value":"{\\"id\\":{{json a}} }"}]}]';
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 4000 }), (a, b) => {
        const blocks = ok(render(template, { a, b }));
        expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'actions']);
        expect(blockLimitViolations(blocks).filter((v) => !v.includes('empty text'))).toEqual([]);
        const button = (blocks[2]?.elements as { value: string }[])[0];
        // The value is JSON inside the string (the json helper, escaped once more), and reads back.
        if (button && Array.from(button.value).length < SLACK_BLOCK_LIMITS.buttonValue) {
          const { id } = JSON.parse(button.value) as { id: string };
          expect(id).toBe(JSON.parse(escapeSlack(singleLine(JSON.stringify(a)))));
          if (/^[\w-]*$/.test(a)) expect(id).toBe(a);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('finishBlocks: what is accepted', () => {
  it.each([
    ['not JSON', '[{"type":"section"', /did not render JSON/],
    ['an object', '{"type":"section"}', /rendered an object, not a list of blocks/],
    ['a string', '"hello"', /rendered a string, not a list of blocks/],
    ['null', 'null', /rendered null/],
    ['no blocks', '[]', /rendered 0 blocks; Slack takes 1 to 50/],
    ['51 blocks', JSON.stringify(Array.from({ length: 51 }, () => ({ type: 'divider' }))), /rendered 51 blocks; Slack takes 1 to 50/],
    ['a block that is not an object', '[{"type":"divider"}, "divider"]', /block 1 is not an object with a string "type"/],
    ['a block that is a list', '[[{"type":"divider"}]]', /block 0 is not an object/],
    ['a block without type', '[{"text":"x"}]', /block 0 is not an object with a string "type"/],
    ['a numeric type', '[{"type":3}]', /block 0/],
    ['an empty type', '[{"type":""}]', /block 0/],
    ['empty text', '', /did not render JSON/],
  ])('%s is refused', (_what, text, reason) => {
    const rendered = finishBlocks(text);
    expect(rendered.ok).toBe(false);
    if (!rendered.ok) expect(rendered.reason).toMatch(reason);
  });

  it('1 and 50 blocks are accepted, with surrounding whitespace', () => {
    expect(ok(finishBlocks(' \n[{"type":"divider"}]\n'))).toEqual([{ type: 'divider' }]);
    expect(ok(finishBlocks(JSON.stringify(Array.from({ length: 50 }, () => ({ type: 'divider' })))))).toHaveLength(50);
  });

  it('leaves blocks of other types and unknown fields alone', () => {
    const blocks = [{ type: 'image', image_url: 'https://example.com/x.png', alt_text: 'x'.repeat(5000) }, { type: 'rich_text', elements: [] }];
    expect(ok(finishBlocks(JSON.stringify(blocks)))).toEqual(blocks);
  });
});

describe('finishBlocks: Slack limits', () => {
  const long = (n: number, unit = 'a') => unit.repeat(n);
  const finish = (blocks: object[]) => {
    const rendered = finishBlocks(JSON.stringify(blocks));
    if (!rendered.ok) throw new Error(rendered.reason);
    return rendered;
  };

  it('cuts a header to 150 characters, ending in …', () => {
    const { blocks, cut } = finish([{ type: 'header', text: { type: 'plain_text', text: long(151) } }]);
    const text = (blocks[0]?.text as { text: string }).text;
    expect(Array.from(text)).toHaveLength(150);
    expect(text.endsWith('…')).toBe(true);
    expect(cut).toEqual(['blocks[0].text.text']);
  });

  it('leaves text at the limit as it is', () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: long(150) } }, section(long(3000))];
    expect(finish(blocks)).toEqual({ ok: true, blocks, cut: [] });
  });

  it('counts characters, not UTF-16 units: 150 emoji fit a header', () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: long(150, '😀') } }];
    expect(finish(blocks).cut).toEqual([]);
    expect(finish([{ type: 'header', text: { type: 'plain_text', text: long(151, '😀') } }]).cut).toHaveLength(1);
  });

  it('cuts section text to 3000, fields to 10 of at most 2000', () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ type: 'mrkdwn', text: long(i === 3 ? 2001 : 10) }));
    const { blocks, cut } = finish([{ ...section(long(3001)), fields }]);
    const block = blocks[0] as unknown as { text: { text: string }; fields: { text: string }[] };
    expect(Array.from(block.text.text)).toHaveLength(3000);
    expect(block.fields).toHaveLength(10);
    expect(Array.from(block.fields[3]?.text ?? '')).toHaveLength(2000);
    expect(cut).toEqual(['blocks[0].text.text', 'blocks[0].fields', 'blocks[0].fields[3].text']);
  });

  it('cuts context elements to 10 and their text to 3000', () => {
    const elements = Array.from({ length: 11 }, (_, i) => ({ type: 'mrkdwn', text: long(i === 0 ? 3001 : 5) }));
    const { blocks, cut } = finish([{ type: 'context', elements }]);
    const kept = blocks[0]?.elements as { text: string }[];
    expect(kept).toHaveLength(10);
    expect(Array.from(kept[0]?.text ?? '')).toHaveLength(3000);
    expect(cut).toEqual(['blocks[0].elements', 'blocks[0].elements[0].text']);
  });

  it('cuts a button: text 75, value 2000 without …, and its confirm dialog', () => {
    const button = {
      type: 'button',
      action_id: 'disconnect',
      text: { type: 'plain_text', text: long(76) },
      value: long(2001, 'v'),
      confirm: {
        title: { type: 'plain_text', text: long(101) },
        text: { type: 'plain_text', text: long(301) },
        confirm: { type: 'plain_text', text: long(31) },
        deny: { type: 'plain_text', text: long(31) },
      },
    };
    const { blocks, cut } = finish([{ type: 'actions', elements: [button] }, { ...section('s'), accessory: { ...button } }]);
    const kept = (blocks[0]?.elements as (typeof button)[])[0];
    expect(Array.from(kept?.text.text ?? '')).toHaveLength(75);
    expect(kept?.value).toBe(long(2000, 'v'));
    expect(Array.from(kept?.confirm.title.text ?? '')).toHaveLength(100);
    expect(Array.from(kept?.confirm.text.text ?? '')).toHaveLength(300);
    expect(Array.from(kept?.confirm.confirm.text ?? '')).toHaveLength(30);
    expect(Array.from(kept?.confirm.deny.text ?? '')).toHaveLength(30);
    expect(cut).toContain('blocks[1].accessory.text.text');
    expect(cut).toHaveLength(12);
    expect(blockLimitViolations(blocks)).toEqual([]);
  });

  it('never leaves half an escape behind', () => {
    expect(cutToLimit(`${'a'.repeat(146)}&amp;&amp;`, 150)).toBe(`${'a'.repeat(146)}…`);
    expect(cutToLimit(`${'a'.repeat(147)}&lt;&lt;`, 150)).toBe(`${'a'.repeat(147)}…`);
    expect(cutToLimit(`${'a'.repeat(145)}&gt;&gt;`, 150)).toBe(`${'a'.repeat(145)}&gt;…`);
  });

  it('for any blocks of the limited kinds, the finished blocks are within every limit', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 3500 });
    const textObject = text.map((t) => ({ type: 'mrkdwn', text: t }));
    const block = fc.oneof(
      text.map((t) => ({ type: 'header', text: { type: 'plain_text', text: t } })),
      fc.record({ type: fc.constant('section'), text: textObject, fields: fc.array(textObject, { maxLength: 14 }) }),
      fc.record({ type: fc.constant('context'), elements: fc.array(textObject, { maxLength: 14 }) }),
      fc.record({ type: fc.constant('actions'), elements: fc.array(fc.record({ type: fc.constant('button'), text: textObject, value: text }), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 50 }), (blocks) => {
        const finished = finish(blocks);
        expect(blockLimitViolations(finished.blocks).filter((v) => !v.includes('empty text'))).toEqual([]);
        expect(finished.blocks).toHaveLength(blocks.length);
      }),
      { numRuns: 50 },
    );
  });
});

describe('renderSlackBlocks', () => {
  const context = { username: 'alice', kind: 'connect', status: 'connected', localTime: '2026-11-29 00:04:05 UTC' };

  it('uses a stored template that renders valid blocks', () => {
    const out = renderSlackBlocks('connect', '[{"type":"section","text":{"type":"mrkdwn","text":"hi {{username}}"}}]', context, 'UTC');
    expect(out).toEqual({ blocks: [section('hi alice')], from: 'stored', cut: [] });
  });

  it('reads the Parameter Store form ({% %})', () => {
    const out = renderSlackBlocks('disconnect', '[{"type":"section","text":{"type":"mrkdwn","text":"bye {%username%}"}}]', context, 'UTC');
    expect(out.blocks).toEqual([section('bye alice')]);
  });

  it.each([
    ['a syntax error', '[{{#if username}}', /Parse error|Expecting/],
    ['an unknown helper', '[{{shout username}}]', /unknown helper "shout"/],
    ['output that is not JSON', 'hello {{username}}', /did not render JSON/],
    ['a block without type', '[{"text":"{{username}}"}]', /block 0 is not an object with a string "type"/],
    ['too many blocks', `[${Array.from({ length: 51 }, () => '{"type":"divider"}').join(',')}]`, /51 blocks/],
  ])('falls back to the bundled default on %s, saying why', (_what, stored, reason) => {
    const out = renderSlackBlocks('connect', stored, context, 'UTC');
    expect(out.from).toBe('default');
    expect(out.fallbackReason).toMatch(reason);
    expect(out.blocks).toEqual(renderSlackBlocks('connect', undefined, context, 'UTC').blocks);
    expect(out.blocks?.length).toBeGreaterThan(0);
  });

  it('without a stored template, sends the bundled default of the kind', () => {
    for (const kind of ['connect', 'disconnect', 'connect-failed'] as const) {
      const out = renderSlackBlocks(kind, undefined, { ...context, kind }, 'UTC');
      expect(out.from).toBe('default');
      expect(out.fallbackReason).toBeUndefined();
      expect(out.blocks?.[0]?.type).toBe('header');
    }
    expect(Object.keys(DEFAULT_TEMPLATES)).toEqual(expect.arrayContaining(['slack-blocks', 'disconnect/slack-blocks', 'connect-failed/slack-blocks']));
  });
});
