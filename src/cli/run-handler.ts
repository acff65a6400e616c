/**
 * The one place the CLI runs the notification code (`templates preview`, `test-notification`).
 * `test-notification` runs the pipeline itself and maps its typed record; `preview` runs the
 * local handler (the same code `npm start` shows) and reads its one summary line.
 */
import type { Config } from '../base/config.ts';
import type { LogLine } from '../base/log.ts';
import type { RunRecord, Summary } from '../pipeline/summary.ts';
import { runTestNotification } from './run-notification.ts';
import { previewLocal } from '../local/start.ts';
import { TEMPLATE_NAMES, type StoredTemplates, type TemplateName } from '../sources/templates.ts';

/** How one channel's delivery ended. */
export interface ChannelOutcome {
  readonly channel: string;
  readonly status: 'sent' | 'skipped' | 'failed' | 'timedOut';
  readonly reason?: string;
  readonly durationMs?: number;
}

/** Which text a template's rendering used: the stored one (`source` says where from) or the bundled default. */
export interface TemplateUse {
  readonly template: TemplateName;
  /** `parameter-store`, `cache`, `not-configured`, … for a stored template; `bundled-default` otherwise. */
  readonly source: string;
  /** Why the stored template was not used, when there was one. */
  readonly fallbackReason?: string;
}

export interface TemplatesOutcome {
  /** Where the templates were read from. */
  readonly read: string;
  readonly readError?: string;
  readonly used: readonly TemplateUse[];
}

export interface NotificationOutcome {
  /** Undefined when the handler never got as far as rendering. */
  readonly templates: TemplatesOutcome | undefined;
  readonly channels: readonly ChannelOutcome[];
}

export interface PreviewOutcome {
  /** The Slack request, printable (token masked). */
  readonly slack: string;
  /** The SNS Publish input, printable. */
  readonly sns: string;
  readonly templates: TemplatesOutcome | undefined;
}

/** Renders `event` with `stored` templates through the handler's own code, capturing instead of sending. */
export async function previewNotification(event: unknown, stored: StoredTemplates, env: NodeJS.ProcessEnv): Promise<PreviewOutcome> {
  const preview = await previewLocal(event, stored, env, { showBlocks: false });
  return { slack: preview.slack, sns: preview.sns, templates: outcomeFromLog(preview.logs).templates };
}

/** Sends one real notification through the channels `config` enables. */
export async function sendTestNotification(event: unknown, config: Config): Promise<NotificationOutcome> {
  const { record, summary } = await runTestNotification(event, config);
  return outcomeFromRecord(record, summary);
}

function outcomeFromRecord(record: RunRecord, summary: Summary): NotificationOutcome {
  const channels = Object.entries(summary.channels).map(
    ([channel, entry]): ChannelOutcome => ({
      channel,
      status: entry.status,
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
      ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
    }),
  );
  if (!record.templates) return { templates: undefined, channels };
  const { read, readError, use } = record.templates;
  const used = Object.entries(use).map(
    ([template, how]): TemplateUse => ({ template: template as TemplateName, source: how.from === 'stored' ? read : 'bundled-default', ...(how.fallbackReason ? { fallbackReason: how.fallbackReason } : {}) }),
  );
  return { templates: { read, ...(readError ? { readError } : {}), used }, channels };
}

type LoggedChannel = { status?: unknown; reason?: unknown; durationMs?: unknown };

/** Reads the invocation's summary line (the one with `channels`). To be replaced by the pipeline's typed result. */
function outcomeFromLog(logs: readonly LogLine[]): NotificationOutcome {
  const line = logs.find((l) => 'channels' in l);
  const channels = Object.entries((line?.channels as Record<string, LoggedChannel> | undefined) ?? {}).map(
    ([channel, entry]): ChannelOutcome => ({
      channel,
      status: entry.status as ChannelOutcome['status'],
      ...(typeof entry.reason === 'string' ? { reason: entry.reason } : {}),
      ...(typeof entry.durationMs === 'number' ? { durationMs: entry.durationMs } : {}),
    }),
  );
  const logged = line?.templates as Record<string, unknown> | undefined;
  if (!logged) return { templates: undefined, channels };
  const used = TEMPLATE_NAMES.filter((name) => typeof logged[name] === 'string').map(
    (name): TemplateUse => ({
      template: name,
      source: logged[name] as string,
      ...(typeof logged[`${name}Error`] === 'string' ? { fallbackReason: logged[`${name}Error`] as string } : {}),
    }),
  );
  return {
    templates: { read: String(logged.read), ...(typeof logged.readError === 'string' ? { readError: logged.readError } : {}), used },
    channels,
  };
}
