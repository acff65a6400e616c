/** The part of Lambda's context object the functions use; any of it may be missing. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}

/** Lambda's remaining time, or undefined when the context has none (or its getter throws). */
export function remainingTime(context: LambdaContextLike | undefined): number | undefined {
  try {
    return typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
  } catch {
    return undefined;
  }
}
