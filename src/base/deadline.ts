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

import { LAMBDA_MARGIN_MS } from './contract.ts';

export { LAMBDA_MARGIN_MS };

/** Time as the deadline sees it; tests inject their own (or vitest's fake timers drive the default). */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function budgetFor(notifyBudgetMs: number, remainingMs: number | undefined): number {
  const limit = typeof remainingMs === 'number' && Number.isFinite(remainingMs) ? remainingMs - LAMBDA_MARGIN_MS : Infinity;
  return Math.max(0, Math.min(notifyBudgetMs, limit));
}

export function createDeadline(budgetMs: number, clock: Clock = systemClock): Deadline {
  const now = (): number => clock.now();
  const start = now();
  const at = start + budgetMs;
  const controller = new AbortController();
  let resolveExpired!: () => void;
  const expired = new Promise<void>((resolve) => {
    resolveExpired = resolve;
  });
  const timers: unknown[] = [];
  const timer = clock.setTimeout(() => {
    resolveExpired();
    controller.abort(new DeadlineError(budgetMs));
  }, budgetMs);
  timers.push(timer);

  return {
    at,
    budgetMs,
    signal: controller.signal,
    expired,
    remaining: () => Math.max(0, at - now()),
    within(ms: number): AbortSignal {
      const wait = Math.max(0, Math.min(ms, at - now()));
      const early = new AbortController();
      timers.push(clock.setTimeout(() => early.abort(new DeadlineError(budgetMs, `share of ${Math.round(wait)} ms`)), wait));
      return AbortSignal.any([controller.signal, early.signal]);
    },
    abort(reason = 'answered'): void {
      for (const handle of timers) clock.clearTimeout(handle);
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
export function raceWithin<T, U>(promise: Promise<T>, ms: number, signal: AbortSignal, onTimeout: () => U, clock: Clock = systemClock): Promise<T | U> {
  return new Promise<T | U>((resolve, reject) => {
    if (signal.aborted || ms <= 0) {
      // Let an already-settled promise win over an expired wait.
      promise.then(resolve, reject);
      queueMicrotask(() => resolve(onTimeout()));
      return;
    }
    const finish = (): void => {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      resolve(onTimeout());
    };
    const timer = clock.setTimeout(onAbort, ms);
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
