import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { TEMPLATE_PARTS, type TemplatePart } from '../base/contract.ts';
import { askedParameters, earlyOnce, type EarlyRead, type ParametersAnswer } from './early-reads.ts';
import { parameterName, settingsRequests } from './parameter-names.ts';

export { parameterName };

/** The connect kind's templates (contract section 7). */
export const TEMPLATE_NAMES = TEMPLATE_PARTS;
export type TemplateName = TemplatePart;

/** Stored values by template name (`slack`, `disconnect/slack`, …); a name that is absent had no parameter. */
export type StoredTemplates = Readonly<Record<string, string>>;

/** What one read of Parameter Store brings: the templates, and the routes document when asked for. */
export interface StoredSettings {
  readonly templates: StoredTemplates;
  /** The routes parameter's raw value; undefined when it does not exist (or was not asked for). */
  readonly routes?: string;
}

/**
 * Reads the named templates (and the routes parameter) with GetParameters: one request for
 * up to ten names, concurrent requests past that. Missing parameters are simply absent.
 * `early`: a cold start's read of the same names already under way (src/sources/early-reads.ts),
 * which answers the first read when it succeeds.
 */
export function ssmSettingsFetcher(ssm: SSMClient, path: string, templateKeys: readonly string[], routesParameter?: string, early?: EarlyRead<ParametersAnswer>): (signal: AbortSignal) => Promise<StoredSettings> {
  const byName = new Map<string, string>(templateKeys.map((key) => [parameterName(path, key), key]));
  const requests = settingsRequests(path, templateKeys, routesParameter);
  const firstFromEarly = earlyOnce(early);
  const read = (Names: string[], signal: AbortSignal): Promise<ParametersAnswer> => ssm.send(new GetParametersCommand({ Names, WithDecryption: true }), { abortSignal: signal });
  return async (signal) => {
    const answers = await Promise.all(requests.map((Names) => firstFromEarly(askedParameters(Names), () => read(Names, signal), signal)));
    const templates: Record<string, string> = {};
    let routes: string | undefined;
    for (const parameter of answers.flatMap((out) => out.Parameters ?? [])) {
      if (typeof parameter.Value !== 'string' || !parameter.Name) continue;
      if (parameter.Name === routesParameter) routes = parameter.Value;
      const key = byName.get(parameter.Name);
      if (key) templates[key] = parameter.Value;
    }
    return routes === undefined ? { templates } : { templates, routes };
  };
}
