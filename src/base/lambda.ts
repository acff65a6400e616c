/** The part of Lambda's context object the functions use; any of it may be missing. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}
