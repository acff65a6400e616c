/**
 * Every number and name of the product's outside (shared/CONTRACT.md), in one place: the
 * Lambda code, the CLI and the CDK app import them from here, so they cannot drift apart.
 */

/** Client VPN only accepts client connect handlers whose function name starts with this. */
export const FUNCTION_NAME_PREFIX = 'AWSClientVPN-';

/** Client VPN waits at most this long for the connect handler, cold-start init included. */
export const CLIENT_VPN_TIMEOUT_MS = 30_000;

/** Defaults of the functions' environment variables (contract sections 5, 9, 13). */
export const DEFAULTS = Object.freeze({
  slackApiUrl: 'https://slack.com/api/',
  templateParameterPath: '/clientvpn-notifier/templates',
  routesParameter: '/clientvpn-notifier/routes',
  notifyBudgetMs: 3000,
  cacheTtlSeconds: 60,
  timeZone: 'UTC',
});

/** `NOTIFY_BUDGET_MS` bounds: 30 s includes init, so the budget stops well short of it. */
export const BUDGET_MS = Object.freeze({ min: 100, max: 25_000 });
/** `CACHE_TTL_SECONDS` bounds. */
export const CACHE_TTL_SECONDS = Object.freeze({ min: 0, max: 86_400 });

/** Answering a second before Lambda's own timeout leaves room for the answer to get out. */
export const LAMBDA_MARGIN_MS = 1000;

/**
 * The connect handler's function timeout for a budget: the budget, the margin above, and room
 * for a cold start's init, never past Client VPN's own limit.
 */
export function connectFunctionTimeoutSeconds(budgetMs: number): number {
  return Math.min(CLIENT_VPN_TIMEOUT_MS / 1000, Math.ceil((budgetMs + LAMBDA_MARGIN_MS) / 1000) + 2);
}

/** A fully qualified Parameter Store hierarchy name: letters, digits, `. - _`, `/` separators. */
export const PARAMETER_PATH_PATTERN = /^(\/[A-Za-z0-9_.-]+)+$/;

/** Parameter Store tiers: Standard holds values up to 4 KB, Advanced up to 8 KB. */
export const PARAMETER_TIER_MAX_BYTES = Object.freeze({ Standard: 4096, Advanced: 8192 });

