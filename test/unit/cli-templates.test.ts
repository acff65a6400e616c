import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_TEMPLATE_KEYS } from '../../src/base/contract.ts';
import { UsageError } from '../../src/cli/io.ts';
import { blockKitBuilderLink, BLOCK_KIT_BUILDER_URL, isLogEntry, readLogEntry } from '../../src/cli/preview.ts';
import { SAMPLE_ENTRIES, templateSamples } from '../../src/cli/samples.ts';
import { readTemplateDir, writeTemplateFile } from '../../src/cli/template-files.ts';
import { keysOf, kindOption, parseTemplateKey } from '../../src/cli/template-keys.ts';
import { classifyEntry } from '../../src/events/classify.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/connection-log/${name}.json`, import.meta.url), 'utf8'));

describe('--kind and template names', () => {
  it('all covers every template name of the contract, in its order', () => {
    expect(keysOf('all')).toEqual([...ALL_TEMPLATE_KEYS]);
  });

  it('a kind covers its four templates, named like the parameters', () => {
    expect(keysOf('connect')).toEqual(['slack', 'email-subject', 'email-body', 'slack-blocks']);
    expect(keysOf('disconnect')).toEqual(['disconnect/slack', 'disconnect/email-subject', 'disconnect/email-body', 'disconnect/slack-blocks']);
    expect(parseTemplateKey('connect-failed/slack-blocks')).toEqual({ key: 'connect-failed/slack-blocks', kind: 'connect-failed', part: 'slack-blocks' });
    expect(parseTemplateKey('connect/slack')).toBeUndefined();
  });

  it('--kind takes the default when absent and refuses anything else, naming the choices', () => {
    expect(kindOption({}, 'all')).toBe('all');
    expect(kindOption({ kind: 'disconnect' }, 'all')).toBe('disconnect');
    expect(() => kindOption({ kind: 'disconnected' }, 'all')).toThrow(new UsageError('--kind must be connect, disconnect, connect-failed, all'));
    expect(() => kindOption({ kind: 'all' }, 'connect', ['connect', 'disconnect'])).toThrow(UsageError);
  });
});

describe('the template directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvpn-tpl-'));
  writeFileSync(join(dir, 'slack.hbs'), 'connect');
  mkdirSync(join(dir, 'disconnect'));
  writeFileSync(join(dir, 'disconnect', 'slack-blocks.hbs'), '[ ]');
  writeFileSync(join(dir, 'disconnect-slack.hbs'), 'typo');
  mkdirSync(join(dir, 'connect'));
  writeFileSync(join(dir, 'connect', 'slack.hbs'), 'wrong place');
  writeFileSync(join(dir, 'notes.txt'), 'not a template');

  it('reads the files of the names asked for, in kind folders too', () => {
    expect(readTemplateDir(dir, keysOf('all')).templates).toEqual({ slack: 'connect', 'disconnect/slack-blocks': '[ ]' });
    expect(readTemplateDir(dir, keysOf('disconnect')).templates).toEqual({ 'disconnect/slack-blocks': '[ ]' });
  });

  it('reports .hbs files that are no template, so a typo is not silently ignored', () => {
    expect([...readTemplateDir(dir, keysOf('connect')).strays].sort()).toEqual(['connect/slack.hbs', 'disconnect-slack.hbs']);
  });

  it('a missing directory is a usage error', () => {
    expect(() => readTemplateDir(join(dir, 'nope'), keysOf('all'))).toThrow(UsageError);
  });

  it('writes a template into its kind folder, creating it', () => {
    const out = mkdtempSync(join(tmpdir(), 'cvpn-tpl-out-'));
    const path = writeTemplateFile(out, 'connect-failed/email-body', 'body');
    expect(path).toBe(join(out, 'connect-failed', 'email-body.hbs'));
    expect(readFileSync(path, 'utf8')).toBe('body');
  });
});

describe('sample log entries', () => {
  it.each(Object.entries(SAMPLE_ENTRIES).flatMap(([kind, entries]) => Object.entries(entries).map(([name, entry]) => [kind, name, entry] as const)))(
    'the %s sample "%s" classifies as its kind',
    (kind, _name, entry) => {
      expect(classifyEntry(JSON.stringify(entry)).kind).toBe(kind);
    },
  );

  it('cover a handler fault, NA numbers, a 5000-character name and a known connect', () => {
    const failed = templateSamples('connect-failed', 'UTC').map((s) => s.context as Record<string, unknown>);
    expect(failed.some((c) => c.handlerFault === true)).toBe(true);
    expect(failed.some((c) => c.handlerFault === false && c.failureReason === 'authorization-policy-deny')).toBe(true);
    const disconnects = templateSamples('disconnect', 'UTC').map((s) => s.context as Record<string, unknown>);
    expect(disconnects.some((c) => c.durationSeconds === null && c.ingressBytes === null && c.username === '')).toBe(true);
    expect(disconnects.some((c) => typeof c.username === 'string' && c.username.length === 5000)).toBe(true);
    expect(disconnects.some((c) => typeof c.connect === 'object' && c.connect !== null)).toBe(true);
  });
});

describe('preview helpers', () => {
  it('the Block Kit Builder link carries {"blocks": [...]} URL-encoded after #', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'a & b <x> #1 "q" 日本' } }];
    const link = blockKitBuilderLink(blocks);
    expect(link.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);
    const fragment = link.slice(BLOCK_KIT_BUILDER_URL.length);
    expect(fragment).not.toMatch(/[\s"#&<>]/);
    expect(JSON.parse(decodeURIComponent(fragment))).toEqual({ blocks });
  });

  it('tells a connection log entry from a connect event by its connection-log-type key', () => {
    expect(isLogEntry(fixture('disconnect'))).toBe(true);
    expect(isLogEntry({ 'connection-id': 'x', username: 'alice' })).toBe(false);
    expect(isLogEntry([{ 'connection-log-type': 'x' }])).toBe(false);
  });

  it('reads an entry as connection-events would, or says why it notifies nobody', () => {
    const config = { timeZone: 'Asia/Tokyo', region: 'ap-northeast-1' };
    const failed = readLogEntry(fixture('failed-handler-timed-out'), config, new Date('2026-11-29T09:00:31Z'));
    expect(failed).toMatchObject({ ok: true, kind: 'connect-failed', context: { handlerFault: true, username: 'bob', localTime: '2026-11-29 18:00:31 Asia/Tokyo', mention: '' } });
    expect(readLogEntry(fixture('attempt-successful'), config, new Date())).toEqual({ ok: false, reason: expect.stringMatching(/successful connection attempt/) });
  });
});
