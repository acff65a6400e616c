import { describe, expect, it } from 'vitest';
import { budgetFor, createDeadline, raceWithin } from '../../src/base/deadline.ts';

describe('budgetFor', () => {
  it('is NOTIFY_BUDGET_MS when Lambda has plenty of time', () => {
    expect(budgetFor(3000, 30_000)).toBe(3000);
  });
  it('keeps a second of Lambda time back', () => {
    expect(budgetFor(3000, 2500)).toBe(1500);
  });
  it('is zero, not negative, when Lambda is nearly out of time', () => {
    expect(budgetFor(3000, 400)).toBe(0);
  });
  it('ignores a missing or broken remaining time', () => {
    expect(budgetFor(3000, undefined)).toBe(3000);
    expect(budgetFor(3000, Number.NaN)).toBe(3000);
  });
});

describe('createDeadline', () => {
  it('aborts its signal and resolves expired at the budget', async () => {
    const deadline = createDeadline(30);
    expect(deadline.signal.aborted).toBe(false);
    await deadline.expired;
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.remaining()).toBe(0);
  });

  it('abort() stops everything at once', async () => {
    const deadline = createDeadline(10_000);
    deadline.abort();
    expect(deadline.signal.aborted).toBe(true);
    await deadline.expired;
  });

  it('within() never outlives the deadline', async () => {
    const deadline = createDeadline(20);
    const longer = deadline.within(10_000);
    await deadline.expired;
    expect(longer.aborted).toBe(true);
  });

  it('within() aborts earlier when asked for less', async () => {
    const deadline = createDeadline(10_000);
    const short = deadline.within(10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(short.aborted).toBe(true);
    expect(deadline.signal.aborted).toBe(false);
    deadline.abort();
  });
});

describe('raceWithin', () => {
  const never = new Promise<string>(() => undefined);
  it('returns the value when it comes in time', async () => {
    expect(await raceWithin(Promise.resolve('v'), 50, new AbortController().signal, () => 'late')).toBe('v');
  });
  it('returns the fallback when time runs out', async () => {
    expect(await raceWithin(never, 10, new AbortController().signal, () => 'late')).toBe('late');
  });
  it('returns the fallback when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = raceWithin(never, 10_000, controller.signal, () => 'aborted');
    controller.abort();
    expect(await pending).toBe('aborted');
  });
  it('prefers an already-settled value over an already-expired wait', async () => {
    expect(await raceWithin(Promise.resolve('v'), 0, new AbortController().signal, () => 'late')).toBe('v');
  });
  it('passes rejections through', async () => {
    await expect(raceWithin(Promise.reject(new Error('boom')), 50, new AbortController().signal, () => 'late')).rejects.toThrow('boom');
  });
});
