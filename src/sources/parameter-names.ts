/** A template's parameter name under the template path. */
export function parameterName(path: string, name: string): string {
  return `${path}/${name}`;
}

/** GetParameters takes at most 10 names a request. */
export const MAX_NAMES_PER_REQUEST = 10;

/**
 * The GetParameters requests that read these templates (and the routes parameter): the names
 * of each request, ten at most. The SDK path and the cold start's early read both ask this.
 */
export function settingsRequests(path: string, templateKeys: readonly string[], routesParameter?: string): string[][] {
  const names = [...templateKeys.map((key) => parameterName(path, key)), ...(routesParameter ? [routesParameter] : [])];
  const requests: string[][] = [];
  for (let i = 0; i < names.length; i += MAX_NAMES_PER_REQUEST) requests.push(names.slice(i, i + MAX_NAMES_PER_REQUEST));
  return requests;
}
