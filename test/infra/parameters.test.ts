import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../infra/errors.ts';
import { ClientVpnNotifier } from '../../infra/notifier.ts';
import { ALL_TEMPLATE_KEYS, CONNECT_TEMPLATE_KEYS, DEFAULTS, RETRY_WORKER_TIMEOUT_SECONDS, retryWorkerBatchSize } from '../../src/base/contract.ts';
import { DEFAULT_TEMPLATES } from '../../src/render/default-templates.gen.ts';
import { fromStoredForm, toStoredForm } from '../../src/render/stored-form.ts';
import { byAction, functionByDescription, notifierFunction, parameterNames, statementsOf, synth } from './app.ts';

const PATH = '/team/vpn/templates';
const ROUTES = {
  routes: [
    { name: 'admins', when: { groups: ['admins'] }, slack: { channel: 'C0SECURITY', mention: '<!subteam^S0123ABC>' }, email: true, continue: true },
    { name: 'ci-robots', when: { users: ['ci-*'] }, slack: false, email: false },
  ],
  default: { slack: { channel: 'C0123' }, email: { events: ['connect', 'connect-failed'] } },
};

const { template } = synth({ slackChannel: 'C0123', templateParameterPath: PATH, notifyBudgetMs: 4000, routes: ROUTES });
const defaults = synth({}).template;

type SdkCall = { action: string; parameters: Record<string, unknown>; ignoreErrorCodesMatching: string; physicalResourceId: { id: string } };
type Seed = { Properties: { Create: string; Update: string } };
const callOf = (resource: Seed) => JSON.parse(resource.Properties.Create) as SdkCall;
const seedsOf = (t: Template, type = 'Custom::SeedTemplate') => Object.values(t.findResources(type)) as Seed[];
const keysWithDefaults = ALL_TEMPLATE_KEYS.filter((key) => DEFAULT_TEMPLATES[key] !== undefined);

