import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../base/config.ts';
import { compileTemplate, loadTemplateEngine } from '../render/compile.ts';
import { buildContext } from '../render/context.ts';
import { bundledDefault, renderNotification } from '../render/render.ts';
import { fromStoredForm } from '../render/stored-form.ts';
import { formatLocalTime } from '../base/time.ts';
import type { StoredSettings } from '../sources/templates.ts';
import { TEMPLATE_PARTS, COMPILE_TARGETS } from '../base/contract.ts';
import { parseConnection } from '../base/connection.ts';

export interface WarmUpSources {
  /** The templates already read, if the prefetch has finished (never waits for it). */
  readonly peekSettings: () => StoredSettings | undefined;
  readonly warmEmailClient: () => Promise<void>;
}

/**
 * CPU work the first invocation would otherwise pay, done during init while the prefetched
 * reads are on the wire: loading Handlebars, the time zone data for TIME_ZONE, Node's fetch
 * (the Slack client's), the SNS client's cold path, and compiling the templates the first
 * invocation will use (the stored ones when the read is already back, else the defaults).
 *
 * Each step yields to the event loop first: the prefetch's sockets connect and its requests
 * are written between steps, so this work overlaps the network wait instead of delaying it.
 */
export async function warmUp(config: Config, sources: WarmUpSources): Promise<void> {
  await loadTemplateEngine();
  const steps: (() => unknown)[] = [
    () => formatLocalTime(new Date(), config.timeZone),
    () => fetch('data:,').then((response) => response.arrayBuffer()),
    () => sources.warmEmailClient(),
    ...TEMPLATE_PARTS.map((part) => () => {
      const stored = sources.peekSettings()?.templates[part];
      compileTemplate(fromStoredForm(stored ?? bundledDefault(part)), COMPILE_TARGETS[part]);
    }),
    () => renderNotification(sources.peekSettings()?.templates ?? {}, buildContext(parseConnection({}), new Date(), config.timeZone, config.region), config.timeZone),
  ];
  for (const step of steps) {
    await nextTurn();
    try {
      await step();
    } catch {
      // Only a head start: the invocation does (and reports) the real work.
    }
  }
}
