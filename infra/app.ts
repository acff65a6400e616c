/**
 * The CDK app: `npm run synth` (offline, no credentials) or `npx cdk deploy`.
 * Settings come from cdk.json context "clientvpn-notifier"; see the README's deploy guide.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseSettings } from './config.ts';
import { ConfigurationError } from './errors.ts';
import { acknowledgeFindings } from './nag.ts';
import { ClientVpnNotifierStack } from './stack.ts';

export function buildApp(app: App = new App()): { app: App; stack: ClientVpnNotifierStack } {
  const settings = parseSettings(app.node.tryGetContext('clientvpn-notifier'));
  const stack = new ClientVpnNotifierStack(app, app.node.tryGetContext('stackName') ?? 'ClientVpnNotifier', {
    settings,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'clientvpn-notifier: AWS Client VPN connection notifications to Slack and email',
  });
  acknowledgeFindings(stack);
  return { app, stack };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  try {
    const { app } = buildApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    app.synth();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`clientvpn-notifier: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

