import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { earlyOnce, type EarlyRead, type SecretAnswer } from './early-reads.ts';

/**
 * Reads a secret's string and hands it to `parse` (which throws its own format error, never
 * quoting the value). A binary secret is refused with `formatError`'s message. `early`: a cold
 * start's read of the same secret already under way, which answers the first read when it succeeds.
 */
export function secretStringFetcher<T>(
  secrets: SecretsManagerClient,
  secretId: string,
  parse: (secret: string) => T,
  formatError: (message: string) => Error,
  early?: EarlyRead<SecretAnswer>,
): (signal: AbortSignal) => Promise<T> {
  const firstFromEarly = earlyOnce(early);
  return async (signal) => {
    const out: SecretAnswer = await firstFromEarly(secretId, () => secrets.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: signal }), signal);
    if (typeof out.SecretString !== 'string') throw formatError('the Slack secret has no SecretString (binary secrets are not supported)');
    return parse(out.SecretString);
  };
}
