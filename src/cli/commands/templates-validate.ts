import { parseConfig } from '../../base/config.ts';
import { readTemplateFiles, requirePath } from '../args.ts';
import { reportFindings } from '../findings.ts';
import { UsageError } from '../io.ts';
import { readStored, ssmClient } from '../parameter-store.ts';
import { keysOf, kindOption } from '../template-keys.ts';
import { validateTemplate } from '../validate.ts';
import type { Command } from './command.ts';

export const validateCommand: Command = {
  usage: `Usage: clientvpn-notifier templates validate [--kind K] [--dir templates | --from-ssm --path P] [--strict]

Checks every template of --kind (connect, disconnect, connect-failed, or all; default: all)
found in --dir (default: templates), or stored under --path with --from-ssm. Files mirror the
parameter names: slack.hbs, email-subject.hbs, email-body.hbs, slack-blocks.hbs for connect,
and the same under disconnect/ and connect-failed/.

Each template is compiled and rendered against samples of its kind: connect events (missing
fields, wrong types, <!channel> usernames, backticks, 5000-character names, Japanese, control
characters) and connection log entries (NA in every field, a handler fault, the same hostile
names; a disconnect with and without its connect). slack-blocks templates must render a JSON
list of 1 to 50 blocks that Slack accepts (header 150, section and context text 3,000
characters, no empty text) for every sample, and no event field may add a block.

Errors (the bundled default would go out instead, or Parameter Store cannot hold it) exit 1;
warnings (a subject that would be cut, a value that needs the Advanced tier, event text that
becomes a live Slack mention) exit 0, or 1 with --strict.`,
  options: { kind: { type: 'string' }, dir: { type: 'string' }, 'from-ssm': { type: 'boolean' }, path: { type: 'string' }, strict: { type: 'boolean' } },
  async run(values, io) {
    const fromSsm = values['from-ssm'] === true;
    if (fromSsm && values.dir) throw new UsageError('use either --dir or --from-ssm, not both');
    const keys = keysOf(kindOption(values, 'all'));
    let templates: Record<string, string>;
    if (fromSsm) {
      const path = requirePath(values);
      templates = { ...(await readStored(ssmClient(values, io), path, keys)) };
      if (Object.keys(templates).length === 0) {
        io.out(`no templates stored under ${path} for this --kind: the bundled defaults are used`);
        return 0;
      }
    } else {
      templates = readTemplateFiles(values, keys, io);
    }
    const zone = parseConfig(io.env).config.timeZone;
    const form = fromSsm ? 'stored' : 'handlebars';
    const findings = Object.entries(templates).flatMap(([key, source]) => validateTemplate(key, source, zone, form));
    const { errors, warnings } = reportFindings(findings, Object.keys(templates), io);
    return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
  },
};
