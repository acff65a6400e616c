/** A short, secret-free description of an error for logs: `Name: message`, at most `max` characters. */
export function describeError(error: unknown, max = 300): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`.slice(0, max);
  }
  if (error !== null && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown };
    if (typeof e.message === 'string') return `${typeof e.name === 'string' ? `${e.name}: ` : ''}${e.message}`.slice(0, max);
  }
  return String(error).slice(0, max);
}

/** Just the message of an error (no name), for text that already says what failed. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
