import { raceWithin } from '../base/deadline.ts';

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
  private lastError: string | undefined;
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

  /** Starts a read in the background (e.g. during Lambda init) if none is fresh or running. */
  prefetch(timeoutMs: number): void {
    if (this.isFresh() || this.inflight) return;
    const inflight = this.start();
    inflight.promise.then(
      () => {
        this.prefetchedUnserved = true;
      },
      () => undefined,
    );
    const timer = setTimeout(() => inflight.controller.abort(new Error(`prefetch gave up after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    inflight.promise.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
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
    if (this.now() < this.retryNotBefore) return this.fallback(this.lastError ?? 'recent read failed');

    const inflight = this.inflight ?? this.start();
    const timedOut = Symbol('timedOut');
    try {
      const result = await raceWithin(inflight.promise, waitMs, signal, () => timedOut);
      if (result === timedOut) {
        const reason = `no answer within ${Math.max(0, Math.round(waitMs))} ms`;
        inflight.controller.abort(new Error(reason));
        this.noteFailure(reason);
        return this.fallback(reason);
      }
      return { value: result as T, source: 'fetched' };
    } catch (error) {
      return this.fallback(describe(error));
    }
  }

  /** The fresh value, if there is one, without reading or counting as served. */
  peek(): T | undefined {
    return this.isFresh() ? this.value : undefined;
  }

  /** Forget the cached value (tests, and the CLI after a push). */
  clear(): void {
    this.hasValue = false;
    this.value = undefined;
    this.retryNotBefore = 0;
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
        this.noteFailure(describe(error));
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

  private noteFailure(reason: string): void {
    this.lastError = reason;
    this.retryNotBefore = this.now() + this.failureBackoffMs;
  }

  private fallback(error: string): CacheRead<T> {
    return this.hasValue ? { value: this.value, source: 'stale', error } : { value: undefined, source: 'none', error };
  }
}

/** A short, secret-free description of an error for logs. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
