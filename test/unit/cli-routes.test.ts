import { CONTRACT_ROUTES } from '../fixtures/routes-contract.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineDiff, withContext } from '../../src/cli/diff.ts';
import { decisionReport, documentSummary, prettyDocument, sameDocument, sizeProblem, subjectOf, UNSET_FALLBACK_CHANNEL, unreachableRoutes } from '../../src/cli/routes-report.ts';
import { evaluateRoutes } from '../../src/routing/evaluate.ts';
import { parseRoutes } from '../../src/routing/parse.ts';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

function parsed(doc: unknown) {
  const result = parseRoutes(JSON.stringify(doc));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.routes;
}

const CONTRACT_DOC = parsed({ ...CONTRACT_ROUTES, routes: [CONTRACT_ROUTES.routes[0], { name: 'everyone', slack: {}, email: false }] });

describe('subjectOf', () => {
  it('reads a connect event as the connect handler does (groups split, fields cleaned)', () => {
    expect(subjectOf(fixture('event-v2.json'), undefined, 'UTC')).toEqual({
      ok: true,
      from: 'connect event',
      groupsKnown: true,
      subject: { kind: 'connect', endpointId: 'cvpn-endpoint-0abc', groups: ['admins'], username: 'alice', commonName: 'alice.example.com' },
    });
  });

  it('reads a log entry by its connection-log-type key: kind by classification, endpoint from client-vpn-endpoint-id, groups unknown', () => {
    expect(subjectOf(fixture('connection-log/failed-handler-timed-out.json'), undefined, 'UTC')).toEqual({
      ok: true,
      from: 'connection log entry',
      groupsKnown: false,
      subject: { kind: 'connect-failed', endpointId: 'cvpn-endpoint-0abc', groups: [], username: 'bob', commonName: 'bob.example.com' },
    });
    expect(subjectOf(fixture('connection-log/disconnect.json'), ['admins'], 'UTC')).toMatchObject({ ok: true, groupsKnown: true, subject: { kind: 'disconnect', groups: ['admins'] } });
  });

  it('says why an entry notifies nobody, and refuses what is neither shape', () => {
    expect(subjectOf(fixture('connection-log/saml-waiting-for-assertion.json'), undefined, 'UTC')).toEqual({ ok: false, notified: false, reason: expect.stringMatching(/SAML/) });
    expect(subjectOf([1, 2], undefined, 'UTC')).toMatchObject({ ok: false, notified: undefined });
    expect(subjectOf({ 'connection-log-type': 'x', 'connection-end-time': 'yesterday' }, undefined, 'UTC')).toMatchObject({ ok: false, notified: undefined, reason: 'connection-end-time is not a time' });
  });
});

describe('decisionReport', () => {
  const report = (event: unknown, fallback: string | undefined, groups?: string[]) => {
    const reading = subjectOf(event, groups, 'UTC');
    if (!reading.ok) throw new Error(reading.reason);
    return decisionReport(reading, evaluateRoutes(CONTRACT_DOC, reading.subject, fallback ?? UNSET_FALLBACK_CHANNEL), fallback);
  };

  it('lists matched routes, the deciding one, each channel with its mention, and email', () => {
    expect(report(fixture('event-v2.json'), 'C0FALLBACK')).toEqual([
      'connect event: connect · user "alice" · common name "alice.example.com" · endpoint "cvpn-endpoint-0abc"',
      'groups: admins',
      'matched: admins, everyone',
      'deciding route: admins (the SNS attribute route="admins")',
      'slack: C0SECURITY, mention <!subteam^S0123ABC>',
      'slack: C0FALLBACK (SLACK_CHANNEL), no mention',
      'email: yes (one SNS message)',
    ]);
  });

  it('says when a route would post to SLACK_CHANNEL and it is not set', () => {
    expect(report(fixture('connection-log/disconnect.json'), undefined)).toEqual([
      expect.stringMatching(/^connection log entry: disconnect · user "alice"/),
      expect.stringMatching(/^groups: \(unknown for a log entry: .* try --groups\)$/),
      'matched: everyone',
      'deciding route: everyone (the SNS attribute route="everyone")',
      'slack: SLACK_CHANNEL (not set in this shell), no mention',
      'email: no',
    ]);
  });
});

describe('document checks', () => {
  it('finds routes after a catch-all that does not continue', () => {
    expect(unreachableRoutes(parsed({ routes: [{ name: 'a', when: { users: ['x'] } }, { name: 'all' }, { name: 'late', when: { users: ['y'] } }] }))).toEqual([
      'route "late" is never tried: route "all" before it matches everything and does not continue',
      'the default is never used: route "all" matches everything and does not continue',
    ]);
    expect(unreachableRoutes(parsed({ routes: [{ name: 'all', continue: true }, { name: 'late' }] }))).toEqual([
      'the default is never used: route "late" matches everything and does not continue',
    ]);
    expect(unreachableRoutes(CONTRACT_DOC)).toEqual(['the default is never used: route "everyone" matches everything and does not continue']);
  });

  it('summarises what each route delivers, omitted parts filled from default', () => {
    expect(documentSummary(parsed({ routes: [{ name: 'r', when: { users: ['x'] }, slack: { mention: '<!here>' } }], default: { email: false } }))).toEqual([
      '  r: Slack to SLACK_CHANNEL with <!here>, no email',
      '  default: Slack to SLACK_CHANNEL, no email',
    ]);
  });

  it('compares documents by their JSON, not their formatting', () => {
    expect(sameDocument('{"routes":[]}', '{\n  "routes": []\n}\n')).toBe(true);
    expect(sameDocument('{"routes":[]}', '{"routes":[],"default":{}}')).toBe(false);
    expect(sameDocument('not json', 'not json')).toBe(true);
    expect(sameDocument('not json', 'not json ')).toBe(false);
    expect(prettyDocument('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyDocument('{oops')).toBe('{oops');
  });

  it('refuses a document larger than Parameter Store holds', () => {
    expect(sizeProblem('x'.repeat(8192))).toBeUndefined();
    expect(sizeProblem('x'.repeat(8193))).toBe('8193 bytes: Parameter Store holds at most 8192');
  });
});

describe('withContext', () => {
  it('keeps changed lines with two lines around each, … for the rest', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
    expect(withContext(lineDiff(before, after))).toEqual(['…', '  3', '  4', '- 5', '+ five', '  6', '  7', '…']);
    expect(withContext(lineDiff('a', 'a'))).toEqual(['…']);
  });
});
