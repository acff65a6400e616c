/**
 * The connect handler's first stage: the only code evaluated before the cold start's reads are
 * on the wire. It parses the configuration, signs and sends the two reads itself (no SDK: see
 * src/sources/early-reads.ts), waits until they are written to their sockets, and only then
 * has the second stage (everything else) evaluated, while the reads are in flight.
 *
 * Inside Lambda only: importing the module elsewhere reads nothing. And nothing thrown here
 * may become an init error: that would deny every connection.
 */
import { awsAccessFromEnv } from '../base/aws-access.ts';
import { parseConfig, type Config } from '../base/config.ts';
import { CONNECT_TEMPLATE_KEYS } from '../base/contract.ts';
import { raceWithin } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import { jsonLog } from '../base/log.ts';
import { slackOffReason } from '../channels/slack-off.ts';
import { ON_THE_WIRE_CAP_MS, READ_AHEAD_TIMEOUT_MS, startEarlyReads, type EarlyReads, type EarlyReadsWanted } from '../sources/early-reads.ts';
import { settingsRequests } from '../sources/parameter-names.ts';
import type { ConnectHandler } from './connect.ts';
import { initFailedHandler } from './init-failed.ts';
import type { StageTwoInput } from './stage-two.ts';


export interface StageTwo {
  startConnectHandler(input: StageTwoInput): Promise<ConnectHandler>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The handler, made in two stages; never rejects (an init failure becomes the allow-only handler). */
export async function connectHandlerInStages(env: Env, loadStageTwo: () => Promise<StageTwo>): Promise<ConnectHandler> {
  try {
    const { config, warnings } = parseConfig(env);
    for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });
    const inLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
    const early = inLambda ? sendEarlyReads(config, env) : undefined;
    if (early) await raceWithin(early.written, ON_THE_WIRE_CAP_MS, new AbortController().signal, () => undefined);
    const stageTwo = await loadStageTwo();
    return await stageTwo.startConnectHandler({ config, inLambda, early });
  } catch (error) {
    return initFailedHandler(error, jsonLog);
  }
}

/** Sends the reads the first invocation will need, when the environment lets them be signed here. */
function sendEarlyReads(config: Config, env: Env): EarlyReads | undefined {
  const resolved = awsAccessFromEnv(env);
  if ('unusable' in resolved) {
    jsonLog({ level: 'INFO', message: `early reads off (${resolved.unusable}): the SDK reads at init` });
    return undefined;
  }
  const requests = settingsRequests(config.templateParameterPath, CONNECT_TEMPLATE_KEYS, config.routesParameter);
  const slackOn = !slackOffReason({ tokenSecret: Boolean(config.slackTokenSecretId), channel: config.slackChannel, apiUrl: config.slackApiUrl });
  // One GetParameters request at most (the connect kind's templates and the routes fit in one).
  const wanted: EarlyReadsWanted = {
    ...(requests.length === 1 ? { parameterNames: requests[0] } : {}),
    ...(slackOn && config.slackTokenSecretId ? { secretId: config.slackTokenSecretId } : {}),
  };
  try {
    return startEarlyReads(resolved.access, wanted, { timeoutMs: READ_AHEAD_TIMEOUT_MS });
  } catch (error) {
    jsonLog({ level: 'WARN', message: `early reads not sent, the SDK reads at init: ${describeError(error)}` });
    return undefined;
  }
}
