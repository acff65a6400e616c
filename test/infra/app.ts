import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { buildApp } from '../../infra/app.ts';

/** Synthesizes the app's stack with the given settings, as `cdk synth -c` would. */
export function synth(settings: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'clientvpn-notifier': settings, ...context } });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

export type FunctionResource = { Properties: Record<string, unknown> & { Environment?: { Variables: Record<string, unknown> }; Role: { 'Fn::GetAtt': string[] } } };
export type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The client connect handler (the one function named with the AWSClientVPN- prefix). */
export function notifierFunction(t: Template): [string, FunctionResource] {
  const functions = t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.stringLikeRegexp('^AWSClientVPN-') } });
  const entries = Object.entries(functions);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, FunctionResource];
}

/** The one function whose description matches, or undefined. */
export function functionByDescription(t: Template, pattern: RegExp): FunctionResource | undefined {
  const all = Object.values(t.findResources('AWS::Lambda::Function')) as FunctionResource[];
  const found = all.filter((fn) => pattern.test(String(fn.Properties.Description ?? '')));
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

export function policyStatementsOfRole(t: Template, roleLogicalId: string): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleLogicalId }] } });
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}

/** Every statement of a function's role, inline policies included. */
export function statementsOf(t: Template, fn: FunctionResource): Statement[] {
  return policyStatementsOfRole(t, fn.Properties.Role['Fn::GetAtt'][0]!);
}

/** Statements by their action(s), joined with commas; fails on two statements with the same actions. */
export function byAction(statements: readonly Statement[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of statements) {
    const key = [s.Action].flat().join(',');
    expect(out, `one statement for ${key}`).not.toHaveProperty(key);
    out[key] = s.Resource;
  }
  return out;
}

/** The parameter name at the end of an ssm parameter ARN as CDK renders it (a Fn::Join). */
export function parameterNames(resource: unknown): string[] {
  const list = Array.isArray(resource) ? resource : [resource];
  return list.map((arn) => {
    const text = JSON.stringify(arn);
    const match = /:parameter(\/[^"]*)"/.exec(text);
    expect(match, `an ssm parameter ARN: ${text}`).not.toBeNull();
    return match![1]!;
  });
}
