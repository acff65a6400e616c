import type { AwsAccess, EarlyService } from '../base/aws-access.ts';
import { httpExchange, type HttpExchange } from '../base/http-exchange.ts';
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

/** A parameters or secret answer is a few KB; anything past this is not one. */
const MAX_ANSWER_BYTES = 1024 * 1024;

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
  const failed = (why: string): EarlyReadError => new EarlyReadError(`${service} ${target}: ${why}`);
  let exchange: HttpExchange;
  try {
    const headers = signRequest(
      { method: 'POST', host: url.host, path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body },
      { service, region: access.region, credentials: access.credentials, now },
    );
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), givenUp.signal]);
    exchange = httpExchange(url, { method: 'POST', headers: { ...headers, 'user-agent': EARLY_READ_USER_AGENT }, body, signal, maxBytes: MAX_ANSWER_BYTES });
  } catch (error) {
    const answer = Promise.reject(failed(`not sent: ${error instanceof Error ? error.message : String(error)}`));
    answer.catch(() => undefined);
    return { answer, written: Promise.resolve(), abort: () => undefined };
  }
  const answer = exchange.answer.then(
    ({ status, body: raw }) => {
      const text = raw.toString('utf8');
      if (status !== 200) throw failed(`HTTP ${status} ${errorType(text)}`.trim());
      try {
        return JSON.parse(text) as A;
      } catch {
        throw failed('the answer is not JSON');
      }
    },
    (error: Error) => {
      throw failed(givenUp.signal.aborted ? 'given up by its reader' : error.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : error.message);
    },
  );
  // Whoever uses the answer handles its failure; one nobody used must not be unhandled.
  answer.catch(() => undefined);
  return { answer, written: exchange.written, abort: (reason) => givenUp.abort(reason) };
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
