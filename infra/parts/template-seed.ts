import { aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ALL_TEMPLATE_KEYS, PARAMETER_TIER_MAX_BYTES } from '../../src/base/contract.ts';
import { DEFAULT_TEMPLATES } from '../../src/render/default-templates.gen.ts';
import { storedFormProblem, toStoredForm } from '../../src/render/stored-form.ts';
import { ConfigurationError } from '../errors.ts';
import { awsCustomResourceLogGroup } from './helper-logs.ts';

/** Plain Handlebars sources by template name (`slack`, `disconnect/email-body`, …, as ALL_TEMPLATE_KEYS names them). */
export type SeedTemplates = Readonly<Record<string, string>>;

export interface TemplateSeedProps {
  /** Parameter Store path of the templates, without a trailing slash. */
  readonly templateParameterPath: string;
  /** Plain Handlebars sources by name; a name left out is not seeded. */
  readonly templates: SeedTemplates;
  /** The ARN of each template's parameter, the only one its seeding may write. */
  readonly parameterArns: Readonly<Record<string, string>>;
}

/**
 * Seeds each template only when its parameter does not exist: a redeploy never overwrites
 * what an operator edited. Builds into `scope` (see ClientVpnNotifier).
 */
export class TemplateSeed {
  constructor(scope: Construct, props: TemplateSeedProps) {
    const unknown = Object.keys(props.templates).filter((name) => !ALL_TEMPLATE_KEYS.includes(name));
    if (unknown.length > 0) throw new ConfigurationError(`no such template: ${unknown.map((name) => JSON.stringify(name)).join(', ')} (known: ${ALL_TEMPLATE_KEYS.join(', ')})`);
    for (const name of ALL_TEMPLATE_KEYS) {
      const source = props.templates[name];
      if (source === undefined) continue;
      // Parameter Store cannot hold {{ }}, so what is seeded is the stored form; a template that
      // does not read back from it exactly would go out different from what was reviewed.
      const problem = storedFormProblem(source);
      if (problem) throw new ConfigurationError(`template ${name}: ${problem}`);
      const parameterArn = props.parameterArns[name];
      if (parameterArn === undefined) throw new ConfigurationError(`template ${name}: no parameter ARN to seed it with`);
      seedParameter(scope, `Seed-${name.replace(/\//g, '-')}`, {
        resourceType: 'Custom::SeedTemplate',
        what: `template ${name}`,
        name: `${props.templateParameterPath}/${name}`,
        arn: parameterArn,
        value: toStoredForm(source),
        description: `clientvpn-notifier ${name} template (stored form: {% %} for {{ }}). Seeded once; edits are kept.`,
      });
    }
  }
}

export interface SeedParameterProps {
  readonly resourceType: string;
  /** How an error names it: `template slack`, `setting "routes"`. */
  readonly what: string;
  readonly name: string;
  readonly arn: string;
  /** The value exactly as stored. */
  readonly value: string;
  readonly description: string;
}

/**
 * Creates a String parameter only when it does not exist yet. PutParameter without Overwrite
 * fails on an existing parameter, and that failure is the "leave it alone" path: operators'
 * edits survive every deploy, and a changed default re-seeds only a deleted parameter (the
 * reset path). There is no onDelete: the parameters outlive the stack.
 */
export function seedParameter(scope: Construct, id: string, props: SeedParameterProps): cr.AwsCustomResource {
  const bytes = Buffer.byteLength(props.value, 'utf8');
  if (bytes > PARAMETER_TIER_MAX_BYTES.Advanced) {
    throw new ConfigurationError(`${props.what} is ${bytes} bytes as stored; Parameter Store holds at most ${PARAMETER_TIER_MAX_BYTES.Advanced / 1024} KB`);
  }
  const call: cr.AwsSdkCall = {
    service: 'SSM',
    action: 'putParameter',
    parameters: {
      Name: props.name,
      Value: props.value,
      Type: 'String',
      Tier: bytes > PARAMETER_TIER_MAX_BYTES.Standard ? 'Advanced' : 'Standard',
      Overwrite: false,
      Description: props.description,
    },
    physicalResourceId: cr.PhysicalResourceId.of(props.name),
    ignoreErrorCodesMatching: 'ParameterAlreadyExists',
  };
  return new cr.AwsCustomResource(scope, id, {
    resourceType: props.resourceType,
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ssm:PutParameter'], resources: [props.arn] })]),
    installLatestAwsSdk: false,
    logGroup: awsCustomResourceLogGroup(scope),
  });
}

/** The bundled defaults (templates/*.hbs, through the generated module the functions bundle) for every template that has one. */
export function defaultSeedTemplates(): SeedTemplates {
  return Object.fromEntries(ALL_TEMPLATE_KEYS.flatMap((name) => (DEFAULT_TEMPLATES[name] === undefined ? [] : [[name, DEFAULT_TEMPLATES[name]]])));
}
