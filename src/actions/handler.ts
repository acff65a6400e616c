import { DISCONNECT_ACTION_ID, SLACK_ACTIONS_ANSWER_MS } from '../base/contract.ts';
import { budgetFor, createDeadline, raceWithin, type Deadline } from '../base/deadline.ts';
import type { Log } from '../base/log.ts';
import { describeError as describe } from '../base/errors.ts';
import type { CacheRead } from '../sources/cache.ts';
import { auditLine, unverifiedLine, type AuditEntry } from './audit.ts';
import { authorizeDisconnect, type DisconnectTarget } from './authorize.ts';
import type { ActionsConfig } from './config.ts';
import type { ClientVpnApi, TerminateOutcome } from './ec2.ts';
import { jsonResult, readRequest, type FunctionUrlResult } from './http.ts';
import { disconnectResultText, refusalMessage, usageMessage, whoMessage, type Ec2Result, type EndpointListing } from './messages.ts';
import { parseSlackRequest, type BlockActions, type SlashCommand } from './parse.ts';
import type { ReplyOutcome, SlackReplies } from './slack-replies.ts';
import { verifySlackRequest } from './verify.ts';

/** A cached secret (signing secret, bot token): see sources/cache.ts. */
export interface SecretSource {
  get(waitMs: number, signal: AbortSignal): Promise<CacheRead<string>>;
}

export interface ActionsDependencies {
  readonly config: ActionsConfig;
  readonly signingSecret: SecretSource;
  readonly token: SecretSource;
  readonly ec2: ClientVpnApi;
  readonly slack: SlackReplies;
  readonly log: Log;
  /** The wall clock request timestamps are checked against (epoch ms); injectable for tests. */
  readonly clock?: () => number;
  /**
   * Called after EC2 accepted a termination, to update the parent message from the session
   * table (contract section 12). Optional and not wired yet: the session table lives elsewhere.
   */
  readonly onTerminated?: (endpointId: string, connectionId: string) => Promise<void>;
  /** Milliseconds by which the HTTP answer goes out; Slack gives up at 3 s. */
  readonly answerWithinMs?: number;
}

export interface InvocationContext {
  getRemainingTimeInMillis?(): number;
}

/** Time kept back to build and return the HTTP answer once the work is cut off. */
const ANSWER_RESERVE_MS = 100;
/** Time kept back after the EC2 call for the Slack reply that reports it. */
const SLACK_REPLY_RESERVE_MS = 700;
/** Time kept back after a failed thread reply to tell the clicking user instead. */
const FALLBACK_RESERVE_MS = 300;

const EMPTY_OK = jsonResult(200);

/**
 * Runs one outside call under a signal that aborts `reserveMs` before the deadline, and stops
 * waiting then even if the call ignores its signal: the answer to Slack never waits on EC2.
 */
