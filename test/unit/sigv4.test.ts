import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest } from '../../src/base/sigv4.ts';

// AWS's own worked example ("Create a signed AWS API request", IAM ListUsers, 2015-08-30).
const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('signRequest (SigV4 for the early reads)', () => {
  it("reproduces AWS's published example signature", () => {
    const headers = signRequest(
      { method: 'GET', host: 'iam.amazonaws.com', path: '/', query: { Action: 'ListUsers', Version: '2010-05-08' }, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: '', payloadHash: false },
      { service: 'iam', region: 'us-east-1', credentials: EXAMPLE_CREDENTIALS, now: new Date('2015-08-30T12:36:00Z') },
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('formats x-amz-date without separators or milliseconds', () => {
    expect(amzDate(new Date('2026-11-29T09:05:07.123Z'))).toBe('20261129T090507Z');
  });

  it('signs a JSON-protocol POST exactly as the SDK signer does (random bodies, targets, regions, hosts, temporary credentials)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.string({ unit: 'grapheme', maxLength: 200 }),
          target: fc.constantFrom('AmazonSSM.GetParameters', 'secretsmanager.GetSecretValue'),
          service: fc.constantFrom('ssm', 'secretsmanager'),
          region: fc.constantFrom('us-east-1', 'ap-northeast-1', 'eu-west-3'),
          host: fc.constantFrom('ssm.ap-northeast-1.amazonaws.com', '127.0.0.1:4566', 'localhost:8080'),
          secretAccessKey: fc.string({ minLength: 1, maxLength: 40 }),
          sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,80}$/), { nil: undefined }),
          time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        }),
        async ({ body, target, service, region, host, secretAccessKey, sessionToken, time }) => {
          const now = new Date(Math.floor(time / 1000) * 1000);
          const credentials = { accessKeyId: 'AKIATESTEXAMPLE', secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
          const requestHeaders = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
          const ours = signRequest({ method: 'POST', host, path: '/', headers: requestHeaders, body }, { service, region, credentials, now });
          const sdk = new SignatureV4({ service, region, credentials, sha256: Sha256 });
          const [hostname, port] = host.split(':');
          const signed = await sdk.sign(
            new HttpRequest({ method: 'POST', protocol: 'https:', hostname, ...(port ? { port: Number(port) } : {}), path: '/', headers: { ...requestHeaders, host }, body }),
            { signingDate: now },
          );
          expect(ours.authorization).toBe(signed.headers.authorization);
          expect(ours['x-amz-security-token']).toBe(sessionToken);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a path it would have to escape instead of signing it wrongly', () => {
    expect(() => signRequest({ method: 'GET', host: 'h', path: '/a b', headers: {}, body: '' }, { service: 's', region: 'r', credentials: EXAMPLE_CREDENTIALS, now: new Date(0) })).toThrow(/escaping/);
  });
});
