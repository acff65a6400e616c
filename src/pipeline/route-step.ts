import type { Config } from '../base/config.ts';
import type { Destination } from '../channels/channel.ts';
import { BUILT_IN_ROUTES, type RoutesDocument } from '../routing/document.ts';
import { evaluateRoutes } from '../routing/evaluate.ts';
import { parseRoutes } from '../routing/parse.ts';
import type { StoredSettings } from '../sources/templates.ts';
import type { Notification } from './notification.ts';

/** Where a notification goes, and how that was decided (for its log line). */
export interface RouteResult {
  readonly destinations: readonly Destination[];
  readonly routing: {
    readonly route: string;
    readonly matched: readonly string[];
    /** Set on the first use of a document that is not valid (then the built-in one is used). */
    readonly documentErrors?: readonly string[];
  };
}

export type RouteStep = (notification: Notification, settings: StoredSettings | undefined) => RouteResult;

/**
 * The route step (contract section 13): the routes document read with the templates, parsed
 * once per read, evaluated for the notification. An invalid document is reported on its first
 * use only (once per read) and the built-in document is used: notifications still go out.
 */
export function createRouter(config: Config): RouteStep {
  const parsed = new WeakMap<StoredSettings, { doc: RoutesDocument; errors?: readonly string[]; reported: boolean }>();
  const documentOf = (settings: StoredSettings | undefined): { doc: RoutesDocument; errors?: readonly string[] } => {
    if (!settings || settings.routes === undefined) return { doc: BUILT_IN_ROUTES };
    let entry = parsed.get(settings);
    if (!entry) {
      const result = parseRoutes(settings.routes);
      entry = result.ok ? { doc: result.routes, reported: false } : { doc: BUILT_IN_ROUTES, errors: result.errors, reported: false };
      parsed.set(settings, entry);
    }
    if (entry.errors && !entry.reported) {
      entry.reported = true;
      return { doc: entry.doc, errors: entry.errors };
    }
    return { doc: entry.doc };
  };

  return (notification, settings) => {
    const { doc, errors } = documentOf(settings);
    const decision = evaluateRoutes(doc, notification.subject, config.slackChannel);
    const destinations: Destination[] = decision.slack.map(({ channel, mention }) => ({ channel: 'slack', address: channel, mention, route: decision.route }));
    // Without a document and without SLACK_CHANNEL, Slack still shows in the log line, as skipped.
    if (destinations.length === 0 && !config.slackChannel && settings?.routes === undefined) destinations.push({ channel: 'slack', address: '', mention: '', route: decision.route });
    if (decision.email) destinations.push({ channel: 'email', address: config.snsTopicArn ?? '', mention: '', route: decision.route });
    return { destinations, routing: { route: decision.route, matched: decision.matched, ...(errors ? { documentErrors: errors } : {}) } };
  };
}
