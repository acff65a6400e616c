import { describe, expect, it } from 'vitest';
import { parseSlackToken, TokenFormatError } from '../../src/sources/slack-token.ts';

describe('parseSlackToken', () => {
  it('accepts the raw token and JSON {"token"}', () => {
    expect(parseSlackToken('xoxb-1-2-abc\n')).toBe('xoxb-1-2-abc');
    expect(parseSlackToken('{"token":"xoxb-1-2-abc"}')).toBe('xoxb-1-2-abc');
  });
  it.each(['', 'placeholder', '{"tok":"xoxb-1"}', '{not json', '{"token": 5}'])('rejects %j without echoing it', (secret) => {
    expect(() => parseSlackToken(secret)).toThrow(TokenFormatError);
    try {
      parseSlackToken(`${secret}`);
    } catch (error) {
      if (secret.length > 3) expect((error as Error).message).not.toContain(secret);
    }
  });
});
