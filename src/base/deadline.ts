/**
 * One deadline per invocation, like middy's early-timeout: every outside call gets `signal`,
 * and nothing sleeps or retries past `at`.
 */
export interface Deadline {
  /** Epoch milliseconds at which the handler must answer. */
  readonly at: number;
  /** Milliseconds the invocation was given. */
  readonly budgetMs: number;
  /** Aborts at the deadline, or when `abort()` is called. */
  readonly signal: AbortSignal;
  /** Resolves at the deadline (never rejects). */
  readonly expired: Promise<void>;
  remaining(): number;
  /** A signal that aborts after `ms`, or at the deadline if that comes first. */
  within(ms: number): AbortSignal;
  /** Aborts everything still in flight and clears timers. */
  abort(reason?: string): void;
}

/** Client VPN waits 30 s; answering a second before Lambda's own timeout leaves room for the answer. */
export const LAMBDA_MARGIN_MS = 1000;

export function budgetFor(notifyBudgetMs: number, remainingMs: number | undefined): number {
  const limit = typeof remainingMs === 'number' && Number.isFinite(remainingMs) ? remainingMs - LAMBDA_MARGIN_MS : Infinity;
  return Math.max(0, Math.min(notifyBudgetMs, limit));
}

export function createDeadline(budgetMs: number, now: () => number = Date.now): Deadline {
  const start = now();
  const at = start + budgetMs;
  const controller = new AbortController();
  let resolveExpired!: () => void;
  const expired = new Promise<void>((resolve) => {
    resolveExpired = resolve;
  });
  const timer = setTimeout(() => {
    resolveExpired();
    controller.abort(new DeadlineError(budgetMs));
  }, budgetMs);

  return {
    at,
    budgetMs,
    signal: controller.signal,
    expired,
    remaining: () => Math.max(0, at - now()),
    within(ms: number): AbortSignal {
      const wait = Math.max(0, Math.min(ms, at - now()));
      return AbortSignal.any([controller.signal, AbortSignal.timeout(wait)]);
    },
    abort(reason = 'answered'): void {
      clearTimeout(timer);
      resolveExpired();
      if (!controller.signal.aborted) controller.abort(new DeadlineError(budgetMs, reason));
    },
  };
}

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(budgetMs: number, reason = 'deadline') {
    super(`${reason}: notification budget of ${budgetMs} ms`);
  }
}

/** Resolves to the promise's value, or to `onTimeout()` if `ms` passes or `signal` aborts first. */
export function raceWithin<T, U>(promise: Promise<T>, ms: number, signal: AbortSignal, onTimeout: () => U): Promise<T | U> {
  return new Promise<T | U>((resolve, reject) => {
    if (signal.aborted || ms <= 0) {
      // Let an already-settled promise win over an expired wait.
      promise.then(resolve, reject);
      queueMicrotask(() => resolve(onTimeout()));
      return;
    }
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      resolve(onTimeout());
    };
    const timer = setTimeout(onAbort, ms);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}
