/**
 * A stand-in for the two EC2 Client VPN actions slack-actions calls, speaking EC2's query
 * protocol (form-encoded request, XML answer) so the real SDK client runs unchanged against
 * it. The local run (`npm start -- --action …`) uses it in process; the integration tests put
 * it behind a loopback HTTP server (test/support/ec2-fake.ts). moto has no Client VPN API.
 */
export interface ModelConnection {
  readonly endpointId: string;
  readonly connectionId: string;
  readonly username: string;
  readonly commonName: string;
  readonly clientIp: string;
  /** As EC2 writes it: `2024-05-01 09:30:00` (UTC). */
  readonly establishedTime: string;
  status: 'active' | 'terminating' | 'terminated';
}

export interface Ec2Call {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface Ec2Answer {
  readonly status: number;
  readonly body: string;
}

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function ec2Error(status: number, code: string, message: string): Ec2Answer {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>`,
  };
}

function connectionXml(connection: ModelConnection): string {
  return [
    '<item>',
    `<clientVpnEndpointId>${escapeXml(connection.endpointId)}</clientVpnEndpointId>`,
    `<connectionId>${escapeXml(connection.connectionId)}</connectionId>`,
    `<username>${escapeXml(connection.username)}</username>`,
    `<commonName>${escapeXml(connection.commonName)}</commonName>`,
    `<clientIp>${escapeXml(connection.clientIp)}</clientIp>`,
    `<connectionEstablishedTime>${escapeXml(connection.establishedTime)}</connectionEstablishedTime>`,
    `<status><code>${connection.status}</code></status>`,
    '</item>',
  ].join('');
}

export class ClientVpnModel {
  /** Every request, in order, as its form parameters. */
  readonly calls: Ec2Call[] = [];
  /** EC2 may return fewer items than MaxResults; a small page makes callers follow NextToken. */
  maxPageSize = 1000;

  constructor(
    readonly endpointIds: readonly string[],
    readonly connections: ModelConnection[],
  ) {}

  handle(body: string): Ec2Answer {
    const params = Object.fromEntries(new URLSearchParams(body));
    const action = params.Action ?? '';
    this.calls.push({ action, params });
    const endpointId = params.ClientVpnEndpointId ?? '';
    if (action !== 'DescribeClientVpnConnections' && action !== 'TerminateClientVpnConnections') {
      return ec2Error(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
    if (!this.endpointIds.includes(endpointId)) {
      return ec2Error(400, 'InvalidClientVpnEndpointId.NotFound', `The ClientVpnEndpointId '${endpointId}' does not exist`);
    }
    return action === 'DescribeClientVpnConnections' ? this.describe(endpointId, params) : this.terminate(endpointId, params);
  }

  private describe(endpointId: string, params: Record<string, string>): Ec2Answer {
    const all = this.connections.filter((connection) => connection.endpointId === endpointId);
    const size = Math.min(this.maxPageSize, Math.max(5, Math.min(1000, Number(params.MaxResults ?? 1000) || 1000)));
    const start = Number(params.NextToken ?? 0) || 0;
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? `<nextToken>${start + size}</nextToken>` : '';
    return {
      status: 200,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeClientVpnConnectionsResponse xmlns="${XMLNS}"><requestId>fake-request</requestId><connections>${page.map(connectionXml).join('')}</connections>${next}</DescribeClientVpnConnectionsResponse>`,
    };
  }

  private terminate(endpointId: string, params: Record<string, string>): Ec2Answer {
    const connectionId = params.ConnectionId ?? '';
    const connection = this.connections.find((candidate) => candidate.endpointId === endpointId && candidate.connectionId === connectionId);
    if (!connection) return ec2Error(400, 'InvalidClientVpnConnectionId.NotFound', `The connection ID '${connectionId}' does not exist`);
    const previous = connection.status;
    if (connection.status === 'active') connection.status = 'terminating';
    return {
      status: 200,
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<TerminateClientVpnConnectionsResponse xmlns="${XMLNS}"><requestId>fake-request</requestId>` +
        `<clientVpnEndpointId>${escapeXml(endpointId)}</clientVpnEndpointId><username>${escapeXml(connection.username)}</username>` +
        `<connectionStatuses><item><connectionId>${escapeXml(connectionId)}</connectionId><previousStatus><code>${previous}</code></previousStatus>` +
        `<currentStatus><code>${connection.status}</code></currentStatus></item></connectionStatuses></TerminateClientVpnConnectionsResponse>`,
    };
  }
}
