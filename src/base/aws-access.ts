import type { AwsCredentials } from './sigv4.ts';

/**
 * What a request signed without the SDK needs from the environment: credentials, region and
 * each service's endpoint, resolved as the SDK would resolve them inside Lambda (credentials
 * from the environment, AWS_ENDPOINT_URL_<SERVICE> then AWS_ENDPOINT_URL, else the regional
 * endpoint). Whenever the SDK could resolve something differently (FIPS or dual-stack
 * endpoints, another partition, a profile, configured endpoints switched off), this gives up
 * with a reason instead of guessing, and the SDK does the read.
 */
export type EarlyService = 'ssm' | 'secretsmanager';

export interface AwsAccess {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly endpoints: Readonly<Record<EarlyService, URL>>;
}

export type AwsAccessResult = { readonly access: AwsAccess } | { readonly unusable: string };

/** The SDK's service IDs in AWS_ENDPOINT_URL_<ID>, and the endpoint prefix. */
const SERVICES: Readonly<Record<EarlyService, { readonly envId: string; readonly prefix: string }>> = {
  ssm: { envId: 'SSM', prefix: 'ssm' },
  secretsmanager: { envId: 'SECRETS_MANAGER', prefix: 'secretsmanager' },
};

/** Commercial-partition regions (amazonaws.com); China, GovCloud and the isolated ones are left to the SDK. */
const COMMERCIAL_REGION = /^(?!cn-|us-gov-|us-iso|eu-iso)[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const isTrue = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true';

export function awsAccessFromEnv(env: Readonly<Record<string, string | undefined>>): AwsAccessResult {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) return { unusable: 'no credentials in the environment' };
  if (env.AWS_PROFILE || env.AWS_CONFIG_FILE || env.AWS_SHARED_CREDENTIALS_FILE) return { unusable: 'an AWS profile or config file is set' };
  if (isTrue(env.AWS_USE_FIPS_ENDPOINT) || isTrue(env.AWS_USE_DUALSTACK_ENDPOINT)) return { unusable: 'FIPS or dual-stack endpoints are asked for' };
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return { unusable: 'configured endpoint URLs are switched off' };
  const region = env.AWS_REGION?.trim() ?? '';
  if (!COMMERCIAL_REGION.test(region)) return { unusable: region ? `region ${region} is not a commercial-partition region` : 'AWS_REGION is not set' };

  const endpoints: Partial<Record<EarlyService, URL>> = {};
  for (const [service, { envId, prefix }] of Object.entries(SERVICES) as [EarlyService, (typeof SERVICES)[EarlyService]][]) {
    const configured = env[`AWS_ENDPOINT_URL_${envId}`]?.trim() || env.AWS_ENDPOINT_URL?.trim();
    let url: URL;
    try {
      url = new URL(configured || `https://${prefix}.${region}.amazonaws.com`);
    } catch {
      return { unusable: `the ${service} endpoint URL does not parse` };
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
      return { unusable: `the ${service} endpoint URL has a form only the SDK handles` };
    }
    endpoints[service] = url;
  }
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return {
    access: {
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      region,
      endpoints: endpoints as Record<EarlyService, URL>,
    },
  };
}
