import { describe, expect, it } from 'vitest';
import { StaleWhileErrorCache } from '../../src/sources/cache.ts';

const signal = () => new AbortController().signal;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('StaleWhileErrorCache', () => {
  it('reads once within the TTL and again after it', async () => {
    const c = clock();
    let reads = 0;
    const cache = new StaleWhileErrorCache(async () => `v${++reads}`, { ttlMs: 60_000, now: c.now });
    expect(await cache.get(100, signal())).toEqual({ value: 'v1', source: 'fetched' });
    c.advance(59_999);
    expect(await cache.get(100, signal())).toEqual({ value: 'v1', source: 'cache' });
    c.advance(1);
    expect(await cache.get(100, signal())).toEqual({ value: 'v2', source: 'fetched' });
    expect(reads).toBe(2);
  });

  it('serves the stale value when a refresh fails, and says why', async () => {
    const c = clock();
    let fail = false;
    const cache = new StaleWhileErrorCache(
      async () => {
        if (fail) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return 'good';
      },
      { ttlMs: 1000, now: c.now },
    );
    await cache.get(100, signal());
    fail = true;
    c.advance(2000);
    expect(await cache.get(100, signal())).toMatchObject({ value: 'good', source: 'stale', error: 'ThrottlingException: Rate exceeded' });
  });

  it('gives up on a hanging read after waitMs, aborts it, and serves stale', async () => {
    const c = clock();
    let calls = 0;
    const aborted: boolean[] = [];
    const cache = new StaleWhileErrorCache(
      (s) => {
        calls += 1;
        if (calls === 1) return Promise.resolve('first');
        return new Promise<string>((_, reject) => {
          s.addEventListener('abort', () => {
            aborted.push(true);
            reject(new Error('aborted'));
          });
        });
      },
      { ttlMs: 1000, now: c.now },
    );
    await cache.get(100, signal());
    c.advance(5000);
    const read = await cache.get(20, signal());
    expect(read.value).toBe('first');
    expect(read.source).toBe('stale');
    expect(read.error).toMatch(/no answer within 20 ms/);
    expect(aborted).toEqual([true]);
  });

  it('has nothing to serve when the very first read fails', async () => {
    const cache = new StaleWhileErrorCache(async () => Promise.reject(new Error('no route')), { ttlMs: 1000 });
    expect(await cache.get(100, signal())).toMatchObject({ value: undefined, source: 'none', error: 'no route' });
  });

  it('does not ask again right after a failure (backoff), then does', async () => {
    const c = clock();
    let reads = 0;
    const cache = new StaleWhileErrorCache(
      async () => {
        reads += 1;
        throw new Error('down');
      },
      { ttlMs: 60_000, failureBackoffMs: 5000, now: c.now },
    );
    await cache.get(100, signal());
    await cache.get(100, signal());
    expect(reads).toBe(1);
    c.advance(5000);
    await cache.get(100, signal());
    expect(reads).toBe(2);
  });

  it('a prefetch is joined by the next get instead of reading twice', async () => {
    let reads = 0;
    let release!: (v: string) => void;
    const cache = new StaleWhileErrorCache(
      () => {
        reads += 1;
        return new Promise<string>((resolve) => (release = resolve));
      },
      { ttlMs: 60_000 },
    );
    cache.prefetch(5000);
    const pending = cache.get(1000, signal());
    release('prefetched');
    expect(await pending).toEqual({ value: 'prefetched', source: 'fetched' });
    expect(reads).toBe(1);
  });

  it('a failed prefetch is not an unhandled rejection', async () => {
    const cache = new StaleWhileErrorCache(async () => Promise.reject(new Error('no credentials')), { ttlMs: 1000, failureBackoffMs: 0 });
    await cache.prefetch(1000);
    expect((await cache.get(100, signal())).source).toBe('none');
  });

  it('with a TTL of 0 reads every time', async () => {
    let reads = 0;
    const cache = new StaleWhileErrorCache(async () => ++reads, { ttlMs: 0 });
    await cache.get(100, signal());
    await cache.get(100, signal());
    expect(reads).toBe(2);
  });
});

describe('StaleWhileErrorCache prefetch reporting', () => {
  it('reports a value prefetched before the first get as fetched, later gets as cache', async () => {
    const cache = new StaleWhileErrorCache(async () => 'v', { ttlMs: 60_000 });
    await cache.prefetch(1000);
    expect((await cache.get(100, new AbortController().signal)).source).toBe('fetched');
    expect((await cache.get(100, new AbortController().signal)).source).toBe('cache');
  });

  // Regression: a get that joined the prefetch in flight was followed by a second "fetched".
  it('after a get joined the prefetch in flight, the next get is from the cache', async () => {
    let release!: (v: string) => void;
    const cache = new StaleWhileErrorCache(() => new Promise<string>((resolve) => (release = resolve)), { ttlMs: 60_000 });
    const prefetched = cache.prefetch(5000);
    const joined = cache.get(1000, new AbortController().signal);
    release('v');
    await prefetched;
    expect((await joined).source).toBe('fetched');
    expect((await cache.get(100, new AbortController().signal)).source).toBe('cache');
  });
});

describe('StaleWhileErrorCache slow reads', () => {
  // Regression: a read that was merely slow started the failure backoff (Slack off for 10 s).
  it('a read that does not answer in time is given up and aborted, but the next get asks again', async () => {
    let reads = 0;
    const aborted: unknown[] = [];
    const cache = new StaleWhileErrorCache(
      (signal) => {
        reads += 1;
        if (reads === 1) {
          return new Promise<string>((_, reject) => signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            reject(signal.reason);
          }));
        }
        return Promise.resolve('second');
      },
      { ttlMs: 60_000, failureBackoffMs: 10_000 },
    );
    const first = await cache.get(1, new AbortController().signal);
    expect(first).toMatchObject({ value: undefined, source: 'none', slow: true, error: 'no answer within 1 ms' });
    expect(aborted).toHaveLength(1);
    expect(await cache.get(100, new AbortController().signal)).toEqual({ value: 'second', source: 'fetched' });
    expect(reads).toBe(2);
  });

  it('a read that fails does start the backoff', async () => {
    let reads = 0;
    const cache = new StaleWhileErrorCache(
      async () => {
        reads += 1;
        throw new Error('AccessDenied');
      },
      { ttlMs: 60_000, failureBackoffMs: 10_000 },
    );
    await cache.get(100, new AbortController().signal);
    await cache.get(100, new AbortController().signal);
    expect(reads).toBe(1);
  });
});

describe('StaleWhileErrorCache.peek', () => {
  it('shows a fresh value without reading or consuming it', async () => {
    let reads = 0;
    const cache = new StaleWhileErrorCache(async () => ++reads, { ttlMs: 60_000 });
    expect(cache.peek()).toBeUndefined();
    expect(reads).toBe(0);
    await cache.get(100, new AbortController().signal);
    expect(cache.peek()).toBe(1);
  });
});
