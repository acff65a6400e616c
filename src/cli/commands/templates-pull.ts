import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromStoredForm } from '../../render/stored-form.ts';
import { parameterName, TEMPLATE_NAMES } from '../../sources/templates.ts';
import { requirePath, stringOption } from '../args.ts';
import { readStored, ssmClient } from '../parameter-store.ts';
import type { Command } from './command.ts';

export const pullCommand: Command = {
  usage: `Usage: clientvpn-notifier templates pull --path P [--dir templates] [--region R]

Reads <P>/slack, <P>/email-subject and <P>/email-body from Parameter Store and writes them to
--dir as plain Handlebars (.hbs), converted back from the stored {% %} form.`,
  options: { path: { type: 'string' }, dir: { type: 'string' } },
  async run(values, io) {
    const path = requirePath(values);
    const dir = stringOption(values, 'dir') ?? 'templates';
    const stored = await readStored(ssmClient(values, io), path);
    mkdirSync(dir, { recursive: true });
    for (const name of TEMPLATE_NAMES) {
      const value = stored[name];
      if (value === undefined) {
        io.out(`${parameterName(path, name)}: not in Parameter Store (the bundled default is used); ${name}.hbs left as it is`);
        continue;
      }
      writeFileSync(join(dir, `${name}.hbs`), fromStoredForm(value));
      io.out(`${parameterName(path, name)} -> ${join(dir, `${name}.hbs`)}`);
    }
    return 0;
  },
};
