/** The CLI's Parameter Store calls: one client per run, every call bounded, errors as one line. */
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parameterName, TEMPLATE_NAMES, type StoredTemplates } from '../sources/templates.ts';
import { regionOf } from './args.ts';
import { Failure, UsageError, type CliIo, type OptionValues } from './io.ts';

/** No single Parameter Store call may hang the operator's shell. */
export const CALL_TIMEOUT_MS = 15_000;

export function ssmClient(values: OptionValues, io: CliIo): SSMClient {
  const region = regionOf(values, io);
  if (!region) throw new UsageError('no AWS region: pass --region or set AWS_REGION');
  return new SSMClient({ region, maxAttempts: 3 });
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
  const found: StoredTemplates = {};
  for (const parameter of out.Parameters ?? []) {
    const name = TEMPLATE_NAMES.find((candidate) => parameterName(path, candidate) === parameter.Name);
    if (name && typeof parameter.Value === 'string') found[name] = parameter.Value;
  }
  return found;
}
