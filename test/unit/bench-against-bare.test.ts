import { describe, expect, it } from 'vitest';
import { coldFigures, ratioRows, type ColdFigures, type TimedRun } from '../../bench/against-bare.ts';
import type { Stamped } from '../../bench/timing-proxy.ts';

// Times as bench/timed-run.mjs prints them: ms since process start, import start as an epoch stamp.
const EPOCH = 1_764_000_000_000;
const run: TimedRun = { node: 'v20.20.2', importStartEpoch: EPOCH + 20, importStart: 20, initEnd: 120, invokeStart: 120, coldAnswer: 300, warm: [110, 112], response: { allow: true } };
const at = (what: string, sinceProcessStart: number): Stamped => ({ what, arrived: EPOCH + sinceProcessStart, answered: EPOCH + sinceProcessStart + 55 });
const cold = [at('ssm GetParameters', 80), at('secretsmanager GetSecretValue', 81), at('slack chat.postMessage', 160), at('sns Publish', 161), at('dynamodb PutItem', 230)];
const warm = [at('slack chat.postMessage', 330), at('sns Publish', 330), at('dynamodb PutItem', 390), at('slack chat.postMessage', 460), at('sns Publish', 460), at('dynamodb PutItem', 520)];

describe('bench/against-bare: a run with the session table on', () => {
  it('counts when the write reached the proxy before the cold answer and each warm call wrote', () => {
    const figures = coldFigures(run, [...cold, ...warm], { sessionWrite: true });
    expect(figures.cold).toBe(300);
    expect(figures.timeline.map((p) => p.what)).toContain('dynamodb PutItem');
  });

  it('is an error when the cold invocation answered before any session write', () => {
    const late = [...cold.filter((r) => !r.what.startsWith('dynamodb')), at('dynamodb PutItem', 310), ...warm];
    expect(() => coldFigures(run, late, { sessionWrite: true })).toThrow(/without the session write/);
    // Without the table the same requests are a valid run.
    expect(() => coldFigures(run, late)).not.toThrow();
  });

  it('is an error when a warm invocation did not write', () => {
    expect(() => coldFigures(run, [...cold, ...warm.slice(0, 3)], { sessionWrite: true })).toThrow(/3 invocations made 2 session writes/);
  });
});

describe('bench/against-bare: the ratios table', () => {
  const figures = (cold: number, warmMs: number): ColdFigures => ({ cold, coldInvoke: 100, warm: [warmMs, warmMs], firstRead: 60, initEnd: 50, firstDelivery: 150, timeline: [] });
  it('adds the session-table rows with their target after the plain ones', () => {
    const rows = ratioRows([{ node: 'v20', ours: [figures(250, 66)], bare: [figures(240, 64)], table: { ours: [figures(300, 118)], bare: [figures(290, 110)] } }]);
    expect(rows.find((r) => r.includes('warm with session table'))).toBe('| v20 | warm with session table | 118.0 | 110.0 | 1.073 | ≤ 1.05 | **not met** |');
    expect(rows.find((r) => r.includes('cold total with session table'))).toBe('| v20 | cold total with session table | 300.0 | 290.0 | 1.034 | | |');
    expect(rows.findIndex((r) => r.includes('with session table'))).toBeGreaterThan(rows.findIndex((r) => r.includes('first invocation alone |')));
  });
});