async function bounded<T>(deadline: Deadline, reserveMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<Ec2Result<T>> {
  const waitMs = Math.max(0, deadline.remaining() - reserveMs);
  const signal = deadline.within(waitMs);
  const timedOut = Symbol('timedOut');
  try {
    const value = await raceWithin(call(signal), waitMs, deadline.signal, () => timedOut);
    if (value === timedOut) return { status: 'timedOut', reason: `no answer within ${waitMs} ms` };
    return { status: 'ok', value: value as T };
  } catch (error) {
    return signal.aborted ? { status: 'timedOut', reason: `no answer within ${waitMs} ms` } : { status: 'failed', reason: describe(error) };
  }
}

export function createActionsHandler(deps: ActionsDependencies): (event: unknown, context?: InvocationContext) => Promise<FunctionUrlResult> {
  const clock = deps.clock ?? Date.now;
  const answerWithinMs = deps.answerWithinMs ?? SLACK_ACTIONS_ANSWER_MS;
  const { config, log } = deps;

  async function who(command: SlashCommand, deadline: Deadline, started: number): Promise<FunctionUrlResult> {
    const listings: EndpointListing[] = await Promise.all(
      config.endpointIds.map(async (endpointId) => ({
        endpointId,
        result: await bounded(deadline, ANSWER_RESERVE_MS, (signal) => deps.ec2.listActive(endpointId, signal)),
      })),
    );
    log(
      auditLine({
        action: 'who',
        user: command.user,
        decision: 'allowed',
        ec2: listings.map(({ endpointId, result }) => (result.status === 'ok' ? { endpointId, status: 'ok', active: result.value.length } : { endpointId, ...result })),
        durationMs: Date.now() - started,
      }),
    );
    return jsonResult(200, whoMessage(listings, { admin: config.adminUsers.includes(command.user.id), timeZone: config.timeZone }));
  }

  async function tellUser(interaction: BlockActions, text: string, deadline: Deadline): Promise<ReplyOutcome> {
    return deps.slack.respond(interaction.responseUrl, { response_type: 'ephemeral', text }, deadline.signal);
  }

  async function terminate(interaction: BlockActions, target: DisconnectTarget, deadline: Deadline, started: number): Promise<void> {
    const inThread = interaction.channelId !== '' && interaction.threadTs !== '';
    // Read the token while EC2 works: the reply must go out right after.
    const tokenRead = inThread ? deps.token.get(deadline.remaining() - SLACK_REPLY_RESERVE_MS, deadline.signal) : undefined;
    const ec2WaitMs = Math.max(0, deadline.remaining() - SLACK_REPLY_RESERVE_MS);
    const result: Ec2Result<TerminateOutcome> = await bounded(deadline, SLACK_REPLY_RESERVE_MS, (signal) => deps.ec2.terminate(target, signal));

    let sessionUpdate: string | undefined;
    if (result.status === 'ok' && deps.onTerminated) {
      const update = await bounded(deadline, SLACK_REPLY_RESERVE_MS / 2, () => deps.onTerminated!(target.endpointId, target.connectionId));
      sessionUpdate = update.status === 'ok' ? 'updated' : `${update.status}: ${update.reason}`;
    }

    const text = disconnectResultText(interaction.user.id, target, result, ec2WaitMs);
    let reply: AuditEntry['reply'];
    if (inThread && tokenRead) {
      const token = await tokenRead;
      const posted: ReplyOutcome =
        token.value === undefined
          ? { status: 'failed', reason: `Slack token unavailable: ${token.error ?? 'unknown error'}` }
          : await deps.slack.postThreadReply(token.value, { channel: interaction.channelId, threadTs: interaction.threadTs, text }, deadline.within(deadline.remaining() - FALLBACK_RESERVE_MS));
      if (posted.status === 'sent') {
        reply = { via: 'thread', outcome: posted };
      } else {
        // The clicking user must learn the result even when the thread reply cannot be posted.
        const fallback = await tellUser(interaction, `${text}\n(This could not be posted in the thread.)`, deadline);
        reply = { via: 'response_url', outcome: fallback, fallbackFrom: posted };
      }
    } else {
      reply = { via: 'response_url', outcome: await tellUser(interaction, text, deadline) };
    }

    log(
      auditLine({
        action: 'disconnect',
        user: interaction.user,
        endpointId: target.endpointId,
        connectionId: target.connectionId,
        decision: 'allowed',
        ec2: result.status === 'ok' ? { status: 'ok', ...result.value, ...(sessionUpdate ? { sessionUpdate } : {}) } : result,
        reply,
        durationMs: Date.now() - started,
      }),
    );
  }

  async function disconnect(interaction: BlockActions, deadline: Deadline, started: number): Promise<FunctionUrlResult> {
    const action = interaction.actions.find((candidate) => candidate.actionId === DISCONNECT_ACTION_ID);
    if (!action) {
      log({ level: 'INFO', message: 'slack interaction ignored: it has no disconnect action', actionIds: interaction.actions.map((a) => a.actionId.slice(0, 64)) });
      return EMPTY_OK;
    }
    const authorization = authorizeDisconnect(interaction.user.id, action.value, config);
    if (authorization.allowed) {
      await terminate(interaction, authorization.target, deadline, started);
      return EMPTY_OK;
    }
    const outcome = await deps.slack.respond(interaction.responseUrl, refusalMessage(authorization.reason, authorization.target), deadline.signal);
    log(
      auditLine({
        action: 'disconnect',
        user: interaction.user,
        endpointId: authorization.target?.endpointId,
        connectionId: authorization.target?.connectionId,
        decision: 'refused',
        reason: authorization.reason,
        reply: { via: 'response_url', outcome },
        durationMs: Date.now() - started,
      }),
    );
    return EMPTY_OK;
  }

  async function handle(event: unknown, deadline: Deadline, started: number): Promise<FunctionUrlResult> {
    const request = readRequest(event);
    if (!config.slackTokenSecretId) {
      log({ level: 'ERROR', message: 'slack request not handled (503): SLACK_TOKEN_SECRET_ID is not set, so it cannot be verified' });
      return jsonResult(503);
    }
    const secret = await deps.signingSecret.get(deadline.remaining() - ANSWER_RESERVE_MS, deadline.signal);
    if (secret.value === undefined) {
      log({ level: 'ERROR', message: `slack request not handled (503): the signing secret is unavailable: ${secret.error ?? 'unknown error'}` });
      return jsonResult(503);
    }
    // Verified before anything of the body is read.
    const verdict = verifySlackRequest(request, secret.value, clock());
    if (!verdict.ok) {
      log(unverifiedLine(verdict.reason, request.sourceIp));
      return jsonResult(401);
    }

    const parsed = parseSlackRequest(request.rawBody);
    switch (parsed.kind) {
      case 'ssl_check':
        return EMPTY_OK;
      case 'unsupported':
        log({ level: 'INFO', message: `slack request ignored: ${parsed.what}` });
        return EMPTY_OK;
      case 'block_actions':
        return disconnect(parsed, deadline, started);
      case 'command': {
        const subcommand = parsed.text.trim().toLowerCase();
        if (subcommand === '' || subcommand === 'who') return who(parsed, deadline, started);
        log(auditLine({ action: 'help', user: parsed.user, decision: 'allowed', durationMs: Date.now() - started }));
        return jsonResult(200, usageMessage(parsed.command));
      }
    }
  }

  return async (event, context) => {
    const started = Date.now();
    const deadline = createDeadline(budgetFor(answerWithinMs, context?.getRemainingTimeInMillis?.()));
    try {
      return await handle(event, deadline, started);
    } catch (error) {
      // Nothing above should throw; if it does, Slack still gets an answer and we a line.
      log({ level: 'ERROR', message: `slack request failed unexpectedly: ${describe(error)}` });
      return jsonResult(500);
    } finally {
      deadline.abort('answered');
    }
  };
}
