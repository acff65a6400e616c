/** The CLI's Parameter Store calls: one client per run, every call bounded, errors as one line. */
import { DescribeParametersCommand, GetParametersCommand, PutParameterCommand, SSMClient, type ParameterMetadata } from '@aws-sdk/client-ssm';
import { parameterName, TEMPLATE_NAMES, type StoredTemplates, type TemplateName } from '../sources/templates.ts';
import { regionOf } from './args.ts';
import { Failure, UsageError, type CliIo, type OptionValues } from './io.ts';

/** No single Parameter Store call may hang the operator's shell. */
export const CALL_TIMEOUT_MS = 15_000;

export function ssmClient(values: OptionValues, io: CliIo): SSMClient {
  const region = regionOf(values, io);
  if (!region) throw new UsageError('no AWS region: pass --region or set AWS_REGION');
  // From io.env, like the region: the SDK would otherwise read the process's own environment.
  const endpoint = io.env.AWS_ENDPOINT_URL_SSM ?? io.env.AWS_ENDPOINT_URL;
  return new SSMClient({ region, maxAttempts: 3, ...(endpoint ? { endpoint } : {}) });
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The stored values of the templates under `path`, as stored (`{% %}` form); absent ones left out. */
export async function readStored(ssm: SSMClient, path: string): Promise<StoredTemplates> {
  const names = TEMPLATE_NAMES.map((name) => parameterName(path, name));
  let out;
  try {
    out = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }), { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } catch (error) {
    throw new Failure(`cannot read ${path} from Parameter Store: ${describeError(error)}`);
  }
  const found: Record<string, string> = {};
  for (const parameter of out.Parameters ?? []) {
    const name = TEMPLATE_NAMES.find((candidate) => parameterName(path, candidate) === parameter.Name);
    if (name && typeof parameter.Value === 'string') found[name] = parameter.Value;
  }
  return found;
}

/** Pages of DescribeParameters a tier lookup may take; three names never need more. */
const MAX_DESCRIBE_PAGES = 20;

/** The current tier of each template parameter under `path` (from its metadata); absent ones left out. */
export async function readTiers(ssm: SSMClient, path: string): Promise<Partial<Record<TemplateName, string>>> {
  const names = TEMPLATE_NAMES.map((name) => parameterName(path, name));
  const found: ParameterMetadata[] = [];
  try {
    let token: string | undefined;
    for (let page = 0; page < MAX_DESCRIBE_PAGES; page += 1) {
      const out = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }], NextToken: token }), {
        abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      found.push(...(out.Parameters ?? []));
      token = out.NextToken;
      if (!token) break;
    }
  } catch (error) {
    throw new Failure(`cannot read the tiers of the templates under ${path}: ${describeError(error)}`);
  }
  const tiers: Partial<Record<TemplateName, string>> = {};
  for (const parameter of found) {
    const name = TEMPLATE_NAMES.find((candidate) => parameterName(path, candidate) === parameter.Name);
    if (name && parameter.Tier) tiers[name] = parameter.Tier;
  }
  return tiers;
}

/** Writes one template's stored value; resolves to the tier Parameter Store reports. Throws the SDK's error. */
export async function writeTemplate(ssm: SSMClient, parameter: string, value: string, tier: 'Standard' | 'Advanced'): Promise<string> {
  const out = await ssm.send(new PutParameterCommand({ Name: parameter, Value: value, Type: 'String', Tier: tier, Overwrite: true }), {
    abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  return out.Tier ?? tier;
}
