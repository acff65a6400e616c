import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';

import { TEMPLATE_PARTS, type TemplatePart } from '../base/contract.ts';

/** The connect kind's templates (contract section 7). */
export const TEMPLATE_NAMES = TEMPLATE_PARTS;
export type TemplateName = TemplatePart;

/** Stored values by template name; a name that is absent had no parameter. */
export type StoredTemplates = Partial<Record<TemplateName, string>>;

export function parameterName(path: string, name: TemplateName): string {
  return `${path}/${name}`;
}

/** Reads all three templates in one GetParameters request. Missing parameters are simply absent. */
export function ssmTemplateFetcher(ssm: SSMClient, path: string): (signal: AbortSignal) => Promise<StoredTemplates> {
  const names = TEMPLATE_NAMES.map((name) => parameterName(path, name));
  return async (signal) => {
    const out = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }), { abortSignal: signal });
    const found: StoredTemplates = {};
    for (const parameter of out.Parameters ?? []) {
      const name = TEMPLATE_NAMES.find((candidate) => parameterName(path, candidate) === parameter.Name);
      if (name && typeof parameter.Value === 'string') found[name] = parameter.Value;
    }
    return found;
  };
}
