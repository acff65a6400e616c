import { createServer } from 'node:http';
import { ClientVpnModel, ec2Error, type Ec2Call, type ModelConnection } from '../../src/local/ec2-model.ts';
import { listenOnLoopback } from './net.ts';

/**
 * A loopback EC2 endpoint for DescribeClientVpnConnections and TerminateClientVpnConnections
 * (EC2 query protocol; moto has no Client VPN API). Use its `url` as AWS_ENDPOINT_URL_EC2.
 * Records every call, and can be told to hang (accept, never answer) or answer 5xx.
 */
export type Ec2Fault = 'ok' | 'hang' | '5xx';

export interface Ec2Fake {
  readonly url: string;
  fault: Ec2Fault;
  /** Every request received, faulted ones included. */
  readonly calls: Ec2Call[];
  /** The endpoints and sessions the fake knows; tests edit `connections` freely. */
  model: ClientVpnModel;
  reset(endpointIds: readonly string[], connections: ModelConnection[]): void;
  close(): Promise<void>;
}

export async function startEc2Fake(endpointIds: readonly string[] = [], connections: ModelConnection[] = []): Promise<Ec2Fake> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (fake.fault !== 'ok') {
        fake.calls.push({ action: new URLSearchParams(body).get('Action') ?? '', params: Object.fromEntries(new URLSearchParams(body)) });
        if (fake.fault === 'hang') return; // the socket is destroyed on close()
        const answer = ec2Error(503, 'Unavailable', 'The service is unavailable. Please try again shortly.');
        res.writeHead(answer.status, { 'content-type': 'text/xml;charset=UTF-8' });
        res.end(answer.body);
        return;
      }
      const answer = fake.model.handle(body);
      fake.calls.push(fake.model.calls[fake.model.calls.length - 1]!);
      res.writeHead(answer.status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(answer.body);
    });
  });
  const listening = await listenOnLoopback(server);
  const fake: Ec2Fake = {
    url: `http://127.0.0.1:${listening.port}`,
    fault: 'ok',
    calls: [],
    model: new ClientVpnModel(endpointIds, connections),
    reset(ids, sessions) {
      fake.fault = 'ok';
      fake.calls.length = 0;
      fake.model = new ClientVpnModel(ids, sessions);
    },
    close: listening.close,
  };
  return fake;
}
