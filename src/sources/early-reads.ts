import type { ClientRequest, IncomingMessage } from 'node:http';
import type { AwsAccess, EarlyService } from '../base/aws-access.ts';
import { signRequest } from '../base/sigv4.ts';

/**
 * A cold start's two reads (the templates from Parameter Store, the Slack token from Secrets
 * Manager), sent by the connect handler's first stage before any SDK code is evaluated: signed
 * here (src/base/sigv4.ts), written with node:http(s), answered as the service's raw JSON.
 *
 * They are only a head start. Whatever goes wrong (no answer within the cap, an HTTP error,
 * a refused connection, JSON that does not parse), the answer rejects and the SDK client reads
 * again as it always does, with its retries, classification and stale-on-error cache. Nothing
 * here interprets the values: the same code reads both answers (src/sources/templates.ts,
 * src/sources/secret-string.ts).
 */
export interface ParametersAnswer {
  readonly Parameters?: readonly { readonly Name?: string; readonly Value?: string }[];
}
export interface SecretAnswer {
  readonly SecretString?: string;
}

export interface EarlyRead<A> {
  /** What was asked: the parameter names in order, or the secret ID. */
  readonly asked: string;
  readonly answer: Promise<A>;
  /** Gives the request up (whoever waited for it stopped waiting): nothing runs on unwatched. */
  abort(reason: unknown): void;
}

export interface EarlyReads {
  readonly parameters?: EarlyRead<ParametersAnswer>;
  readonly secret?: EarlyRead<SecretAnswer>;
  /** Every request has been written to its socket, or has ended (never rejects). */
  readonly written: Promise<void>;
}

export interface EarlyReadsWanted {
  /** At most 10 names (one GetParameters request). */
  readonly parameterNames?: readonly string[];
  readonly secretId?: string;
}

/** A read started during init may take this long (the early reads, or the SDK's when they are off): it is only a head start. */
export const READ_AHEAD_TIMEOUT_MS = 5000;
/** Init waits at most this long for the reads to be written (a TLS handshake, say) before it goes on anyway. */
export const ON_THE_WIRE_CAP_MS = 100;

/** Names the early reads in the services' logs (CloudTrail's userAgent), apart from the SDK's. */
export const EARLY_READ_USER_AGENT = 'clientvpn-notifier early-read';

export class EarlyReadError extends Error {
  override readonly name = 'EarlyReadError';
}

/** How `asked` names a parameters read: the names, in order. */
export const askedParameters = (names: readonly string[]): string => names.join('\n');

export function startEarlyReads(access: AwsAccess, wanted: EarlyReadsWanted, options: { readonly timeoutMs: number; readonly now?: () => Date }): EarlyReads {
  const now = options.now ?? (() => new Date());
  const calls: { written: Promise<void> }[] = [];
  let parameters: EarlyRead<ParametersAnswer> | undefined;
  let secret: EarlyRead<SecretAnswer> | undefined;
  if (wanted.parameterNames && wanted.parameterNames.length > 0) {
    const call = callJson<ParametersAnswer>(access, 'ssm', 'AmazonSSM.GetParameters', { Names: wanted.parameterNames, WithDecryption: true }, options.timeoutMs, now());
    calls.push(call);
    parameters = { asked: askedParameters(wanted.parameterNames), answer: call.answer, abort: call.abort };
  }
  if (wanted.secretId) {
    const call = callJson<SecretAnswer>(access, 'secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: wanted.secretId }, options.timeoutMs, now());
    calls.push(call);
    secret = { asked: wanted.secretId, answer: call.answer, abort: call.abort };
  }
  return { ...(parameters ? { parameters } : {}), ...(secret ? { secret } : {}), written: Promise.all(calls.map((c) => c.written)).then(() => undefined) };
}

function callJson<A>(access: AwsAccess, service: EarlyService, target: string, input: object, timeoutMs: number, now: Date): { answer: Promise<A>; written: Promise<void>; abort(reason: unknown): void } {
  const givenUp = new AbortController();
  const url = access.endpoints[service];
  const body = JSON.stringify(input);
  let markWritten!: () => void;
  const written = new Promise<void>((resolve) => {
    markWritten = resolve;
  });
  const answer = new Promise<A>((resolve, reject) => {
    let request: ClientRequest;
    try {
      const headers = signRequest(
        { method: 'POST', host: url.host, path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body },
        { service, region: access.region, credentials: access.credentials, now },
      );
      // Not an ESM import: Node 22+ builds node:http's namespace by calling its lazy getters,
      // which load undici (WebSocket): ~25 ms on Node 24 before the first stage could send.
      const send = url.protocol === 'https:' ? process.getBuiltinModule('node:https').request : process.getBuiltinModule('node:http').request;
      request = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': EARLY_READ_USER_AGENT }, signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), givenUp.signal]) });
    } catch (error) {
      markWritten();
      reject(new EarlyReadError(`${service} ${target}: not sent: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    request.once('finish', markWritten);
    request.once('close', markWritten);
    // `on`, not `once`: a second 'error' with no listener would be an uncaught exception.
    request.on('error', (error) => {
      markWritten();
      const why = givenUp.signal.aborted ? 'given up by its reader' : error.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : error.message;
      reject(new EarlyReadError(`${service} ${target}: ${why}`));
    });
    request.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => reject(new EarlyReadError(`${service} ${target}: ${error.message}`)));
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) {
          reject(new EarlyReadError(`${service} ${target}: HTTP ${response.statusCode ?? '?'} ${errorType(text)}`.trim()));
          return;
        }
        try {
          resolve(JSON.parse(text) as A);
        } catch {
          reject(new EarlyReadError(`${service} ${target}: the answer is not JSON`));
        }
      });
    });
    request.end(body);
  });
  // Whoever uses the answer handles its failure; one nobody used must not be unhandled.
  answer.catch(() => undefined);
  return { answer, written, abort: (reason) => givenUp.abort(reason) };
}

/** The error's type from a JSON-protocol error body ("com.amazonaws…#ThrottlingException" → ThrottlingException); never the message. */
function errorType(text: string): string {
  try {
    const type = (JSON.parse(text) as { __type?: unknown }).__type;
    return typeof type === 'string' ? (type.split('#').pop() ?? '').replace(/[^A-Za-z0-9]/g, '') : '';
  } catch {
    return '';
  }
}

/**
 * Lets the early read answer the first read that asks exactly what it asked; when it failed,
 * that read goes to `read` (the SDK) after all, unless `signal` has ended it meanwhile. Every
 * later read goes to `read`. When `signal` aborts first, the early request is given up too and
 * the read rejects with the signal's reason, as an SDK read would.
 */
export function earlyOnce<A>(early: EarlyRead<A> | undefined): (asked: string, read: () => Promise<A>, signal: AbortSignal) => Promise<A> {
  let pending = early;
  return (asked, read, signal) => {
    if (!pending || pending.asked !== asked) return read();
    const taken = pending;
    pending = undefined;
    return new Promise<A>((resolve, reject) => {
      const onAbort = (): void => {
        taken.abort(signal.reason);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      taken.answer.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        () => {
          signal.removeEventListener('abort', onAbort);
          if (!signal.aborted) read().then(resolve, reject);
        },
      );
    });
  };
}