/** What a notification is about (contract sections 7, 11); also the SNS `event-type` attribute. */
export const EVENT_KINDS = ['connect', 'disconnect', 'connect-failed'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The templates every kind has, and the optional Block Kit one (section 14). */
export const TEMPLATE_PARTS = ['slack', 'email-subject', 'email-body'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** Optional: a Block Kit template rendering a JSON array of blocks (section 14). */
export const OPTIONAL_TEMPLATE_PARTS = ['slack-blocks'] as const;
export const ALL_TEMPLATE_PARTS = [...TEMPLATE_PARTS, ...OPTIONAL_TEMPLATE_PARTS] as const;
export type AnyTemplatePart = (typeof ALL_TEMPLATE_PARTS)[number];

/** How a template's `{{value}}` is escaped: mrkdwn, plain text, or mrkdwn inside a JSON string. */
export type CompileTarget = 'slack' | 'plain' | 'blocks';
export const COMPILE_TARGETS: Readonly<Record<AnyTemplatePart, CompileTarget>> = Object.freeze({
  slack: 'slack',
  'email-subject': 'plain',
  'email-body': 'plain',
  'slack-blocks': 'blocks',
});

/**
 * A template's name below `TEMPLATE_PARAMETER_PATH`: the connect kind's sit at the top
 * (`slack`), the others under their kind (`disconnect/slack`).
 */
export function templateKey(kind: EventKind, part: AnyTemplatePart): string {
  return kind === 'connect' ? part : `${kind}/${part}`;
}

/** Every template name an operator can store, in the order they are read. */
export const ALL_TEMPLATE_KEYS: readonly string[] = EVENT_KINDS.flatMap((kind) => ALL_TEMPLATE_PARTS.map((part) => templateKey(kind, part)));

/** The connect kind's templates: the only ones the connect handler reads and renders. */
export const CONNECT_TEMPLATE_KEYS: readonly string[] = ALL_TEMPLATE_PARTS.map((part) => templateKey('connect', part));

/** The templates connection-events reads: its two kinds, and the connect Slack ones for the status line. */
export const EVENTS_TEMPLATE_KEYS: readonly string[] = [
  ...(['disconnect', 'connect-failed'] as const).flatMap((kind) => ALL_TEMPLATE_PARTS.map((part) => templateKey(kind, part))),
  templateKey('connect', 'slack'),
  templateKey('connect', 'slack-blocks'),
];

export function templateParameterName(path: string, kind: EventKind, part: AnyTemplatePart): string {
  return `${path}/${templateKey(kind, part)}`;
}

/** SNS: "Subjects must be … less than 100 characters long." */
export const SNS_SUBJECT_MAX_CHARS = 99;
/** SNS caps a whole message at 256 KiB; the body keeps 4 KiB of room for subject and attributes. */
export const SNS_MESSAGE_MAX_BYTES = 256 * 1024 - 4 * 1024;
/** chat.postMessage truncates text past 40,000 characters; we cut it ourselves, visibly. */
export const SLACK_TEXT_MAX_CHARS = 40_000;

/** SNS message attribute names (contract sections 8, 13). */
export const SNS_ATTRIBUTES = Object.freeze({ eventType: 'event-type', endpointId: 'endpoint-id', route: 'route' });

/** CloudWatch metrics (Embedded Metric Format on the log line) and the alarms on them. */
export const METRIC_NAMESPACE = 'ClientVpnNotifier';
export const METRIC_SERVICE = 'clientvpn-notifier';
export const METRICS = Object.freeze({
  sent: 'NotificationsSent',
  failures: 'NotificationFailures',
  queued: 'RetriesQueued',
  lost: 'NotificationsLost',
  duration: 'HandlerDuration',
  undeliveredLogged: 'UndeliveredPayloadsLogged',
  handlerDenials: 'HandlerDenials',
  // slack-actions (section 15): requests refused at the signature check, disconnects refused
  // by authorization, sessions terminated, and terminations EC2 failed or did not confirm.
  unverifiedRequests: 'SlackRequestsUnverified',
  actionRefusals: 'SlackActionRefusals',
  terminations: 'ConnectionsTerminated',
  terminationFailures: 'TerminationFailures',
});

/** The function bundles `npm run build` writes (contract sections 2, 9, 11, 15). */
export const ARTIFACTS = Object.freeze({
  connectHandler: 'dist/connect-handler/index.mjs',
  retryWorker: 'dist/retry-worker/index.mjs',
  connectionEvents: 'dist/connection-events/index.mjs',
  slackActions: 'dist/slack-actions/index.mjs',
});

/** The retry worker keeps this much of its Lambda time unused, so its batch answer always gets out. */
export const RETRY_WORKER_MARGIN_MS = 2000;
/** The retry worker's function timeout. */
export const RETRY_WORKER_TIMEOUT_SECONDS = 30;

/**
 * Records per retry-worker batch: as many as one-at-a-time deliveries of a full budget each
 * fit in the worker's timeout, so every received record is attempted (at most SQS's 10).
 */
export function retryWorkerBatchSize(budgetMs: number, timeoutSeconds = RETRY_WORKER_TIMEOUT_SECONDS): number {
  return Math.max(1, Math.min(10, Math.floor((timeoutSeconds * 1000 - RETRY_WORKER_MARGIN_MS) / budgetMs)));
}

/**
 * Connection log (contract section 11): a failure reason with this prefix means Client VPN denied
 * someone because the connect handler failed (`handlerFault`, the `HandlerDenials` metric).
 */
export const HANDLER_FAULT_REASON_PREFIX = 'client-connect-handler-';
/** An entry that cannot be parsed is logged with at most this many of its first characters. */
export const UNPARSEABLE_EXCERPT_CHARS = 500;

/** The SNS `route` attribute when no route matched (contract section 13). */
export const DEFAULT_ROUTE_NAME = 'default';

/**
 * Slack's Block Kit limits the blocks of a message are cut to (contract section 14), as Slack's
 * reference states them (docs.slack.dev/reference/block-kit/...):
 * - blocks/header-block: `text` "Maximum length for the text in this field is 150 characters."
 * - blocks/section-block: `text` 3000 characters; `fields` "Maximum number of items is 10.
 *   Maximum length for the text in each item is 2000 characters."
 * - blocks/context-block: `elements` "Maximum number of items is 10."; composition-objects/
 *   text-object: text "maximum length is 3000 characters" (also the context elements' limit).
 * - block-elements/button-element: `text` 75 characters, `value` "Maximum length is 2000 characters."
 * - composition-objects/confirmation-dialog-object: title 100, text 300, confirm and deny 30.
 * - reference/block-kit/blocks: "You can include up to 50 blocks in each message".
 */
export const SLACK_BLOCK_LIMITS = Object.freeze({
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  contextElementText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
});

/** The connect handler's name after FUNCTION_NAME_PREFIX, unless `functionNameSuffix` says otherwise (section 16). */
export const DEFAULT_FUNCTION_NAME_SUFFIX = 'clientvpn-notifier';

/** A Client VPN endpoint id as EC2 prints it (`clientVpnEndpointIds`, section 16). */
export const CLIENT_VPN_ENDPOINT_ID_PATTERN = /^cvpn-endpoint-[0-9a-f]{1,32}$/;

/** The session table's key and TTL attribute names (contract section 12). */
export const SESSION_TABLE = Object.freeze({ partitionKey: 'connectionId', ttlAttribute: 'expiresAt' });

/**
 * connection-events' function timeout. Each notification of a batch gets at most the budget and
 * never more than the time left, so this only bounds how large a burst one invocation works off
 * (EVENTS_CONCURRENCY at a time): 300 s is 400 notifications at 3 s each in the worst case.
 */
export const CONNECTION_EVENTS_TIMEOUT_SECONDS = 300;

/** A Slack user ID as `slackAdminUsers` lists them (section 16): `U…`, or `W…` on Enterprise Grid. */
export const SLACK_USER_ID_PATTERN = /^[UW][A-Z0-9]{2,20}$/;

/** A CloudWatch Logs log group name (`connectionLogGroup`, section 16), as CloudWatch Logs allows it. */
export const LOG_GROUP_NAME_PATTERN = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** Slack's request signing (section 15): a request older or newer than this is refused. */
export const SLACK_REQUEST_MAX_AGE_SECONDS = 300;
/**
 * Slack waits 3 s for the answer to an interaction or slash command, network included; the
 * slack-actions function answers by this, whatever EC2, Secrets Manager or Slack do.
 */
export const SLACK_ACTIONS_ANSWER_MS = 2500;
/** The Block Kit `action_id` of the Disconnect button; its `value` is `{"endpointId","connectionId"}`. */
export const DISCONNECT_ACTION_ID = 'disconnect';

/**
 * slack-actions' reserved concurrency: its URL is public (Slack cannot sign AWS requests), so a
 * flood of unsigned requests can use at most this many instances and never starve the account's
 * other functions (the connect handler is never throttled by it). Slack's own traffic is a few
 * clicks and commands a minute.
 */
export const SLACK_ACTIONS_RESERVED_CONCURRENCY = 5;
