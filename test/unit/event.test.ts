import { describe, expect, it } from 'vitest';
import { parseConnection, parseGroups, stringLike } from '../../src/base/connection.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };
import sparse from '../fixtures/event-sparse.json' with { type: 'json' };
import { EVENT_V2_FIELDS } from '../fixtures/event-v2.expected.ts';

describe('parseConnection', () => {
  it('maps a schema v2 event', () => {
    const c = parseConnection(v2);
    expect(c).toEqual({ ...EVENT_V2_FIELDS, raw: v2 });
    expect(c.raw).toBe(v2);
  });

  it('turns missing, null and non-string fields into "" without throwing', () => {
    const c = parseConnection(sparse);
    expect(c.connectionId).toBe('');
    expect(c.username).toBe('42');
    expect(c.platform).toBe('');
    expect(c.groups).toEqual([]);
  });

  it.each([null, undefined, 'text', 42, [], [1, 2], true])('accepts %j as an event', (event) => {
    const c = parseConnection(event);
    expect(c.connectionId).toBe('');
    expect(c.groups).toEqual([]);
  });

  it('does not read inherited properties', () => {
    const event = Object.create({ username: 'inherited' }) as object;
    expect(parseConnection(event).username).toBe('');
    expect(parseConnection(JSON.parse('{"__proto__": {"username": "x"}}')).username).toBe('');
  });
});

describe('parseGroups', () => {
  it.each([
    ['admins', ['admins']],
    ['admins, ops ,,dev', ['admins', 'ops', 'dev']],
    [['a', ' b ', '', 3], ['a', 'b', '3']],
    ['', []],
    [null, []],
    [{ a: 1 }, []],
  ])('%j -> %j', (input, expected) => {
    expect(parseGroups(input)).toEqual(expected);
  });
});

describe('stringLike', () => {
  it('keeps strings, prints numbers and booleans, drops the rest', () => {
    expect(stringLike('x')).toBe('x');
    expect(stringLike(1.5)).toBe('1.5');
    expect(stringLike(false)).toBe('false');
    expect(stringLike(Number.NaN)).toBe('');
    expect(stringLike({})).toBe('');
    expect(stringLike(null)).toBe('');
  });
});
