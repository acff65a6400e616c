/*
 * AWS Signature Version 4 for one header-signed request, with node:crypto only: what the
 * connect handler's early reads need before any SDK code is evaluated (see
 * src/sources/early-reads.ts). Everything else is signed by the SDK. Checked against AWS's
 * published example and, property-based, against the SDK's own signer
 * (test/unit/sigv4.test.ts).
 *
 * Covered: any method, a path of unreserved characters, a query, any headers, a body. Not
 * covered (the SDK does those): S3's unsigned payloads and path rules, presigned URLs, chunked
 * uploads, SigV4a.
 */

/**
 * node:crypto, loaded on first use. Not an ESM import: that would build node:crypto's whole
 * namespace (webcrypto included) before the connect handler's first stage runs; this loads the
 * module alone (~0.3 ms against ~5 on Node 24), and inside the caller's error handling.
 */
const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  readonly method: string;
  /** Host, with the port when it is not the scheme's default. */
  readonly host: string;
  /** Starts with "/"; only unreserved characters and "/" (otherwise a TypeError). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Headers to send and sign (host, x-amz-date and the token are added). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Sends and signs x-amz-content-sha256, as the SDK does (default true). */
  readonly payloadHash?: boolean;
}

export interface SigningScope {
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string): string => crypto().createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => crypto().createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 escaping, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escapeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** 20150830T123600Z */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers to send: the request's own, plus host, x-amz-date, x-amz-content-sha256, x-amz-security-token (with
 * temporary credentials) and authorization. Header names come back lower-cased.
 */
export function signRequest(request: RequestToSign, scope: SigningScope): Record<string, string> {
  if (!/^\/[A-Za-z0-9\-._~/]*$/.test(request.path)) throw new TypeError(`sigv4: path ${JSON.stringify(request.path)} needs escaping rules this signer does not implement`);
  const stamp = amzDate(scope.now);
  const day = stamp.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host = request.host;
  headers['x-amz-date'] = stamp;
  // The SDK sends it with every request; the example in AWS's documentation has none.
  if (request.payloadHash !== false) headers['x-amz-content-sha256'] = sha256Hex(request.body);
  if (scope.credentials.sessionToken) headers['x-amz-security-token'] = scope.credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const query = Object.entries(request.query ?? {})
    .map(([key, value]) => [escapeRfc3986(key), escapeRfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = [request.method.toUpperCase(), request.path, query, canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, stamp, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${scope.credentials.secretAccessKey}`, day), scope.region), scope.service), 'aws4_request');
  const signature = crypto().createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${scope.credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
