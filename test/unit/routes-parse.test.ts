import { CONTRACT_ROUTES } from '../fixtures/routes-contract.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROUTES, isChannel, isMention } from '../../src/routing/document.ts';
import { parseRoutes } from '../../src/routing/parse.ts';

/** The example of contract section 13, verbatim. */
const CONTRACT_EXAMPLE = `{ "routes": [
    { "name": "admins",
      "when": { "events": ["connect", "connect-failed"], "endpoints": ["cvpn-endpoint-0abc"],
                "groups": ["admins"], "users": ["alice", "ops-*"] },
      "slack": { "channel": "C0SECURITY", "mention": "<!subteam^S0123ABC>" },
      "email": true,
      "continue": true },
    { "name": "ci-robots", "when": { "users": ["ci-*"] }, "slack": false, "email": false } ],
  "default": { "slack": { "channel": "C0123" }, "email": { "events": ["connect", "connect-failed"] } } }`;

const errorsOf = (json: string): string[] => {
  const parsed = parseRoutes(json);
  if (parsed.ok) throw new Error(`expected errors, got ${JSON.stringify(parsed.routes)}`);
  return parsed.errors;
};
const parsedOf = (json: string) => {
  const parsed = parseRoutes(json);
  if (!parsed.ok) throw new Error(`expected a document, got ${parsed.errors.join('; ')}`);
  return parsed.routes;
};
const route = (fields: object) => JSON.stringify({ routes: [{ name: 'r', ...fields }] });

describe('parseRoutes: valid documents', () => {
  it('reads the contract example as written', () => {
    expect(JSON.parse(CONTRACT_EXAMPLE)).toEqual(CONTRACT_ROUTES);
    expect(parsedOf(CONTRACT_EXAMPLE)).toEqual({
      routes: [
        CONTRACT_ROUTES.routes[0],
        { ...CONTRACT_ROUTES.routes[1], continue: false },
      ],
      default: { slack: { channel: 'C0123' }, email: { events: ['connect', 'connect-failed'] } },
    });
  });

  it('the built-in document is the contract one', () => {
    expect(parsedOf('{"routes": [], "default": {"slack": {}, "email": {"events": ["connect", "connect-failed"]}}}')).toEqual(BUILT_IN_ROUTES);
  });

  it.each([
    ['an empty object', '{}'],
    ['no default', '{"routes": []}'],
    ['an empty default', '{"default": {}}'],
  ])('%s takes the built-in parts', (_what, json) => {
    expect(parsedOf(json)).toEqual(BUILT_IN_ROUTES);
  });

  it('a default with only slack keeps the built-in email, and the other way round', () => {
    expect(parsedOf('{"default": {"slack": false}}').default).toEqual({ slack: false, email: BUILT_IN_ROUTES.default.email });
    expect(parsedOf('{"default": {"email": true}}').default).toEqual({ slack: {}, email: true });
  });

  it('a route without slack or email takes them from the document default', () => {
    const doc = parsedOf('{"routes": [{"name": "a", "email": false}, {"name": "b", "slack": {"channel": "sec"}}], "default": {"slack": {"channel": "C0123"}, "email": true}}');
    expect(doc.routes[0]).toMatchObject({ slack: { channel: 'C0123' }, email: false, when: {}, continue: false });
    expect(doc.routes[1]).toMatchObject({ slack: { channel: 'sec' }, email: true });
  });

  it('a route without slack or email and a document without default take the built-in default parts', () => {
    const doc = parsedOf('{"routes": [{"name": "a", "when": {"groups": ["x"]}}]}');
    expect(doc.routes[0]).toMatchObject({ slack: {}, email: { events: ['connect', 'connect-failed'] } });
  });

  it.each(['C0123', 'G0PRIVATE1', 'D024BE91L', 'security', '#security', 'sec-alerts_2', '開発', 'vpn-ログ'])('accepts channel %s', (channel) => {
    expect(parsedOf(route({ slack: { channel } })).routes[0]?.slack).toEqual({ channel });
  });

  it.each(['<!here>', '<!channel>', '<@U024BE7LH>', '<!subteam^S0123ABC>'])('accepts mention %s', (mention) => {
    expect(parsedOf(route({ slack: { mention } })).routes[0]?.slack).toEqual({ mention });
  });
});

