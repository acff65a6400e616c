import { parseConfig } from '../../base/config.ts';
import type { TemplateName } from '../../sources/templates.ts';
import { readTemplateFiles, requirePath } from '../args.ts';
import { reportFindings } from '../findings.ts';
import { UsageError } from '../io.ts';
import { readStored, ssmClient } from '../parameter-store.ts';
import { validateTemplate } from '../validate.ts';
import type { Command } from './command.ts';

export const validateCommand: Command = {
  usage: `Usage: clientvpn-notifier templates validate [--dir templates | --from-ssm --path P] [--strict]

Compiles every template and renders it against built-in sample events (missing fields, long
values, <!channel>, Japanese, control characters). Errors exit 1; warnings (a subject that would
be cut, a value that needs the Advanced tier, a Slack template that inserts event text raw so a
<!channel> username becomes a live mention) exit 0, or 1 with --strict.`,
  options: { dir: { type: 'string' }, 'from-ssm': { type: 'boolean' }, path: { type: 'string' }, strict: { type: 'boolean' } },
  async run(values, io) {
    const fromSsm = values['from-ssm'] === true;
    if (fromSsm && values.dir) throw new UsageError('use either --dir or --from-ssm, not both');
    const templates = fromSsm ? await readStored(ssmClient(values, io), requirePath(values)) : readTemplateFiles(values);
    const zone = parseConfig(io.env).config.timeZone;
    const form = fromSsm ? 'stored' : 'handlebars';
    const findings = Object.entries(templates).flatMap(([name, source]) => validateTemplate(name as TemplateName, source, zone, form));
    const { errors, warnings } = reportFindings(findings, Object.keys(templates), io);
    return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
  },
};
