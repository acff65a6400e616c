/**
 * Lambda entry of slack-actions (contract section 15), behind a function URL with auth type
 * NONE: Slack cannot sign AWS requests, so every request is verified in code with the Slack
 * signing secret before anything else happens. Loading needs no credentials, network or
 * environment variable; configuration problems are logged once, never thrown.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describeError } from '../base/errors.ts';
import { handlerOrFallback } from '../base/entry.ts';
import { jsonLog } from '../base/log.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import { secretsManagerSigningSecretFetcher } from '../sources/slack-signing-secret.ts';
import { secretsManagerTokenFetcher } from '../sources/slack-token.ts';
import { parseActionsConfig } from './config.ts';
import { sdkClientVpnApi } from './ec2.ts';
import { createActionsHandler } from './handler.ts';
import { slackReplies } from './slack-replies.ts';

/** A read started during init may take this long; it is only a head start. */
const PREFETCH_TIMEOUT_MS = 5000;

type Handler = ReturnType<typeof createActionsHandler>;

function init(): Handler {
  // The entry is the one place configuration is read (the house rule the linter enforces).
  const env = process.env;
  const { config, warnings } = parseActionsConfig(env);
  for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });

  // One quick SDK retry at most: the answer to Slack is due within 3 s anyway.
  const clientConfig = { maxAttempts: 2, ...(config.region ? { region: config.region } : {}) };
  const secrets = new SecretsManagerClient(clientConfig);
  const ttlMs = config.cacheTtlSeconds * 1000;
  const secretId = config.slackTokenSecretId ?? '';
  const signingSecret = new StaleWhileErrorCache(secretsManagerSigningSecretFetcher(secrets, secretId), { ttlMs });
  const token = new StaleWhileErrorCache(secretsManagerTokenFetcher(secrets, secretId), { ttlMs });

  // Slack's 3 s include the cold start: inside Lambda (only there, so importing stays free of
  // side effects) the secret reads go on the wire during init.
  if (env.AWS_LAMBDA_FUNCTION_NAME && config.slackTokenSecretId) {
    void signingSecret.prefetch(PREFETCH_TIMEOUT_MS);
    void token.prefetch(PREFETCH_TIMEOUT_MS);
  }

  return createActionsHandler({
    config,
    signingSecret,
    token,
    ec2: sdkClientVpnApi(new EC2Client(clientConfig)),
    slack: slackReplies({ apiUrl: config.slackApiUrl }),
    log: jsonLog,
  });
}

/** When init failed, every request is refused (503: nothing verified, nothing done) and says why. */
function fallback(error: unknown): Handler {
  const reason = describeError(error);
  jsonLog({ level: 'ERROR', message: `slack-actions init failed; every request is answered 503: ${reason}` });
  return (async () => {
    jsonLog({ level: 'ERROR', message: `slack-actions request refused: init failed: ${reason}` });
    return { statusCode: 503, headers: { 'content-type': 'text/plain' }, body: 'not available' };
  }) as unknown as Handler;
}

export const handler: Handler = handlerOrFallback(init, fallback);
