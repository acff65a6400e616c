import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../config.ts';
import { compileTemplate, loadTemplateEngine } from '../render/compile.ts';
import { buildContext } from '../render/context.ts';
import { DEFAULT_TEMPLATES } from '../render/default-templates.gen.ts';
import { renderNotification } from '../render/render.ts';
import { formatLocalTime } from '../render/time.ts';
import { parseConnection } from './event.ts';

/**
 * CPU work the first invocation would otherwise pay, done during init while the prefetched
 * reads are on the wire: loading Handlebars and compiling the bundled templates, the time zone
 * data for TIME_ZONE, and Node's fetch implementation, which the Slack client uses.
 *
 * Each step yields to the event loop first: the prefetch's sockets connect and its requests
 * are written between steps, so this work overlaps the network wait instead of delaying it.
 */
export async function warmUp(config: Config): Promise<void> {
  await loadTemplateEngine();
  const steps: (() => void)[] = [
    () => formatLocalTime(new Date(), config.timeZone),
    () => compileTemplate(DEFAULT_TEMPLATES.slack, 'slack'),
    () => compileTemplate(DEFAULT_TEMPLATES['email-subject'], 'plain'),
    () => compileTemplate(DEFAULT_TEMPLATES['email-body'], 'plain'),
    () => renderNotification({}, buildContext(parseConnection({}), new Date(), config.timeZone, config.region), config.timeZone),
    () => {
      // Node loads its fetch implementation on first use; a data: URL loads it without a request.
      fetch('data:,').then((response) => response.arrayBuffer(), () => undefined).catch(() => undefined);
    },
  ];
  for (const step of steps) {
    await nextTurn();
    try {
      step();
    } catch {
      // Only a head start: the invocation renders (and reports) for real.
    }
  }
}
