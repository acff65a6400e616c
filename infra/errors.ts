/**
 * A mistake in what the operator gave the app (a setting, a construct prop, a template file):
 * `cdk synth` stops with this message alone, without a stack trace (infra/app.ts).
 */
export class ConfigurationError extends Error {
  override readonly name: string = 'ConfigurationError';
}
