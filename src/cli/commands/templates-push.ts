import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { parseConfig } from '../../base/config.ts';
import { fromStoredForm, toStoredForm } from '../../render/stored-form.ts';
import { parameterName, type TemplateName } from '../../sources/templates.ts';
import { readTemplateFiles, requirePath } from '../args.ts';
import { lineDiff } from '../diff.ts';
import { reportFindings } from '../findings.ts';
import { Failure } from '../io.ts';
import { CALL_TIMEOUT_MS, describeError, readStored, ssmClient } from '../parameter-store.ts';
import { tierFor, validateTemplate } from '../validate.ts';
import type { Command } from './command.ts';

export const pushCommand: Command = {
  usage: `Usage: clientvpn-notifier templates push --path P [--dir templates] [--yes] [--region R]

Validates the .hbs files in --dir, shows the difference with what is stored, and with --yes
writes the changed ones in stored form ({% %}), with the tier their size needs. A template that
does not validate is never pushed.`,
  options: { path: { type: 'string' }, dir: { type: 'string' }, yes: { type: 'boolean' } },
  async run(values, io) {
    const path = requirePath(values);
    const templates = readTemplateFiles(values);
    const zone = parseConfig(io.env).config.timeZone;
    const findings = Object.entries(templates).flatMap(([name, source]) => validateTemplate(name as TemplateName, source, zone));
    const { errors } = reportFindings(findings, Object.keys(templates), io);
    if (errors > 0) {
      io.err('push refused: fix the errors above first; nothing was written');
      return 1;
    }
    const ssm = ssmClient(values, io);
    const stored = await readStored(ssm, path);
    const changes: [TemplateName, string][] = [];
    for (const [name, source] of Object.entries(templates) as [TemplateName, string][]) {
      const next = toStoredForm(source);
      const current = stored[name];
      if (current !== undefined && fromStoredForm(current) === source) {
        io.out(`${parameterName(path, name)}: unchanged`);
        continue;
      }
      io.out(`--- ${parameterName(path, name)}${current === undefined ? ' (new)' : ''}`);
      for (const line of lineDiff(current === undefined ? '' : fromStoredForm(current), source)) if (!line.startsWith('  ')) io.out(line);
      changes.push([name, next]);
    }
    if (changes.length === 0) {
      io.out('nothing to push');
      return 0;
    }
    if (!values.yes) {
      io.out(`${changes.length} template(s) would change; run again with --yes to write them`);
      return 0;
    }
    for (const [name, value] of changes) {
      // The stored form never holds {{…}}: Parameter Store would refuse it anyway.
      if (/\{\{[\s\S]*?\}\}/.test(value)) throw new Failure(`${name}: stored form still contains {{…}}; not written`);
      try {
        await ssm.send(new PutParameterCommand({ Name: parameterName(path, name), Value: value, Type: 'String', Tier: tierFor(value), Overwrite: true }), {
          abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        });
      } catch (error) {
        throw new Failure(`cannot write ${parameterName(path, name)}: ${describeError(error)}`);
      }
      io.out(`${parameterName(path, name)}: written (${tierFor(value)} tier)`);
    }
    io.out('the function picks the change up within CACHE_TTL_SECONDS');
    return 0;
  },
};
