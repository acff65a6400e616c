/**
 * The one place the CLI runs the connect handler (`templates preview`, `test-notification`).
 * Today it wires `createConnectHandler` and reads the outcome back from the handler's log line;
 * the commands only see the typed outcomes below, so switching this file to the pipeline's own
 * typed result changes nothing else in the CLI.
 */
import type { Config } from '../base/config.ts';
import type { LogLine } from '../base/log.ts';
import { createConnectHandler } from '../handler/connect.ts';
import { createRuntime } from '../handler/runtime.ts';
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
  const preview = await previewLocal(event, stored, env);
  return { slack: preview.slack, sns: preview.sns, templates: outcomeFromLog(preview.logs).templates };
}

/** Sends one real notification through the channels `config` enables. */
export async function sendTestNotification(event: unknown, config: Config): Promise<NotificationOutcome> {
  const runtime = createRuntime(config);
  const logs: LogLine[] = [];
  const handler = createConnectHandler({ config, templates: runtime.templates, slack: runtime.slack, email: runtime.email, log: (line) => logs.push(line) });
  await handler(event, { getRemainingTimeInMillis: () => config.notifyBudgetMs + 1000 });
  return outcomeFromLog(logs);
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
