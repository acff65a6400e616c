import { describe, expect, it } from 'vitest';
import { sessionHasPost, type SessionItem } from '../../src/sources/sessions.ts';

const item: SessionItem = {
  connectionId: 'cvpn-connection-1',
  endpointId: 'cvpn-endpoint-1',
  channel: 'C0MAIN',
  ts: '1700.1',
  posts: [
    { channel: 'C0MAIN', ts: '1700.1' },
    { channel: 'C0ROUTE', ts: '1700.2' },
  ],
  context: {},
  connectedAt: '2026-11-29T00:00:00.000Z',
  expiresAt: 0,
};

describe('sessionHasPost (is a queued thread reply or update going to one of our own posts?)', () => {
  it('holds for each post the connection recorded, channel and ts together', () => {
    expect(sessionHasPost(item, 'C0MAIN', '1700.1')).toBe(true);
    expect(sessionHasPost(item, 'C0ROUTE', '1700.2')).toBe(true);
  });

  it.each([
    ['another channel', 'C0EVIL', '1700.1'],
    ['a post of one channel with the ts of another', 'C0MAIN', '1700.2'],
    ['no ts at all (a top-level post)', 'C0MAIN', undefined],
    ['a channel name instead of the ID Slack answered', '#vpn', '1700.1'],
  ] as const)('does not for %s', (_case, channel, ts) => {
    expect(sessionHasPost(item, channel, ts)).toBe(false);
  });

  it('does not without an item (no such connection, or it expired)', () => {
    expect(sessionHasPost(undefined, 'C0MAIN', '1700.1')).toBe(false);
  });
});
