import { readJsonFile } from '../../local/files.ts';
import { SAMPLE_EVENT } from '../../local/start.ts';
import { toStoredForm } from '../../render/stored-form.ts';
import type { StoredTemplates, TemplateName } from '../../sources/templates.ts';
import { readTemplateFiles, stringOption } from '../args.ts';
import { Failure, UsageError } from '../io.ts';
import { previewNotification } from '../run-handler.ts';
import type { Command } from './command.ts';

/** .hbs files are plain Handlebars; the handler reads the stored form, so convert as a push would. */
function asStored(templates: StoredTemplates): StoredTemplates {
  const out: Record<string, string> = {};
  for (const [name, source] of Object.entries(templates) as [TemplateName, string][]) {
    try {
      out[name] = toStoredForm(source);
    } catch (error) {
      throw new Failure(`${name}: ${(error as Error).message}`);
    }
  }
  return out;
}

export const previewCommand: Command = {
  usage: `Usage: clientvpn-notifier templates preview [--dir templates] [--event file.json] [--channel slack|email]

Renders the .hbs templates in --dir (default: templates) with the handler's own rendering code
and prints what Slack and SNS would receive. Nothing is sent.`,
  options: { dir: { type: 'string' }, event: { type: 'string' }, channel: { type: 'string' } },
  async run(values, io) {
    const channel = stringOption(values, 'channel');
    if (channel && channel !== 'slack' && channel !== 'email') throw new UsageError('--channel must be slack or email');
    const templates = readTemplateFiles(values);
    const eventFile = stringOption(values, 'event');
    const event = eventFile ? readJsonFile(eventFile) : SAMPLE_EVENT;
    const preview = await previewNotification(event, asStored(templates), io.env);
    for (const use of preview.templates?.used ?? []) {
      if (use.fallbackReason !== undefined) io.err(`warning: ${use.template} template not used (bundled default shown instead): ${use.fallbackReason}`);
    }
    if (channel !== 'email') io.out(preview.slack);
    if (!channel) io.out('');
    if (channel !== 'slack') io.out(preview.sns);
    return 0;
  },
};
