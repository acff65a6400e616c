import { CONTRACT_ROUTES } from '../fixtures/routes-contract.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, type EventKind } from '../../src/base/contract.ts';
import { BUILT_IN_ROUTES, isMention, type RoutesDocument } from '../../src/routing/document.ts';
import { evaluateRoutes, globMatch, type RouteSubject } from '../../src/routing/evaluate.ts';
import { parseRoutes } from '../../src/routing/parse.ts';

const parse = (document: object): RoutesDocument => {
  const parsed = parseRoutes(JSON.stringify(document));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.routes;
};

const CONTRACT = parse(CONTRACT_ROUTES);

const subject = (fields: Partial<RouteSubject> = {}): RouteSubject => ({
  kind: 'connect',
  endpointId: 'cvpn-endpoint-0abc',
  groups: [],
  username: 'bob',
  commonName: 'bob.example.com',
  ...fields,
});

describe('globMatch', () => {
  it.each([
    ['alice', 'alice', true],
    ['alice', 'ALICE', true],
    ['ALICE', 'alice', true],
    ['alice', 'alice2', false],
    ['alice', 'malice', false],
    ['ops-*', 'ops-', true],
    ['ops-*', 'OPS-Bob', true],
    ['ops-*', 'devops-bob', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'a', false],
    ['*@example.com', 'alice@EXAMPLE.com', true],
    ['*@example.com', 'alice@example.com.evil', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['**', 'x', true],
    ['ci-*-bot', 'ci-build-bot', true],
    ['ci-*-bot', 'ci-bot', false],
    ['?', 'a', false],
    ['.*', 'anything', false],
    ['山田*', '山田 太郎', true],
  ])('%j matches %j: %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('costs at most pattern times text on a pathological pair', () => {
    const started = performance.now();
    expect(globMatch(`${'a*'.repeat(100)}b`, 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('agrees with a regular expression built from the pattern', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '*', '-');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', 'B', '-'), maxLength: 10 }), (pattern, text) => {
        const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[-]/g, '\\-')).join('.*')}$`, 'is');
        expect(globMatch(pattern, text)).toBe(regex.test(text));
      }),
    );
  });
});

describe('evaluateRoutes: the contract example', () => {
  it('an admin connecting is heard in the security channel with the group mention, and by email; nothing else', () => {
    expect(evaluateRoutes(CONTRACT, subject({ username: 'alice', groups: ['staff', 'admins'] }), 'C0FALLBACK')).toEqual({
      slack: [{ channel: 'C0SECURITY', mention: '<!subteam^S0123ABC>' }],
      email: true,
      route: 'admins',
      matched: ['admins'],
    });
  });

  it('an admin disconnecting is not an admins event: the default decides, without email', () => {
    expect(evaluateRoutes(CONTRACT, subject({ kind: 'disconnect', username: 'alice', groups: ['admins'] }), 'C0FALLBACK')).toEqual({
      slack: [{ channel: 'C0123', mention: '' }],
      email: false,
      route: 'default',
      matched: [],
    });
  });

  it('a CI robot is muted', () => {
    expect(evaluateRoutes(CONTRACT, subject({ username: 'CI-build-7' }), 'C0FALLBACK')).toEqual({ slack: [], email: false, route: 'ci-robots', matched: ['ci-robots'] });
  });

  it('an ops admin who is also matched by the robot pattern? continue lets both routes deliver', () => {
    const doc = parse({
      routes: [
        { name: 'admins', when: { groups: ['admins'] }, slack: { channel: 'C0SECURITY' }, email: true, continue: true },
        { name: 'ops', when: { users: ['ops-*'] }, slack: { channel: 'ops' }, email: false },
      ],
    });
    expect(evaluateRoutes(doc, subject({ username: 'ops-kim', groups: ['admins'] }), 'C0FALLBACK')).toEqual({
      slack: [
        { channel: 'C0SECURITY', mention: '' },
        { channel: 'ops', mention: '' },
      ],
      email: true,
      route: 'admins',
      matched: ['admins', 'ops'],
    });
  });

  it('anyone else goes to the default channel, with email for connects and failed attempts only', () => {
    for (const kind of EVENT_KINDS) {
      const decision = evaluateRoutes(CONTRACT, subject({ kind }), 'C0FALLBACK');
      expect(decision).toEqual({ slack: [{ channel: 'C0123', mention: '' }], email: kind !== 'disconnect', route: 'default', matched: [] });
    }
  });
});

describe('evaluateRoutes: conditions', () => {
  const only = (when: object) => parse({ routes: [{ name: 'hit', when, slack: { channel: 'hit' } }], default: { slack: { channel: 'miss' } } });
  const routeFor = (when: object, fields: Partial<RouteSubject>) => evaluateRoutes(only(when), subject(fields), undefined).route;

  it.each<[string, object, Partial<RouteSubject>, string]>([
    ['no when matches everything', {}, { username: '' }, 'hit'],
    ['events: the kind is listed', { events: ['connect-failed'] }, { kind: 'connect-failed' }, 'hit'],
    ['events: the kind is not listed', { events: ['connect-failed'] }, { kind: 'connect' }, 'default'],
    ['endpoints: listed', { endpoints: ['cvpn-endpoint-0abc', 'cvpn-endpoint-0def'] }, { endpointId: 'cvpn-endpoint-0def' }, 'hit'],
    ['endpoints: not listed', { endpoints: ['cvpn-endpoint-0abc'] }, { endpointId: 'cvpn-endpoint-0fff' }, 'default'],
    ['endpoints: an empty endpoint ID', { endpoints: ['cvpn-endpoint-0abc'] }, { endpointId: '' }, 'default'],
    ['groups: one of several', { groups: ['admins', 'sre'] }, { groups: ['staff', 'sre'] }, 'hit'],
    ['groups: none in common', { groups: ['admins'] }, { groups: ['staff'] }, 'default'],
    ['groups: the connection has none (a disconnect whose connect is unknown)', { groups: ['admins'] }, { groups: [] }, 'default'],
    ['groups: case matters', { groups: ['admins'] }, { groups: ['Admins'] }, 'default'],
    ['users: the username, case-insensitively', { users: ['alice'] }, { username: 'Alice' }, 'hit'],
    ['users: the common name when the username is empty', { users: ['*.example.com'] }, { username: '', commonName: 'carol.example.com' }, 'hit'],
    ['users: not the common name when there is a username', { users: ['*.example.com'] }, { username: 'carol', commonName: 'carol.example.com' }, 'default'],
    ['users: a star alone matches even nobody', { users: ['*'] }, { username: '', commonName: '' }, 'hit'],
    ['all conditions must hold', { events: ['connect'], groups: ['admins'], users: ['alice'] }, { username: 'alice', groups: ['admins'], kind: 'disconnect' }, 'default'],
    ['all conditions hold', { events: ['connect'], groups: ['admins'], users: ['alice'] }, { username: 'alice', groups: ['admins'] }, 'hit'],
  ])('%s', (_what, when, fields, expected) => {
    expect(routeFor(when, fields)).toBe(expected);
  });

  it('an event field cannot make a user pattern a regular expression', () => {
    expect(routeFor({ users: ['a.c'] }, { username: 'abc' })).toBe('default');
    expect(routeFor({ users: ['a.c'] }, { username: 'A.C' })).toBe('hit');
  });
});

describe('evaluateRoutes: order, continue and destinations', () => {
  it('the first match decides; later matches are not tried', () => {
    const doc = parse({
      routes: [
        { name: 'first', slack: { channel: 'one' }, email: false },
        { name: 'second', slack: { channel: 'two' }, email: true },
      ],
    });
    expect(evaluateRoutes(doc, subject(), undefined)).toEqual({ slack: [{ channel: 'one', mention: '' }], email: false, route: 'first', matched: ['first'] });
  });

  it('continue runs on until a matching route without it', () => {
    const doc = parse({
      routes: [
        { name: 'a', slack: { channel: 'ca' }, email: false, continue: true },
        { name: 'skipped', when: { users: ['nobody'] }, slack: { channel: 'cx' }, continue: true },
        { name: 'b', slack: { channel: 'cb' }, email: false, continue: true },
        { name: 'c', slack: { channel: 'cc' }, email: false },
        { name: 'd', slack: { channel: 'cd' }, email: true },
      ],
    });
    const decision = evaluateRoutes(doc, subject(), undefined);
    expect(decision.matched).toEqual(['a', 'b', 'c']);
    expect(decision.slack.map((destination) => destination.channel)).toEqual(['ca', 'cb', 'cc']);
    expect(decision.email).toBe(false);
    expect(decision.route).toBe('a');
  });

  it('continue with nothing after it that matches: only that route delivers, not the default', () => {
    const doc = parse({ routes: [{ name: 'a', slack: { channel: 'ca' }, email: false, continue: true }], default: { slack: { channel: 'cdef' }, email: true } });
    expect(evaluateRoutes(doc, subject(), undefined)).toEqual({ slack: [{ channel: 'ca', mention: '' }], email: false, route: 'a', matched: ['a'] });
  });

  it('one post per distinct channel, in order; "#name" and "name" are the same channel', () => {
    const doc = parse({
      routes: [
        { name: 'a', slack: { channel: '#sec' }, continue: true },
        { name: 'b', slack: { channel: 'C0123' }, continue: true },
        { name: 'c', slack: { channel: 'sec', mention: '<!here>' }, continue: true },
        { name: 'd', slack: {}, continue: true },
        { name: 'e', slack: { channel: 'C0123', mention: '<@U0ONCALL>' } },
      ],
    });
    expect(evaluateRoutes(doc, subject(), 'C0123').slack).toEqual([
      { channel: '#sec', mention: '<!here>' },
      { channel: 'C0123', mention: '<@U0ONCALL>' },
    ]);
  });

  it('the first route naming a mention for a channel gives it; a later one does not replace it', () => {
    const doc = parse({
      routes: [
        { name: 'a', slack: { channel: 'sec', mention: '<!here>' }, continue: true },
        { name: 'b', slack: { channel: 'sec', mention: '<!channel>' } },
      ],
    });
    expect(evaluateRoutes(doc, subject(), undefined).slack).toEqual([{ channel: 'sec', mention: '<!here>' }]);
  });

  it('slack {} posts to SLACK_CHANNEL; without one, that route posts nowhere', () => {
    const doc = parse({ routes: [{ name: 'a', slack: { mention: '<!here>' }, email: true }] });
    expect(evaluateRoutes(doc, subject(), 'C0FALLBACK').slack).toEqual([{ channel: 'C0FALLBACK', mention: '<!here>' }]);
    expect(evaluateRoutes(doc, subject(), undefined)).toEqual({ slack: [], email: true, route: 'a', matched: ['a'] });
    expect(evaluateRoutes(doc, subject(), '').slack).toEqual([]);
  });

  it('the built-in document: SLACK_CHANNEL, and email for connects and failed attempts', () => {
    const by = (kind: EventKind) => evaluateRoutes(BUILT_IN_ROUTES, subject({ kind }), 'C0FALLBACK');
    expect(by('connect')).toEqual({ slack: [{ channel: 'C0FALLBACK', mention: '' }], email: true, route: 'default', matched: [] });
    expect(by('disconnect').email).toBe(false);
    expect(by('connect-failed').email).toBe(true);
  });

  it('email: one if any delivering route wants it, each filtered by its own events', () => {
    const doc = parse({
      routes: [
        { name: 'a', slack: false, email: { events: ['connect-failed'] }, continue: true },
        { name: 'b', slack: false, email: { events: ['disconnect'] } },
      ],
    });
    expect(EVENT_KINDS.map((kind) => evaluateRoutes(doc, subject({ kind }), undefined).email)).toEqual([false, true, true]);
  });
});

describe('evaluateRoutes never throws', () => {
  it('on a document built by hand that breaks the parser guarantees: the built-in one decides', () => {
    const broken = { routes: 'nope', default: null } as unknown as RoutesDocument;
    expect(evaluateRoutes(broken, subject(), 'C0FALLBACK')).toEqual(evaluateRoutes(BUILT_IN_ROUTES, subject(), 'C0FALLBACK'));
  });
  it('on a subject built by hand with wrong types', () => {
    const odd = { kind: 'connect', endpointId: 7, groups: 'admins', username: null, commonName: undefined } as unknown as RouteSubject;
    expect(evaluateRoutes(CONTRACT, odd, 'C0FALLBACK').route).toBe('default');
    expect(evaluateRoutes(CONTRACT, null as unknown as RouteSubject, 'C0FALLBACK')).toEqual({ slack: [{ channel: 'C0FALLBACK', mention: '' }], email: true, route: 'default', matched: [] });
  });
  it('drops a mention a hand-built document smuggles in', () => {
    const doc = { routes: [], default: { slack: { channel: 'C0123', mention: '<!everyone>' }, email: false } } as RoutesDocument;
    expect(evaluateRoutes(doc, subject(), undefined).slack).toEqual([{ channel: 'C0123', mention: '' }]);
  });
});

// Documents that parse, built from the parts the contract allows.
const kindArb = fc.constantFrom(...EVENT_KINDS);
const channelArb = fc.constantFrom('C0123', 'C0SECURITY', 'ops', '#ops', 'G0PRIVATE', 'dev-ops');
const mentionArb = fc.constantFrom('<!here>', '<!channel>', '<@U024BE7LH>', '<!subteam^S0123ABC>');
const slackArb = fc.oneof(fc.constant(false as const), fc.record({ channel: channelArb, mention: mentionArb }, { requiredKeys: [] }));
const emailArb = fc.oneof(fc.boolean(), fc.record({ events: fc.uniqueArray(kindArb, { minLength: 1 }) }));
const userArb = fc.oneof(fc.constantFrom('*', 'alice', 'ops-*', '*bot*', 'ALICE'), fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== ''));
const groupArb = fc.constantFrom('admins', 'staff', 'sre');
const endpointArb = fc.constantFrom('cvpn-endpoint-0abc', 'cvpn-endpoint-0def');
const whenArb = fc.record(
  {
    events: fc.uniqueArray(kindArb, { minLength: 1 }),
    endpoints: fc.array(endpointArb, { minLength: 1, maxLength: 2 }),
    groups: fc.array(groupArb, { minLength: 1, maxLength: 2 }),
    users: fc.array(userArb, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const routeArb = fc.record({ when: whenArb, slack: slackArb, email: emailArb, continue: fc.boolean() }, { requiredKeys: [] });
const documentArb = fc
  .record({ routes: fc.array(routeArb, { maxLength: 6 }), default: fc.record({ slack: slackArb, email: emailArb }, { requiredKeys: [] }) }, { requiredKeys: [] })
  .map((doc) => ({ ...doc, ...(doc.routes ? { routes: doc.routes.map((route, i) => ({ name: `r${i}`, ...route })) } : {}) }));
const subjectArb: fc.Arbitrary<RouteSubject> = fc.record({
  kind: kindArb,
  endpointId: fc.oneof(endpointArb, fc.string()),
  groups: fc.array(fc.oneof(groupArb, fc.string()), { maxLength: 3 }),
  username: fc.oneof(fc.constantFrom('', 'alice', 'ops-kim', 'ci-bot', 'Alice'), fc.string({ unit: 'binary' })),
  commonName: fc.oneof(fc.constantFrom('', 'alice.example.com'), fc.string()),
});
const fallbackArb = fc.option(channelArb, { nil: undefined });

describe('evaluateRoutes: properties over any document that parses and any subject', () => {
  it('never throws, and its answer is well formed', () => {
    fc.assert(
      fc.property(documentArb, subjectArb, fallbackArb, (json, who, fallback) => {
        const doc = parse(json);
        const decision = evaluateRoutes(doc, who, fallback);
        const names = doc.routes.map((route) => route.name);
        const keys = decision.slack.map((destination) => destination.channel.replace(/^#/, ''));
        expect(new Set(keys).size).toBe(keys.length);
        for (const destination of decision.slack) expect(destination.mention === '' || isMention(destination.mention)).toBe(true);
        expect(decision.matched.every((name) => names.includes(name))).toBe(true);
        expect(decision.route).toBe(decision.matched[0] ?? 'default');
        // Every matched route but the last one continues.
        const routes = decision.matched.map((name) => doc.routes.find((route) => route.name === name));
        expect(routes.slice(0, -1).every((route) => route?.continue)).toBe(true);
      }),
    );
  });

  it('a route with slack: false that decides alone never yields a Slack destination', () => {
    fc.assert(
      fc.property(documentArb, subjectArb, fallbackArb, emailArb, (json, who, fallback, email) => {
        const doc = parse({ ...json, routes: [{ name: 'muted', slack: false, email }, ...(json.routes ?? [])].map((route, i) => ({ ...route, name: `m${i}` })) });
        const decision = evaluateRoutes(doc, who, fallback);
        expect(decision.matched).toEqual(['m0']);
        expect(decision.slack).toEqual([]);
      }),
    );
  });

  it('a muted route (slack and email false) that decides delivers nothing', () => {
    fc.assert(
      fc.property(documentArb, subjectArb, fallbackArb, (json, who, fallback) => {
        const doc = parse({ ...json, routes: [{ name: 'muted', when: { users: ['*'] }, slack: false, email: false }] });
        expect(evaluateRoutes(doc, who, fallback)).toEqual({ slack: [], email: false, route: 'muted', matched: ['muted'] });
      }),
    );
  });

  it('when no route matches, the default alone decides', () => {
    fc.assert(
      fc.property(documentArb, subjectArb, fallbackArb, (json, who, fallback) => {
        const doc = parse(json);
        const decision = evaluateRoutes(doc, who, fallback);
        if (decision.matched.length === 0) expect(decision).toEqual(evaluateRoutes({ routes: [], default: doc.default }, who, fallback));
      }),
    );
  });
});
