import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.ts';

/** Synthesizes the app's stack with the given settings, as `cdk synth -c` would. */
export function synth(settings: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'clientvpn-notifier': settings, ...context } });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}
