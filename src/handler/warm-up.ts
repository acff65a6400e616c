import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../base/config.ts';
import { parseConnection } from '../base/connection.ts';
import { TEMPLATE_PARTS } from '../base/contract.ts';
import { formatLocalTime } from '../base/time.ts';
import { renderSlackBlocks } from '../render/blocks.ts';
import { loadTemplateEngine } from '../render/compile.ts';
import { buildContext } from '../render/context.ts';
import { renderPart } from '../render/render.ts';
import type { StoredSettings } from '../sources/templates.ts';

export interface WarmUpSources {
  /** The templates already read, if the prefetch has finished (never waits for it). */
  readonly peekSettings: () => StoredSettings | undefined;
  readonly warmEmailClient: () => Promise<void>;
}

/**
 * CPU work the first invocation would otherwise pay, done during init while the prefetched
 * reads are on the wire: loading Handlebars, the time zone data for TIME_ZONE, the SNS client's
 * cold path, and compiling and rendering each template the invocation will use (the stored
 * ones when the read is already back, else the defaults; Block Kit too). Not Node's fetch: the
 * Slack client goes over node:https (src/channels/http-fetch.ts).
 *
 * Each step yields to the event loop first, so the reads' answers are taken in as they come.
 * It stops at the first step after `until` settles (the reads have answered): init must not
 * outlast them, and whatever is left the first invocation does only where it needs it.
 */
export async function warmUp(config: Config, sources: WarmUpSources, until?: Promise<unknown>): Promise<void> {
  let stop = false;
  const end = (): void => {
    stop = true;
  };
  void until?.then(end, end);
  const templates = (): Readonly<Record<string, string>> => sources.peekSettings()?.templates ?? {};
  let built: object | undefined;
  const context = (): object => (built ??= buildContext(parseConnection({}), new Date(), config.timeZone, config.region));
  const steps: (() => unknown)[] = [
    () => loadTemplateEngine(),
    () => formatLocalTime(new Date(), config.timeZone),
    () => sources.warmEmailClient(),
    // Templates last: which ones the invocation uses (stored or default) is known only once the
    // read has answered, and a default compiled before that may turn out not to be needed.
    ...TEMPLATE_PARTS.map((part) => () => renderPart('connect', part, templates(), context(), config.timeZone)),
    () => renderSlackBlocks('connect', templates()['slack-blocks'], context(), config.timeZone),
  ];
  for (const step of steps) {
    await nextTurn();
    if (stop) return;
    try {
      await step();
    } catch {
      // Only a head start: the invocation does (and reports) the real work.
    }
  }
}
