/**
 * The Lambda function URL side (payload format 2.0): what comes in, what goes out. The event
 * is built by AWS, but everything in it comes from whoever found the URL, so nothing is assumed.
 */
export interface FunctionUrlEvent {
  readonly headers?: Record<string, string | undefined> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string; readonly sourceIp?: string } };
}

export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

export interface IncomingRequest {
  /** Header names in lower case; repeated headers as the URL joined them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as sent: base64-decoded when the URL encoded it. */
  readonly rawBody: Buffer;
  /** For the WARN line of a refused request. */
  readonly sourceIp: string;
}

export function readRequest(event: unknown): IncomingRequest {
  const source = event !== null && typeof event === 'object' ? (event as FunctionUrlEvent) : {};
  const headers: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  if (source.headers && typeof source.headers === 'object') {
    for (const [name, value] of Object.entries(source.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
  }
  const body = typeof source.body === 'string' ? source.body : '';
  const rawBody = source.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  const sourceIp = typeof source.requestContext?.http?.sourceIp === 'string' ? source.requestContext.http.sourceIp.slice(0, 64) : '';
  return { headers, rawBody, sourceIp };
}

/** The answer to Slack: JSON when there is a body, empty otherwise. */
export function jsonResult(statusCode: number, body?: unknown): FunctionUrlResult {
  return body === undefined
    ? { statusCode, body: '' }
    : { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}