describe('the template seed', () => {
  it('seeds every template that has a bundled default, of every kind, slack-blocks included', () => {
    expect(keysWithDefaults).toEqual(expect.arrayContaining(['slack', 'slack-blocks', 'disconnect/slack', 'disconnect/slack-blocks', 'connect-failed/email-body', 'connect-failed/slack-blocks']));
    const names = seedsOf(template).map((seed) => callOf(seed).parameters.Name).sort();
    expect(names).toEqual(keysWithDefaults.map((key) => `${PATH}/${key}`).sort());
  });

  it('seeds each in stored form, reading back to the bundled default, without {{, never overwriting', () => {
    for (const seed of seedsOf(template)) {
      const call = callOf(seed);
      const key = String(call.parameters.Name).slice(PATH.length + 1);
      expect(call.action).toBe('putParameter');
      expect(call.parameters).toMatchObject({ Type: 'String', Overwrite: false });
      expect(call.ignoreErrorCodesMatching).toBe('ParameterAlreadyExists');
      expect(call.physicalResourceId.id).toBe(call.parameters.Name);
      expect(String(call.parameters.Value)).not.toMatch(/\{\{|\}\}/);
      expect(fromStoredForm(String(call.parameters.Value))).toBe(DEFAULT_TEMPLATES[key]);
      expect(seed.Properties.Update).toEqual(seed.Properties.Create);
    }
  });

  it('the bundled defaults are templates/*.hbs (what the functions fall back to is what is seeded)', () => {
    const slack = seedsOf(template).map(callOf).find((c) => c.parameters.Name === `${PATH}/disconnect/slack`);
    expect(slack?.parameters.Value).toBe(toStoredForm(readFileSync(new URL('../../templates/disconnect/slack.hbs', import.meta.url), 'utf8')));
  });

  it('each seeding may put exactly its own parameter', () => {
    for (const t of [template, defaults]) {
      const policies = Object.values(t.findResources('AWS::IAM::Policy')) as { Properties: { PolicyDocument: { Statement: { Action: string; Resource: unknown }[] } } }[];
      const puts = policies.map((p) => p.Properties.PolicyDocument.Statement.filter((s) => s.Action === 'ssm:PutParameter')).filter((list) => list.length > 0);
      for (const list of puts) expect(list).toHaveLength(1);
      const written = puts.flatMap((list) => parameterNames(list[0]!.Resource)).sort();
      const prefix = t === template ? PATH : DEFAULTS.templateParameterPath;
      const expected = keysWithDefaults.map((key) => `${prefix}/${key}`);
      if (t === template) expected.push(DEFAULTS.routesParameter);
      expect(written).toEqual(expected.sort());
    }
  });

  it('a template over 4 KB is seeded as Advanced tier; over 8 KB is refused', () => {
    const stack = new Stack(new App(), 'T');
    new ClientVpnNotifier(stack, 'N', { templates: { 'disconnect/slack': 'x'.repeat(5000) } });
    const [seed] = seedsOf(Template.fromStack(stack));
    expect(callOf(seed!).parameters).toMatchObject({ Name: '/clientvpn-notifier/templates/disconnect/slack', Tier: 'Advanced' });
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'U'), 'N', { templates: { slack: 'x'.repeat(9000) } })).toThrow(/^template slack is 9000 bytes as stored; Parameter Store holds at most 8 KB/);
  });

  it('refuses a template name that does not exist', () => {
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'S'), 'N', { templates: { 'disconnect/sms': 'x' } })).toThrow(/^no such template: "disconnect\/sms"/);
  });

  it.each([
    ['a "%}" inside a mustache', 'slack', 'Hello\n{{default username "50%}"}}', 2],
    ['a comment containing "%}"', 'connect-failed/email-body', 'Hi\nthere\n{{!-- 100%} sure --}}\n', 3],
    ['a literal "{%" around a mustache', 'email-subject', '50{% off {{username}} %}', 1],
  ])('a template that would not read back from the stored form stops the synth: %s', (_what, name, source, line) => {
    const build = () => new ClientVpnNotifier(new Stack(new App(), 'S'), 'N', { templates: { [name]: source } });
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(new RegExp(`^template ${name}: line ${line} would not read back`));
  });

  it('a template Parameter Store cannot hold at all stops the synth, naming it', () => {
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'S'), 'N', { templates: { slack: 'a \\{{literal}}' } })).toThrow(/^template slack: a template with \\\{\{/);
  });
});

