import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROOT } from '../../scripts/bundle.ts';
import { PARAMETER_TIER_MAX_BYTES, TEMPLATE_PARTS, templateParameterName, type TemplatePart } from '../../src/base/contract.ts';
import { storedFormProblem, toStoredForm } from '../../src/render/stored-form.ts';
import { ConfigurationError } from '../errors.ts';
import { awsCustomResourceLogGroup } from './helper-logs.ts';

export type SeedTemplates = Readonly<Partial<Record<TemplatePart, string>>>;

export interface TemplateSeedProps {
  /** Parameter Store path of the templates, without a trailing slash. */
  readonly templateParameterPath: string;
  /** Plain Handlebars sources by name; a name left out is not seeded. */
  readonly templates: SeedTemplates;
  /** The ARN of each template's parameter, the only one its seeding may write. */
  readonly parameterArns: Readonly<Record<TemplatePart, string>>;
}

/**
 * Seeds each template only when its parameter does not exist: a redeploy never overwrites
 * what an operator edited. PutParameter without Overwrite fails on an existing parameter,
 * and that failure is the "leave it alone" path. Builds into `scope` (see ClientVpnNotifier).
 */
export class TemplateSeed {
  constructor(scope: Construct, props: TemplateSeedProps) {
    for (const name of TEMPLATE_PARTS) {
      const source = props.templates[name];
      if (source === undefined) continue;
      const parameterName = templateParameterName(props.templateParameterPath, 'connect', name);
      // Parameter Store cannot hold {{ }}, so what is seeded is the stored form; a template that
      // does not read back from it exactly would go out different from what was reviewed.
      const problem = storedFormProblem(source);
      if (problem) throw new ConfigurationError(`template ${name}: ${problem}`);
      const stored = toStoredForm(source);
      const bytes = Buffer.byteLength(stored, 'utf8');
      if (bytes > PARAMETER_TIER_MAX_BYTES.Advanced) {
        throw new ConfigurationError(`template ${name} is ${bytes} bytes in stored form; Parameter Store holds at most ${PARAMETER_TIER_MAX_BYTES.Advanced / 1024} KB`);
      }
      const call: cr.AwsSdkCall = {
        service: 'SSM',
        action: 'putParameter',
        parameters: {
          Name: parameterName,
          Value: stored,
          Type: 'String',
          Tier: bytes > PARAMETER_TIER_MAX_BYTES.Standard ? 'Advanced' : 'Standard',
          Overwrite: false,
          Description: `clientvpn-notifier ${name} template (stored form: {% %} for {{ }}). Seeded once; edits are kept.`,
        },
        physicalResourceId: cr.PhysicalResourceId.of(parameterName),
        ignoreErrorCodesMatching: 'ParameterAlreadyExists',
      };
      new cr.AwsCustomResource(scope, `Seed-${name}`, {
        resourceType: 'Custom::SeedTemplate',
        onCreate: call,
        // A changed default re-seeds only a parameter that was deleted (the reset path).
        onUpdate: call,
        // No onDelete: operators' templates outlive the stack; delete them by hand if you want them gone.
        policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ssm:PutParameter'], resources: [props.parameterArns[name]] })]),
        installLatestAwsSdk: false,
        logGroup: awsCustomResourceLogGroup(scope),
      });
    }
  }
}

/** The bundled defaults, templates/<name>.hbs, as plain Handlebars. */
export function readDefaultTemplates(): Record<TemplatePart, string> {
  const read = (name: TemplatePart): string => readFileSync(path.join(ROOT, 'templates', `${name}.hbs`), 'utf8');
  return Object.fromEntries(TEMPLATE_PARTS.map((name) => [name, read(name)])) as Record<TemplatePart, string>;
}
