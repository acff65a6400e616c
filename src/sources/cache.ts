import { raceWithin } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';

/**
 * A value read from outside (Parameter Store, Secrets Manager), reused for a max age and
 * served stale when a refresh fails, in the manner of Powertools Parameters' BaseProvider.
 *
 * Reads are shared: a cold start may begin one during init (`prefetch`) and the first
 * invocation joins it instead of starting another.
 */
export type CacheSource = 'fetched' | 'cache' | 'stale' | 'none';

export interface CacheRead<T> {
  readonly value: T | undefined;
  readonly source: CacheSource;
  /** Why a fresh value could not be had (only with `stale` or `none`). */
  readonly error?: string;
  /** The error itself, for callers that classify by type (never logged as is). */
  readonly failure?: unknown;
  /** True when the read was only slow (no answer in time), not refused or broken. */
  readonly slow?: boolean;
}

interface Inflight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
}

export interface CacheOptions {
  readonly ttlMs: number;
  /** After a failed read, serve what we have without asking again for this long. */
  readonly failureBackoffMs?: number;
  readonly now?: () => number;
}

export class StaleWhileErrorCache<T> {
  private value: T | undefined;
  private hasValue = false;
  private fetchedAt = 0;
  private retryNotBefore = 0;
  private lastError: unknown;
  private inflight: Inflight<T> | undefined;
  /** A prefetched value nobody has been served yet: the first get reports it as fetched. */
  private prefetchedUnserved = false;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly failureBackoffMs: number;

  constructor(
    private readonly fetcher: (signal: AbortSignal) => Promise<T>,
    options: CacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs;
    this.failureBackoffMs = options.failureBackoffMs ?? Math.min(options.ttlMs, 10_000);
  }

  /**
   * Starts a read in the background (e.g. during Lambda init) if none is fresh or running.
   * Resolves when that read has settled (never rejects), for whoever wants to know.
   */
  prefetch(timeoutMs: number): Promise<void> {
    if (this.isFresh() || this.inflight) return this.inflight ? this.inflight.promise.then(() => undefined, () => undefined) : Promise.resolve();
    const inflight = this.start();
    const timer = setTimeout(() => inflight.controller.abort(new SlowReadError(`prefetch gave up after ${timeoutMs} ms`)), timeoutMs);
    timer.unref?.();
    return inflight.promise.then(
      () => {
        clearTimeout(timer);
        this.prefetchedUnserved = true;
      },
      () => {
        clearTimeout(timer);
      },
    );
  }

  /**
   * The cached value if fresh; otherwise waits at most `waitMs` (and no longer than `signal`)
   * for a read, then gives up on it, aborting it, and serves the stale value if there is one.
   */
  async get(waitMs: number, signal: AbortSignal): Promise<CacheRead<T>> {
    if (this.isFresh()) {
      const source = this.prefetchedUnserved ? 'fetched' : 'cache';
      this.prefetchedUnserved = false;
      return { value: this.value, source };
    }
    if (this.now() < this.retryNotBefore) return this.fallback(this.lastError ?? new Error('recent read failed'));

    const inflight = this.inflight ?? this.start();
    const timedOut = Symbol('timedOut');
    try {
      const result = await raceWithin(inflight.promise, waitMs, signal, () => timedOut);
      if (result === timedOut) {
        // Slow is not failed: the read is given up (nothing runs past the deadline) but no backoff
        // starts, so the next invocation asks again instead of going without for 10 s.
        const reason = `no answer within ${Math.max(0, Math.round(waitMs))} ms`;
        inflight.controller.abort(new SlowReadError(reason));
        if (this.inflight === inflight) this.inflight = undefined;
        return { ...this.fallback(new SlowReadError(reason)), slow: true };
      }
      // Whoever joined a prefetch has now been served it: later reads are from the cache.
      this.prefetchedUnserved = false;
      return { value: result as T, source: 'fetched' };
    } catch (error) {
      return this.fallback(error);
    }
  }

  /** The fresh value, if there is one, without reading or counting as served. */
  peek(): T | undefined {
    return this.isFresh() ? this.value : undefined;
  }

  private isFresh(): boolean {
    return this.hasValue && this.now() - this.fetchedAt < this.ttlMs;
  }

  private start(): Inflight<T> {
    const controller = new AbortController();
    const promise = this.fetcher(controller.signal).then(
      (value) => {
        this.value = value;
        this.hasValue = true;
        this.fetchedAt = this.now();
        this.retryNotBefore = 0;
        this.lastError = undefined;
        return value;
      },
      (error: unknown) => {
        // Our own give-up of a slow read is not the source failing.
        if (!(error instanceof SlowReadError) && !(controller.signal.reason instanceof SlowReadError)) this.noteFailure(error);
        throw error;
      },
    );
    // A prefetch nobody awaits must not become an unhandled rejection.
    promise.catch(() => undefined);
    const inflight = { promise, controller };
    this.inflight = inflight;
    void promise
      .finally(() => {
        if (this.inflight === inflight) this.inflight = undefined;
      })
      .catch(() => undefined);
    return inflight;
  }

  private noteFailure(error: unknown): void {
    this.lastError = error;
    this.retryNotBefore = this.now() + this.failureBackoffMs;
  }

  private fallback(failure: unknown): CacheRead<T> {
    const error = failure instanceof SlowReadError ? failure.message : describeError(failure);
    return this.hasValue ? { value: this.value, source: 'stale', error, failure } : { value: undefined, source: 'none', error, failure };
  }
}

/** Raised into a read we stopped waiting for: slow, not failed. */
export class SlowReadError extends Error {
  override readonly name = 'SlowReadError';
}
