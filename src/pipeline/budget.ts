/**
 * How one invocation's budget is shared between its steps: reading templates and the token,
 * delivering, and queueing what failed.
 */

/** Share of the budget that reading templates and the token may take; delivery gets the rest. */
export const READ_SHARE = 0.4;
/** A read that has not answered by then is not going to; give delivery the time instead. */
export const READ_SHARE_MAX_MS = 1500;

/** Share of the budget kept back, when a retry queue is set, to queue what failed. */
export const ENQUEUE_SHARE = 0.15;
export const ENQUEUE_MIN_MS = 100;
export const ENQUEUE_MAX_MS = 500;

/** The pipeline ends this much before the deadline, so its own answer beats the deadline's. */
export const FINISH_MARGIN_MS = 10;

export interface Shares {
  readonly readMs: number;
  /** Milliseconds kept back for queueing (0 without a queue). */
  readonly enqueueMs: number;
}

export function sharesFor(budgetMs: number, hasQueue: boolean): Shares {
  return {
    readMs: Math.min(budgetMs * READ_SHARE, READ_SHARE_MAX_MS),
    enqueueMs: hasQueue ? Math.min(ENQUEUE_MAX_MS, Math.max(ENQUEUE_MIN_MS, budgetMs * ENQUEUE_SHARE)) : 0,
  };
}
