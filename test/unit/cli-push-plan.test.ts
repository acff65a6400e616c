import { describe, expect, it } from 'vitest';
import { changedSince, planPush, tierToWrite } from '../../src/cli/push-plan.ts';

describe('planPush', () => {
  it('plans each file in order: new, changed or unchanged, with the stored value that reads back as the file', () => {
    const plan = planPush(
      { slack: 'Hi {{username}}', 'email-subject': 'S {{username}}', 'email-body': 'B {% literal %}' },
      { slack: 'Hi {%username%}', 'email-subject': 'old' },
    );
    expect(plan.map(({ name, value, current, changed }) => ({ name, value, current, changed }))).toEqual([
      { name: 'slack', value: 'Hi {%username%}', current: 'Hi {{username}}', changed: false },
      { name: 'email-subject', value: 'S {%username%}', current: 'old', changed: true },
      { name: 'email-body', value: 'B \\{% literal %}', current: undefined, changed: true },
    ]);
  });

  it('a value stored with {{ }} by hand counts as unchanged when it reads back the same', () => {
    expect(planPush({ slack: 'Hi {{username}}' }, { slack: 'Hi {{username}}' })[0]?.changed).toBe(false);
  });

  it('refuses a file whose stored form would not read back as written, naming template and line', () => {
    expect(() => planPush({ 'email-body': 'fine\n{{default username "50%}"}}' }, {})).toThrow(/^email-body: line 2 would not read back as written/);
  });
});

describe('tierToWrite', () => {
  const small = 1;
  const large = 4097;
  it.each([
    [small, undefined, 'Standard'],
    [small, 'Standard', 'Standard'],
    [large, undefined, 'Advanced'],
    [large, 'Standard', 'Advanced'],
    // Never a downgrade, even when the new value would fit in Standard.
    [small, 'Advanced', 'Advanced'],
    [large, 'Advanced', 'Advanced'],
  ])('a value of %s characters, currently %s: %s', (length, current, expected) => {
    expect(tierToWrite('x'.repeat(length), current)).toBe(expected);
  });
});

describe('changedSince', () => {
  it('names the templates whose stored value changed, appeared or disappeared, and only those asked about', () => {
    const before = { slack: 'a', 'email-subject': 'b' };
    const after = { slack: 'a', 'email-subject': 'B', 'email-body': 'new' };
    expect(changedSince(before, after, ['slack', 'email-subject', 'email-body'])).toEqual(['email-subject', 'email-body']);
    expect(changedSince(before, after, ['slack'])).toEqual([]);
    expect(changedSince(after, before, ['email-body'])).toEqual(['email-body']);
  });
});
