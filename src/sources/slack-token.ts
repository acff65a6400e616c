import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EarlyRead, SecretAnswer } from './early-reads.ts';
import { secretStringFetcher } from './secret-string.ts';

/** Raised when the secret exists but holds no usable token; the message never includes the value. */
export class TokenFormatError extends Error {
  override readonly name = 'TokenFormatError';
}

/**
 * The secret holds either the raw `xoxb-…` string or JSON `{"token":"xoxb-…"}`.
 */
export function parseSlackToken(secret: string): string {
  const trimmed = secret.trim();
  let token = trimmed;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new TokenFormatError('the Slack token secret looks like JSON but does not parse');
    }
    const value = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).token : undefined;
    if (typeof value !== 'string') throw new TokenFormatError('the Slack token secret is JSON without a "token" string');
    token = value.trim();
  }
  if (!/^xox[a-z]-[A-Za-z0-9-]+$/.test(token)) {
    throw new TokenFormatError('the Slack token secret does not hold a Slack token (expected xoxb-…)');
  }
  return token;
}

export function secretsManagerTokenFetcher(secrets: SecretsManagerClient, secretId: string, early?: EarlyRead<SecretAnswer>): (signal: AbortSignal) => Promise<string> {
  return secretStringFetcher(secrets, secretId, parseSlackToken, (message) => new TokenFormatError(message), early);
}