describe('parseRoutes: errors name the JSON path', () => {
  it.each([
    ['not JSON', '{"routes": [', /^\(document\): not valid JSON/],
    ['an array', '[]', /^\(document\): must be a JSON object.*got a list/],
    ['a string', '"routes"', /^\(document\): must be a JSON object.*got a string \("routes"\)/],
    ['null', 'null', /^\(document\): must be a JSON object.*got null/],
    ['empty text', '', /^\(document\): not valid JSON/],
  ])('%s', (_what, json, message) => {
    const errors = errorsOf(json);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['an unknown top-level key', '{"rutes": []}', 'rutes: unknown key (allowed: routes, default)'],
    ['a __proto__ key', '{"__proto__": {"x": 1}}', '__proto__: unknown key (allowed: routes, default)'],
    ['routes not a list', '{"routes": {}}', 'routes: must be a list of routes, got an object'],
    ['a route not an object', '{"routes": [3]}', 'routes[0]: must be an object (keys: name, when, slack, email, continue), got a number (3)'],
    ['an unknown route key', route({ chanel: 'C1' }), 'routes[0].chanel: unknown key (allowed: name, when, slack, email, continue)'],
    ['a key with spaces', route({ 'when ': {} }), 'routes[0]["when "]: unknown key (allowed: name, when, slack, email, continue)'],
    ['a missing name', '{"routes": [{"email": true}]}', 'routes[0].name: is required (it is the SNS "route" attribute)'],
    ['a name of the wrong type', '{"routes": [{"name": 7}]}', expect.stringMatching(/^routes\[0\]\.name: must be a non-empty string.*got a number \(7\)$/)],
    ['an empty name', '{"routes": [{"name": ""}]}', expect.stringMatching(/^routes\[0\]\.name: must be a non-empty string/)],
    ['a name with a newline', '{"routes": [{"name": "a\\nb"}]}', expect.stringMatching(/^routes\[0\]\.name: must be a non-empty string/)],
    ['the reserved name', '{"routes": [{"name": "default"}]}', 'routes[0].name: "default" is reserved for when no route matches'],
    ['a duplicate name', '{"routes": [{"name": "a"}, {"name": "a"}]}', 'routes[1].name: "a" is already the name of an earlier route'],
    ['when not an object', route({ when: ['admins'] }), expect.stringMatching(/^routes\[0\]\.when: must be an object of conditions.*got a list$/)],
    ['an unknown condition', route({ when: { user: ['a'] } }), 'routes[0].when.user: unknown key (allowed: events, endpoints, groups, users)'],
    ['users not a list', route({ when: { users: 'alice' } }), expect.stringMatching(/^routes\[0\]\.when\.users: must be a list of user patterns.*got a string \("alice"\)$/)],
    ['a user that is not a string', route({ when: { users: ['alice', 42] } }), expect.stringMatching(/^routes\[0\]\.when\.users\[1\]: must be a user pattern.*got a number \(42\)$/)],
    ['an empty user pattern', route({ when: { users: [''] } }), expect.stringMatching(/^routes\[0\]\.when\.users\[0\]: /)],
    ['an empty list', route({ when: { groups: [] } }), 'routes[0].when.groups: must not be empty (an empty list never matches)'],
    ['a bad event kind', route({ when: { events: ['connect', 'disconnected'] } }), expect.stringMatching(/^routes\[0\]\.when\.events\[1\]: must be an event kind.*got a string \("disconnected"\)$/)],
    ['a bad endpoint ID', route({ when: { endpoints: ['cvpn-endpoint-0abc', 'vpn-1'] } }), expect.stringMatching(/^routes\[0\]\.when\.endpoints\[1\]: must be an endpoint ID.*got a string \("vpn-1"\)$/)],
    ['slack true', route({ slack: true }), expect.stringMatching(/^routes\[0\]\.slack: must be false or an object .*got a boolean \(true\)$/)],
    ['an unknown slack key', route({ slack: { channel: 'C1234', icon: ':x:' } }), 'routes[0].slack.icon: unknown key (allowed: channel, mention)'],
    ['a channel with a space', route({ slack: { channel: 'sec alerts' } }), expect.stringMatching(/^routes\[0\]\.slack\.channel: must be a channel ID .*got a string \("sec alerts"\)$/)],
    ['a channel in capitals', route({ slack: { channel: 'Security' } }), expect.stringMatching(/^routes\[0\]\.slack\.channel: must be a channel ID/)],
    ['a channel that is a link', route({ slack: { channel: '<#C123>' } }), expect.stringMatching(/^routes\[0\]\.slack\.channel: must be a channel ID/)],
    ['a channel of 81 characters', route({ slack: { channel: 'a'.repeat(81) } }), expect.stringMatching(/^routes\[0\]\.slack\.channel: must be a channel ID/)],
    ['a channel number', route({ slack: { channel: 123 } }), expect.stringMatching(/^routes\[0\]\.slack\.channel: .*got a number \(123\)$/)],
    ['@everyone', route({ slack: { mention: '@everyone' } }), expect.stringMatching(/^routes\[0\]\.slack\.mention: must be <!here>, <!channel>, <@U…> or <!subteam\^S…>, got a string \("@everyone"\)$/)],
    ['<!everyone>', route({ slack: { mention: '<!everyone>' } }), expect.stringMatching(/^routes\[0\]\.slack\.mention: /)],
    ['a mention with a label', route({ slack: { mention: '<!subteam^S0123|@oncall>' } }), expect.stringMatching(/^routes\[0\]\.slack\.mention: /)],
    ['a mention with a quote', route({ slack: { mention: '<@U1">' } }), expect.stringMatching(/^routes\[0\]\.slack\.mention: /)],
    ['two mentions', route({ slack: { mention: '<!here> <!channel>' } }), expect.stringMatching(/^routes\[0\]\.slack\.mention: /)],
    ['a channel ID as mention', route({ slack: { mention: '<#C0123>' } }), expect.stringMatching(/^routes\[0\]\.slack\.mention: /)],
    ['email a string', route({ email: 'yes' }), 'routes[0].email: must be true, false or {"events": [...]}, got a string ("yes")'],
    ['email without events', route({ email: {} }), 'routes[0].email.events: is required in an email object (or write true / false)'],
    ['email with a bad kind', route({ email: { events: ['connected'] } }), expect.stringMatching(/^routes\[0\]\.email\.events\[0\]: must be an event kind/)],
    ['an unknown email key', route({ email: { events: ['connect'], to: 'x@example.com' } }), 'routes[0].email.to: unknown key (allowed: events)'],
    ['continue a string', route({ continue: 'yes' }), 'routes[0].continue: must be true or false, got a string ("yes")'],
    ['default not an object', '{"default": false}', 'default: must be an object (keys: slack, email), got a boolean (false)'],
    ['an unknown default key', '{"default": {"when": {}}}', 'default.when: unknown key (allowed: slack, email)'],
    ['a bad default mention', '{"default": {"slack": {"mention": "@here"}}}', expect.stringMatching(/^default\.slack\.mention: /)],
  ])('%s', (_what, json, error) => {
    expect(errorsOf(json)).toEqual([error]);
  });

  it('lists every problem of a document at once', () => {
    const json = JSON.stringify({
      routes: [
        { name: 'ok', when: { users: ['alice'] } },
        { name: 'bad', when: { users: ['a', 1], groups: [] }, slack: { channel: 'C 1', mention: '@here' }, extra: 1 },
      ],
      default: { email: 'no' },
    });
    expect(errorsOf(json).map((error) => error.split(':')[0])).toEqual([
      'default.email',
      'routes[1].extra',
      'routes[1].when.groups',
      'routes[1].when.users[1]',
      'routes[1].slack.channel',
      'routes[1].slack.mention',
    ]);
  });

  it('caps a flood of errors and says how many more there were', () => {
    const errors = errorsOf(JSON.stringify({ routes: Array.from({ length: 80 }, () => 1) }));
    expect(errors).toHaveLength(51);
    expect(errors.at(-1)).toBe('… and 30 more');
  });

  it('keeps a long bad value short in the message', () => {
    const [error] = errorsOf(route({ slack: { channel: 'x '.repeat(500) } }));
    expect(error?.length).toBeLessThan(400);
    expect(error).toContain('…');
  });
});

describe('mention and channel checks', () => {
  it('allows only the four mention forms', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        if (isMention(value)) expect(value).toMatch(/^(<!here>|<!channel>|<@U[A-Z0-9]+>|<!subteam\^S[A-Z0-9]+>)$/);
        // Whatever passes is safe to insert raw into mrkdwn and into a JSON string.
        if (isMention(value)) expect(value).not.toMatch(/["\\\s&|]/);
      }),
    );
  });
  it('never accepts a channel with spaces, markup or quotes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        if (isChannel(value)) expect(value).not.toMatch(/[\s<>&"'\\|.,@]/);
      }),
    );
  });
});

describe('parseRoutes never throws', () => {
  it('on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = parseRoutes(JSON.stringify(value) ?? 'null');
        expect(typeof parsed.ok).toBe('boolean');
        if (!parsed.ok) expect(parsed.errors.length).toBeGreaterThan(0);
      }),
    );
  });
  it('on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(typeof parseRoutes(value).ok).toBe('boolean');
      }),
    );
  });
  it('on input that is not text at all', () => {
    expect(parseRoutes(undefined as unknown as string)).toEqual({ ok: false, errors: ['(document): must be JSON text, got nothing'] });
  });
});
