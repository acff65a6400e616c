import { parseConfig, type Config } from '../../base/config.ts';
import { EVENT_KINDS, type EventKind } from '../../base/contract.ts';
import { classifyEntry } from '../../events/classify.ts';
import { readJsonFile } from '../../local/files.ts';
import { SAMPLE_EVENT } from '../../local/start.ts';
import { toStoredForm } from '../../render/stored-form.ts';
import type { StoredTemplates } from '../../sources/templates.ts';
import { readTemplateFiles, stringOption } from '../args.ts';
import { Failure, UsageError, type CliIo, type OptionValues } from '../io.ts';
import { blocksLines, connectContext, isLogEntry, previewEvent, readLogEntry, renderBlocksFor } from '../preview.ts';
import { previewNotification } from '../run-handler.ts';
import { SAMPLE_ENTRIES } from '../samples.ts';
import { keysOf, kindOption } from '../template-keys.ts';
import type { Command } from './command.ts';

/** .hbs files are plain Handlebars; the functions read the stored form, so convert as a push would. */
function asStored(templates: Readonly<Record<string, string>>): StoredTemplates {
  const out: Record<string, string> = {};
  for (const [key, source] of Object.entries(templates)) {
    try {
      out[key] = toStoredForm(source);
    } catch (error) {
      throw new Failure(`${key}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** The configuration the preview renders with: the shell's, with a channel and a topic so both show. */
function previewConfig(io: CliIo): Config {
  const { config } = parseConfig(io.env);
  return {
    ...config,
    slackChannel: config.slackChannel ?? 'C0123456789',
    snsTopicArn: config.snsTopicArn ?? 'arn:aws:sns:us-east-1:123456789012:clientvpn-notifier-local',
    region: config.region || 'us-east-1',
  };
}

/** The kind an entry notifies as; an entry that notifies nobody is reported once it is read. */
function readKind(entry: unknown): EventKind {
  const classified = classifyEntry(JSON.stringify(entry));
  return classified.kind === 'connect-failed' ? 'connect-failed' : 'disconnect';
}

/** The kind to preview: --kind, else what --event holds (a log entry names its own), else connect. */
function kindAndEvent(values: OptionValues): { kind: EventKind; event: unknown } {
  const eventFile = stringOption(values, 'event');
  const event = eventFile ? readJsonFile(eventFile) : undefined;
  const entry = event !== undefined && isLogEntry(event);
  // 'all' is not among the choices, so the answer is a kind.
  const kind = kindOption(values, entry ? readKind(event) : 'connect', EVENT_KINDS) as EventKind;
  if (event !== undefined && kind === 'connect' && entry) throw new UsageError(`${eventFile} is a connection log entry; preview it with --kind disconnect or connect-failed (or without --kind)`);
  if (event !== undefined && kind !== 'connect' && !entry) throw new UsageError(`${eventFile} is not a connection log entry (no "connection-log-type"): --kind ${kind} previews one`);
  if (event !== undefined) return { kind, event };
  return { kind, event: kind === 'connect' ? SAMPLE_EVENT : SAMPLE_ENTRIES[kind].typical };
}

export const previewCommand: Command = {
  usage: `Usage: clientvpn-notifier templates preview [--kind K] [--dir templates] [--event file.json] [--channel slack|email]

Renders the .hbs templates of one kind in --dir (default: templates; missing files fall back to
the bundled defaults, as in Lambda) with the functions' own rendering code, and prints what
Slack and SNS would receive: the Slack text, the Block Kit blocks as JSON with a Block Kit
Builder link to see them, and the SNS message. Nothing is sent.

  --kind K      connect (default), disconnect or connect-failed
  --event FILE  a connect event (contract section 3), or for disconnect and connect-failed a
                connection log entry (section 11; its kind is then read from the entry, so
                --kind may be left out). Default: a built-in sample of the kind.
  --channel C   only slack (text and blocks) or only email`,
  options: { dir: { type: 'string' }, event: { type: 'string' }, channel: { type: 'string' }, kind: { type: 'string' } },
  async run(values, io) {
    const channel = stringOption(values, 'channel');
    if (channel && channel !== 'slack' && channel !== 'email') throw new UsageError('--channel must be slack or email');
    const { kind, event } = kindAndEvent(values);
    // Files of the other kinds are left alone here: they do not change this preview.
    const stored = asStored(readTemplateFiles(values, keysOf(kind), io, true));
    const config = previewConfig(io);
    const now = new Date();

    let slack: string[];
    let sns: string[];
    let blocks;
    if (kind === 'connect') {
      const preview = await previewNotification(event, stored, io.env);
      for (const use of preview.templates?.used ?? []) {
        if (use.fallbackReason !== undefined) io.err(`warning: ${use.template} template not used (bundled default shown instead): ${use.fallbackReason}`);
      }
      slack = [preview.slack];
      sns = [preview.sns];
      blocks = renderBlocksFor('connect', stored, connectContext(event, config, now), config.timeZone);
    } else {
      const reading = readLogEntry(event, config, now);
      if (!reading.ok) throw new Failure(`this entry notifies nobody (connection-events skips it): ${reading.reason}`);
      if (reading.kind !== kind) throw new UsageError(`the entry is a ${reading.kind}, not a ${kind}`);
      const preview = previewEvent(reading.kind, reading.context, stored, config);
      for (const warning of preview.warnings) io.err(`warning: ${warning}`);
      slack = preview.slack;
      sns = preview.sns;
      blocks = preview.blocks;
    }
    const shownBlocks = blocksLines(blocks, kind);
    if (channel !== 'email') {
      for (const warning of shownBlocks.warnings) io.err(`warning: ${warning}`);
      for (const line of [...slack, ...shownBlocks.out]) io.out(line);
    }
    if (!channel) io.out('');
    if (channel !== 'slack') for (const line of sns) io.out(line);
    return 0;
  },
};
