/**
 * Builds a function's handler at module load, so that nothing thrown while configuring it
 * becomes a Lambda init error (for the connect handler, an init error denies every connection):
 * a failure makes `fallback`'s handler instead, which answers the way that function must.
 */
export function handlerOrFallback<H>(init: () => H, fallback: (error: unknown) => H): H {
  try {
    return init();
  } catch (error) {
    return fallback(error);
  }
}
