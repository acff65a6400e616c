/** The CLI's Parameter Store calls: one client per run, every call bounded, errors as one line. */
import { DescribeParametersCommand, GetParametersCommand, PutParameterCommand, SSMClient, type Parameter, type ParameterMetadata } from '@aws-sdk/client-ssm';
import { parameterName, type StoredTemplates } from '../sources/templates.ts';
import { regionOf } from './args.ts';
import { Failure, UsageError, type CliIo, type OptionValues } from './io.ts';

/** No single Parameter Store call may hang the operator's shell. */
export const CALL_TIMEOUT_MS = 15_000;

/** GetParameters takes at most 10 names a request; DescribeParameters' `Equals` filter as many. */
const NAMES_PER_REQUEST = 10;

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

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += NAMES_PER_REQUEST) out.push(items.slice(i, i + NAMES_PER_REQUEST));
  return out;
}

/** The parameters among `names` that exist, with their values as stored. */
async function getParameters(ssm: SSMClient, names: readonly string[], what: string): Promise<Parameter[]> {
  try {
    const answers = await Promise.all(
      chunks(names).map((Names) => ssm.send(new GetParametersCommand({ Names, WithDecryption: true }), { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) })),
    );
    return answers.flatMap((out) => out.Parameters ?? []);
  } catch (error) {
    throw new Failure(`cannot read ${what} from Parameter Store: ${describeError(error)}`);
  }
}

/** Pages of DescribeParameters a tier lookup may take; ten names never need more. */
const MAX_DESCRIBE_PAGES = 20;

/** The metadata of the parameters among `names` that exist. */
async function describeParameters(ssm: SSMClient, names: readonly string[], what: string): Promise<ParameterMetadata[]> {
  const found: ParameterMetadata[] = [];
  try {
    for (const Values of chunks(names)) {
      let token: string | undefined;
      for (let page = 0; page < MAX_DESCRIBE_PAGES; page += 1) {
        const out = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values }], NextToken: token }), {
          abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        });
        found.push(...(out.Parameters ?? []));
        token = out.NextToken;
        if (!token) break;
      }
    }
  } catch (error) {
    throw new Failure(`cannot read the tiers of ${what}: ${describeError(error)}`);
  }
  return found;
}

/** The stored values of the templates `keys` under `path`, as stored (`{% %}` form); absent ones left out. */
export async function readStored(ssm: SSMClient, path: string, keys: readonly string[]): Promise<StoredTemplates> {
  const byName = new Map(keys.map((key) => [parameterName(path, key), key]));
  const found: Record<string, string> = {};
  for (const parameter of await getParameters(ssm, [...byName.keys()], path)) {
    const key = parameter.Name === undefined ? undefined : byName.get(parameter.Name);
    if (key !== undefined && typeof parameter.Value === 'string') found[key] = parameter.Value;
  }
  return found;
}

/** The current tier of each template `keys` under `path` (from its metadata); absent ones left out. */
export async function readTiers(ssm: SSMClient, path: string, keys: readonly string[]): Promise<Record<string, string>> {
  const byName = new Map(keys.map((key) => [parameterName(path, key), key]));
  const tiers: Record<string, string> = {};
  for (const parameter of await describeParameters(ssm, [...byName.keys()], `the templates under ${path}`)) {
    const key = parameter.Name === undefined ? undefined : byName.get(parameter.Name);
    if (key !== undefined && parameter.Tier) tiers[key] = parameter.Tier;
  }
  return tiers;
}

/** One parameter's value and type; undefined when it does not exist. */
export async function readParameter(ssm: SSMClient, name: string): Promise<{ value: string; type: string } | undefined> {
  const [parameter] = (await getParameters(ssm, [name], name)).filter((p) => p.Name === name);
  return parameter && typeof parameter.Value === 'string' ? { value: parameter.Value, type: parameter.Type ?? 'String' } : undefined;
}

/** One parameter's tier; undefined when it does not exist. */
export async function readTier(ssm: SSMClient, name: string): Promise<string | undefined> {
  return (await describeParameters(ssm, [name], name)).find((p) => p.Name === name)?.Tier;
}

/** Writes one String parameter; resolves to the tier Parameter Store reports. Throws the SDK's error. */
export async function writeParameter(ssm: SSMClient, name: string, value: string, tier: 'Standard' | 'Advanced'): Promise<string> {
  const out = await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Tier: tier, Overwrite: true }), {
    abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  return out.Tier ?? tier;
}
