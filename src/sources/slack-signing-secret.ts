import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretStringFetcher } from './secret-string.ts';

/** Raised when the secret holds no usable signing secret; the message never includes the value. */
export class SigningSecretFormatError extends Error {
  override readonly name = 'SigningSecretFormatError';
}

/**
 * The Slack app's signing secret, kept in the same Secrets Manager secret as the bot token:
 * JSON `{"token":"xoxb-…","signingSecret":"…"}` (contract section 15).
 */
export function parseSigningSecret(secret: string): string {
  const trimmed = secret.trim();
  if (!trimmed.startsWith('{')) {
    throw new SigningSecretFormatError('the Slack secret is not JSON, so it holds no "signingSecret" (expected {"token":"xoxb-…","signingSecret":"…"})');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // JSON.parse's own message quotes the input, which is the secret.
    throw new SigningSecretFormatError('the Slack secret looks like JSON but does not parse');
  }
  const value = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).signingSecret : undefined;
  if (typeof value !== 'string') throw new SigningSecretFormatError('the Slack secret is JSON without a "signingSecret" string');
  const signingSecret = value.trim();
  // Slack issues 32 hex characters; anything short or with spaces is a paste mistake, and an
  // empty key would make every HMAC computable by anyone.
  if (!/^[A-Za-z0-9]{16,}$/.test(signingSecret)) {
    throw new SigningSecretFormatError('the Slack secret\'s "signingSecret" is not a Slack signing secret (expected 32 hex characters)');
  }
  return signingSecret;
}

export function secretsManagerSigningSecretFetcher(secrets: SecretsManagerClient, secretId: string): (signal: AbortSignal) => Promise<string> {
  return secretStringFetcher(secrets, secretId, parseSigningSecret, (message) => new SigningSecretFormatError(message));
}
