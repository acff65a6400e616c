import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Reads a secret's string and hands it to `parse` (which throws its own format error, never
 * quoting the value). A binary secret is refused with `formatError`'s message.
 */
export function secretStringFetcher<T>(
  secrets: SecretsManagerClient,
  secretId: string,
  parse: (secret: string) => T,
  formatError: (message: string) => Error,
): (signal: AbortSignal) => Promise<T> {
  return async (signal) => {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: signal });
    if (typeof out.SecretString !== 'string') throw formatError('the Slack secret has no SecretString (binary secrets are not supported)');
    return parse(out.SecretString);
  };
}
