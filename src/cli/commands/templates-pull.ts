import { join } from 'node:path';
import { fromStoredForm } from '../../render/stored-form.ts';
import { parameterName } from '../../sources/templates.ts';
import { requirePath, stringOption } from '../args.ts';
import { readStored, ssmClient } from '../parameter-store.ts';
import { writeTemplateFile } from '../template-files.ts';
import { fileOf, keysOf, kindOption, parseTemplateKey } from '../template-keys.ts';
import type { Command } from './command.ts';

export const pullCommand: Command = {
  usage: `Usage: clientvpn-notifier templates pull --path P [--kind K] [--dir templates] [--region R]

Reads the templates of --kind (connect, disconnect, connect-failed, or all; default: all) under
<P> from Parameter Store and writes them to --dir as plain Handlebars (.hbs), converted back
from the stored {% %} form: <P>/slack to slack.hbs, <P>/disconnect/slack-blocks to
disconnect/slack-blocks.hbs, and so on. A template that is not stored is left as it is.`,
  options: { path: { type: 'string' }, dir: { type: 'string' }, kind: { type: 'string' } },
  async run(values, io) {
    const path = requirePath(values);
    const keys = keysOf(kindOption(values, 'all'));
    const dir = stringOption(values, 'dir') ?? 'templates';
    const stored = await readStored(ssmClient(values, io), path, keys);
    for (const key of keys) {
      const value = stored[key];
      if (value === undefined) {
        const blocks = parseTemplateKey(key)?.part === 'slack-blocks';
        io.out(`${parameterName(path, key)}: not in Parameter Store (the bundled default${blocks ? ' blocks are' : ' is'} used); ${fileOf(key)} left as it is`);
        continue;
      }
      writeTemplateFile(dir, key, fromStoredForm(value));
      io.out(`${parameterName(path, key)} -> ${join(dir, fileOf(key))}`);
    }
    return 0;
  },
};
