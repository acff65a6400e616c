import {
  DescribeClientVpnConnectionsCommand,
  TerminateClientVpnConnectionsCommand,
  type ClientVpnConnection,
  type EC2Client,
  type TerminateClientVpnConnectionsResult,
} from '@aws-sdk/client-ec2';
import type { DisconnectTarget } from './authorize.ts';

/** One active session, as `/vpn who` shows it. */
export interface ActiveConnection {
  readonly endpointId: string;
  readonly connectionId: string;
  readonly username: string;
  readonly commonName: string;
  readonly clientIp: string;
  /** Undefined when EC2 gave no time we could read. */
  readonly establishedAt: Date | undefined;
}

export interface TerminateOutcome {
  /** EC2's status codes for the connection, e.g. `active` → `terminating`. */
  readonly previousStatus: string;
  readonly currentStatus: string;
}

/** The two EC2 calls the function makes; an interface so tests and the local run can stand in. */
export interface ClientVpnApi {
  listActive(endpointId: string, signal: AbortSignal): Promise<readonly ActiveConnection[]>;
  terminate(target: DisconnectTarget, signal: AbortSignal): Promise<TerminateOutcome>;
}

/** A runaway NextToken loop must end: 20 pages of 1,000 is far more than any endpoint holds. */
const MAX_PAGES = 20;
const PAGE_SIZE = 1000;

/**
 * EC2 writes `ConnectionEstablishedTime` as `2019-08-19 11:15:36`, in UTC; `new Date()` would
 * read that as local time, so the zone is made explicit. ISO strings are taken as they are.
 */
export function parseEc2Time(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(value.trim());
  const date = new Date(plain ? `${plain[1]}T${plain[2]}Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The active ones among EC2's connections (any order: the message sorts them). */
export function activeConnections(endpointId: string, connections: readonly ClientVpnConnection[]): ActiveConnection[] {
  return connections
    .filter((connection) => connection.Status?.Code === 'active')
    .map((connection) => ({
      endpointId: connection.ClientVpnEndpointId ?? endpointId,
      connectionId: connection.ConnectionId ?? '',
      username: connection.Username ?? '',
      commonName: connection.CommonName ?? '',
      clientIp: connection.ClientIp ?? '',
      establishedAt: parseEc2Time(connection.ConnectionEstablishedTime),
    }));
}

export function terminateOutcome(result: TerminateClientVpnConnectionsResult, connectionId: string): TerminateOutcome {
  const status = result.ConnectionStatuses?.find((item) => item.ConnectionId === connectionId) ?? result.ConnectionStatuses?.[0];
  return { previousStatus: status?.PreviousStatus?.Code ?? '', currentStatus: status?.CurrentStatus?.Code ?? '' };
}

export function sdkClientVpnApi(ec2: EC2Client): ClientVpnApi {
  return {
    async listActive(endpointId, signal) {
      const all: ClientVpnConnection[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const out = await ec2.send(
          new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: endpointId, MaxResults: PAGE_SIZE, NextToken: nextToken }),
          { abortSignal: signal },
        );
        all.push(...(out.Connections ?? []));
        nextToken = out.NextToken;
        if (!nextToken) break;
      }
      return activeConnections(endpointId, all);
    },
    async terminate(target, signal) {
      const out = await ec2.send(
        new TerminateClientVpnConnectionsCommand({ ClientVpnEndpointId: target.endpointId, ConnectionId: target.connectionId }),
        { abortSignal: signal },
      );
      return terminateOutcome(out, target.connectionId);
    },
  };
}
