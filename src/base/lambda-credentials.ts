/**
 * Stands in for @aws-sdk/credential-provider-node in the four Lambda bundles (the `alias` in
 * scripts/bundle.ts; the CLI and local runs keep the SDK's whole chain). Lambda hands every
 * function its role's credentials in the environment, the first link of the SDK's default
 * chain. The other links (SSO, ini files, credential_process, web identity, container and
 * instance metadata) never run there, yet their code and the STS/SSO clients they carry are
 * ~120 KB of every bundle: ~10 ms of parsing and evaluation on each cold start (issue 14,
 * BENCHMARKS.md). Outside Lambda without those variables, the SDK reports its own
 * CredentialsProviderError ("Unable to find environment variable credentials").
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];
type Credentials = { readonly expiration?: Date };

export const defaultProvider = (init: Init = {}) => fromEnv(init);

// The rest of the replaced module's interface, as the SDK defines it (used by its clients).
export const credentialsWillNeedRefresh = (credentials: Credentials | undefined): boolean => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: Credentials | undefined): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