describe('the routes setting', () => {
  it('seeds the document into the routes parameter only when it does not exist yet', () => {
    const [seed, ...more] = seedsOf(template, 'Custom::SeedRoutes');
    expect(more).toHaveLength(0);
    const call = callOf(seed!);
    expect(call).toMatchObject({ action: 'putParameter', ignoreErrorCodesMatching: 'ParameterAlreadyExists' });
    expect(call.parameters).toMatchObject({ Name: DEFAULTS.routesParameter, Type: 'String', Tier: 'Standard', Overwrite: false });
    expect(JSON.parse(String(call.parameters.Value))).toEqual(ROUTES);
    expect(seed!.Properties.Update).toEqual(seed!.Properties.Create);
  });

  it('a document over 4 KB is seeded as Advanced tier; over 8 KB stops the synth, naming the setting', () => {
    const route = (i: number) => ({ name: `route-${i}`, when: { users: [`user-${i}-*`] }, slack: { channel: 'C0SECURITY' }, email: false });
    const sized = (count: number) => ({ routes: Array.from({ length: count }, (_, i) => route(i)) });
    const [seed] = seedsOf(synth({ routes: sized(40) }).template, 'Custom::SeedRoutes');
    expect(Buffer.byteLength(String(callOf(seed!).parameters.Value))).toBeGreaterThan(4096);
    expect(callOf(seed!).parameters.Tier).toBe('Advanced');
    expect(() => synth({ routes: sized(80) })).toThrow(/^the routes document \(setting "routes"\) is \d+ bytes as stored; Parameter Store holds at most 8 KB/);
  });

  it('seeds nothing without a routes setting (the functions use the built-in document)', () => {
    defaults.resourceCountIs('Custom::SeedRoutes', 0);
  });

  it('a document given as JSON text is seeded as written', () => {
    const text = JSON.stringify(ROUTES);
    const [seed] = seedsOf(synth({ routes: text }).template, 'Custom::SeedRoutes');
    expect(callOf(seed!).parameters.Value).toBe(text);
  });

  it.each([
    [{ routes: [{ name: 'x', slack: { channel: 'C0123', mention: '@here' } }] }, /^setting "routes" is not a valid routes document: routes\[0\]\.slack\.mention: /],
    [{ routes: [], nope: true }, /^setting "routes" is not a valid routes document: .*nope/],
    ['{"routes": [', /^setting "routes" is not a valid routes document: \(document\): not valid JSON/],
    [['not', 'a', 'document'], /^setting "routes" must be a routes document/],
    [{ routes: [{ name: '{{x}}', slack: false }] }, /Parameter Store cannot hold "\{\{"/],
  ])('a wrong document stops the synth, naming the setting: %j', (routes, message) => {
    expect(() => synth({ routes })).toThrow(message);
  });

  it('widens nothing else: every notifier function may do exactly the same with or without a routes document', () => {
    const settings = { slackChannel: 'C0123', templateParameterPath: PATH, notifyBudgetMs: 4000 };
    const without = synth(settings).template;
    const policiesOf = (t: Template) => {
      const functions = Object.values(t.findResources('AWS::Lambda::Function')) as { Properties: { Role?: { 'Fn::GetAtt': string[] } } }[];
      const roles = new Set(functions.map((fn) => fn.Properties.Role?.['Fn::GetAtt'][0]).filter((id) => id && !id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')));
      const policies = Object.values(t.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: unknown } }[];
      return policies.filter((p) => p.Properties.Roles.some((r) => roles.has(r.Ref))).map((p) => JSON.stringify(p.Properties.PolicyDocument)).sort();
    };
    expect(policiesOf(template)).toEqual(policiesOf(without));
    expect(policiesOf(template).length).toBeGreaterThanOrEqual(3);
  });

  it('the construct checks a document given to it directly too', () => {
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'R'), 'N', { routes: '{"routes": 1}' })).toThrow(/^routes is not a valid routes document: routes: /);
  });
});

describe('what each function may read', () => {
  const routesName = DEFAULTS.routesParameter;

  it('the connect handler: GetParameters on its connect templates and the routes parameter, exactly', () => {
    const [, fn] = notifierFunction(template);
    const actions = byAction(statementsOf(template, fn));
    expect(parameterNames(actions['ssm:GetParameters']).sort()).toEqual([...CONNECT_TEMPLATE_KEYS.map((key) => `${PATH}/${key}`), routesName].sort());
    expect(fn.Properties.Environment?.Variables).toMatchObject({ ROUTES_PARAMETER: routesName, TEMPLATE_PARAMETER_PATH: PATH });
  });

  it('the retry worker: GetParameter on the routes parameter only', () => {
    const worker = functionByDescription(template, /re-delivers/)!;
    const actions = byAction(statementsOf(template, worker));
    expect(parameterNames(actions['ssm:GetParameter'])).toEqual([routesName]);
    expect(Object.keys(actions).filter((a) => a.startsWith('ssm:'))).toEqual(['ssm:GetParameter']);
    expect(worker.Properties.Environment?.Variables).toMatchObject({ ROUTES_PARAMETER: routesName });
  });
});

describe('the retry worker', () => {
  it('takes as many records per batch as full-budget deliveries fit in its timeout', () => {
    const worker = functionByDescription(template, /re-delivers/)!;
    expect(worker.Properties.Timeout).toBe(RETRY_WORKER_TIMEOUT_SECONDS);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: retryWorkerBatchSize(4000) });
    expect(retryWorkerBatchSize(4000)).toBe(7);
    synth({ notifyBudgetMs: 25000 }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1 });
    defaults.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: retryWorkerBatchSize(DEFAULTS.notifyBudgetMs) });
  });
});
