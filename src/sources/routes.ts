import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';

/** Reads the routes parameter's raw value; undefined when it does not exist. */
export function routesParameterFetcher(ssm: SSMClient, name: string): (signal: AbortSignal) => Promise<string | undefined> {
  return async (signal) => {
    try {
      const out = await ssm.send(new GetParameterCommand({ Name: name }), { abortSignal: signal });
      return out.Parameter?.Value;
    } catch (error) {
      if (error instanceof ParameterNotFound || (error as { name?: string })?.name === 'ParameterNotFound') return undefined;
      throw error;
    }
  };
}
