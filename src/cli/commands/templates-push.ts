import { parseConfig } from '../../base/config.ts';
import { parameterName } from '../../sources/templates.ts';
import { readTemplateFiles, requirePath } from '../args.ts';
import { lineDiff } from '../diff.ts';
import { reportFindings } from '../findings.ts';
import { Failure, type CliIo } from '../io.ts';
import { describeError, readStored, readTiers, ssmClient, writeParameter } from '../parameter-store.ts';
import { changedSince, planPush, tierToWrite, type PlannedTemplate } from '../push-plan.ts';
import { keysOf, kindOption } from '../template-keys.ts';
import { tierFor, validateTemplate } from '../validate.ts';
import type { Command } from './command.ts';

function showDiff(path: string, plan: readonly PlannedTemplate[], io: CliIo): void {
  for (const entry of plan) {
    if (!entry.changed) {
      io.out(`${parameterName(path, entry.name)}: unchanged`);
      continue;
    }
    io.out(`--- ${parameterName(path, entry.name)}${entry.current === undefined ? ' (new)' : ''}`);
    for (const line of lineDiff(entry.current ?? '', entry.source)) if (!line.startsWith('  ')) io.out(line);
  }
}

/** Writes `changes` in order and stops at the first failure, saying exactly what was and was not written. */
async function writeAll(ssm: ReturnType<typeof ssmClient>, path: string, changes: readonly PlannedTemplate[], io: CliIo): Promise<number> {
  const tiers = await readTiers(ssm, path, changes.map((change) => change.name));
  const written: string[] = [];
  for (const [index, change] of changes.entries()) {
    const parameter = parameterName(path, change.name);
    // The stored form never holds {{…}}: Parameter Store would refuse it anyway.
    if (/\{\{[\s\S]*?\}\}/.test(change.value)) throw new Failure(`${change.name}: stored form still contains {{…}}; not written`);
    const tier = tierToWrite(change.value, tiers[change.name]);
    let stored: string;
    try {
      stored = await writeParameter(ssm, parameter, change.value, tier);
    } catch (error) {
      const notAttempted = changes.slice(index + 1).map((c) => `${parameterName(path, c.name)} (not attempted)`);
      io.err(`error: cannot write ${parameter}: ${describeError(error)}`);
      io.err(`push stopped part-way. Written: ${written.map((name) => parameterName(path, name)).join(', ') || 'none'}. Not written: ${[`${parameter} (the write failed)`, ...notAttempted].join(', ')}.`);
      if (written.length > 0) io.err('Parameter Store now holds new and old templates side by side; run push again once the cause is fixed: it writes only what still differs.');
      return 1;
    }
    written.push(change.name);
    const kept = tier !== tierFor(change.value);
    io.out(`${parameter}: written (${stored} tier)${kept ? '; it was Advanced already and an Advanced parameter is never moved back to Standard' : ''}`);
  }
  io.out('the function picks the change up within CACHE_TTL_SECONDS');
  return 0;
}

export const pushCommand: Command = {
  usage: `Usage: clientvpn-notifier templates push --path P [--kind K] [--dir templates] [--yes] [--region R]

Validates the .hbs files of --kind (connect, disconnect, connect-failed, or all; default: all)
in --dir (slack.hbs, slack-blocks.hbs, disconnect/slack.hbs, ...: the parameter names below
<P>), exactly as "templates validate" does, shows the difference with what is stored, and with --yes
writes the changed ones in stored form ({% %}), with the tier their size needs (a parameter that
is Advanced stays Advanced). A template that does not validate, or that Parameter Store would not
give back exactly as written, is never pushed, and then nothing is written. Right before writing,
the stored values are read again: if any changed since the diff was shown, nothing is written.
If a write fails, the push stops and says which templates were written and which were not.`,
  options: { path: { type: 'string' }, dir: { type: 'string' }, kind: { type: 'string' }, yes: { type: 'boolean' } },
  async run(values, io) {
    const path = requirePath(values);
    const templates = readTemplateFiles(values, keysOf(kindOption(values, 'all')), io);
    const zone = parseConfig(io.env).config.timeZone;
    const findings = Object.entries(templates).flatMap(([key, source]) => validateTemplate(key, source, zone));
    const { errors } = reportFindings(findings, Object.keys(templates), io);
    if (errors > 0) {
      io.err('push refused: fix the errors above first; nothing was written');
      return 1;
    }
    const ssm = ssmClient(values, io);
    const keys = Object.keys(templates);
    const stored = await readStored(ssm, path, keys);
    let plan: PlannedTemplate[];
    try {
      plan = planPush(templates, stored);
    } catch (error) {
      throw new Failure(`push refused: ${(error as Error).message}; nothing was written`);
    }
    showDiff(path, plan, io);
    const changes = plan.filter((entry) => entry.changed);
    if (changes.length === 0) {
      io.out('nothing to push');
      return 0;
    }
    if (!values.yes) {
      io.out(`${changes.length} template(s) would change; run again with --yes to write them`);
      return 0;
    }
    // Someone else may have pushed since the diff above was read: writing now would silently undo their change.
    const moved = changedSince(stored, await readStored(ssm, path, keys), plan.map((entry) => entry.name));
    if (moved.length > 0) {
      io.err(`push stopped: ${moved.map((name) => parameterName(path, name)).join(', ')} changed in Parameter Store after the diff above was read; nothing was written. Run push again to see the current diff.`);
      return 1;
    }
    return writeAll(ssm, path, changes, io);
  },
};
