import { describe, expect, it } from 'vitest';
import { awsAccessFromEnv } from '../../src/base/aws-access.ts';

const LAMBDA = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_REGION: 'ap-northeast-1' };

describe('awsAccessFromEnv (what the early reads may sign, or why not)', () => {
  it("takes Lambda's environment: its temporary credentials and the regional endpoints", () => {
    const result = awsAccessFromEnv(LAMBDA);
    expect(result).toEqual({
      access: {
        credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
        region: 'ap-northeast-1',
        endpoints: { ssm: new URL('https://ssm.ap-northeast-1.amazonaws.com'), secretsmanager: new URL('https://secretsmanager.ap-northeast-1.amazonaws.com') },
      },
    });
  });

  it('follows the SDK: AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL', () => {
    const result = awsAccessFromEnv({ ...LAMBDA, AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:6000/' });
    expect('access' in result && result.access.endpoints.ssm.href).toBe('http://127.0.0.1:5000/');
    expect('access' in result && result.access.endpoints.secretsmanager.href).toBe('http://127.0.0.1:6000/');
  });

  it('signs without a session token when there is none (long-term keys)', () => {
    const result = awsAccessFromEnv({ ...LAMBDA, AWS_SESSION_TOKEN: undefined });
    expect('access' in result && result.access.credentials).toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret' });
  });

  it.each([
    [{ AWS_ACCESS_KEY_ID: '' }, 'no credentials in the environment'],
    [{ AWS_SECRET_ACCESS_KEY: undefined }, 'no credentials in the environment'],
    [{ AWS_PROFILE: 'dev' }, 'an AWS profile or config file is set'],
    [{ AWS_CONFIG_FILE: '/x' }, 'an AWS profile or config file is set'],
    [{ AWS_USE_FIPS_ENDPOINT: 'true' }, 'FIPS or dual-stack endpoints are asked for'],
    [{ AWS_USE_DUALSTACK_ENDPOINT: 'TRUE' }, 'FIPS or dual-stack endpoints are asked for'],
    [{ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'configured endpoint URLs are switched off'],
    [{ AWS_REGION: undefined }, 'AWS_REGION is not set'],
    [{ AWS_REGION: 'cn-north-1' }, 'region cn-north-1 is not a commercial-partition region'],
    [{ AWS_REGION: 'us-gov-west-1' }, 'region us-gov-west-1 is not a commercial-partition region'],
    [{ AWS_REGION: 'us-isob-east-1' }, 'region us-isob-east-1 is not a commercial-partition region'],
    [{ AWS_REGION: 'eu-isoe-west-1' }, 'region eu-isoe-west-1 is not a commercial-partition region'],
    [{ AWS_ENDPOINT_URL: 'not a url' }, 'the ssm endpoint URL does not parse'],
    [{ AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:5000/prefix' }, 'the ssm endpoint URL has a form only the SDK handles'],
    [{ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'ftp://127.0.0.1' }, 'the secretsmanager endpoint URL has a form only the SDK handles'],
  ] as const)('leaves the read to the SDK when %o: %s', (over, reason) => {
    expect(awsAccessFromEnv({ ...LAMBDA, ...over })).toEqual({ unusable: reason });
  });

  it('accepts every commercial region shape, old and new', () => {
    for (const region of ['us-east-1', 'ap-southeast-7', 'mx-central-1', 'il-central-1', 'ca-west-1', 'eu-south-2']) {
      expect(awsAccessFromEnv({ ...LAMBDA, AWS_REGION: region })).toHaveProperty('access.region', region);
    }
  });
});
