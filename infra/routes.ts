import { parseRoutes } from '../src/routing/parse.ts';

/**
 * Why a routes document (contract section 13) cannot be seeded, or [] when it can: the
 * function's own strict parser, so a document the functions would refuse (and replace with the
 * built-in one) never gets deployed, plus what Parameter Store itself refuses to hold.
 */
export function routesDocumentProblems(text: string): string[] {
  const parsed = parseRoutes(text);
  const problems = parsed.ok ? [] : [...parsed.errors];
  // "Parameter value can't nest another parameter": PutParameter refuses {{ in a value.
  if (text.includes('{{')) problems.push('(document): Parameter Store cannot hold "{{" in a value');
  return problems;
}

/** The stored text of a routes document given as JSON text or as the parsed object (cdk.json). */
export function routesDocumentText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
