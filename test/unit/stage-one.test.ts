import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluateStageTwo } from '../../src/handler/evaluate-stage-two.ts';
import { allowResponse } from '../../src/handler/response.ts';
import { connectHandlerInStages, type StageTwo } from '../../src/handler/stage-one.ts';
import { ON_THE_WIRE_CAP_MS } from '../../src/sources/early-reads.ts';

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };

/** The JSON lines the first stage writes (jsonLog writes to stdout). */
function captureLog(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return {
    lines: () => written.flatMap((text) => text.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('connectHandlerInStages: nothing the second stage does becomes an init error', () => {
  it.each([
    ['the second stage does not load', () => Promise.reject(new Error('stage two missing'))],
    ['its text does not compile', async () => evaluateStageTwo<StageTwo>('(function(require,module,exports){ this is not javascript', import.meta.url)],
    ['its start throws', async (): Promise<StageTwo> => ({ startConnectHandler: () => Promise.reject(new TypeError('wiring exploded')) })],
  ] as const)('%s: every connection is allowed, and the log says why', async (_case, loadStageTwo) => {
    const log = captureLog();
    try {
      const handler = await connectHandlerInStages({}, loadStageTwo);
      expect(await handler({ username: 'alice' }, undefined)).toEqual(ALLOW);
      expect(log.lines()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('connect handler init failed; connections are allowed without notifications') }));
    } finally {
      log.restore();
    }
  });

  it('evaluates the second stage after at most the cap when the reads cannot be written (a TLS handshake that never ends)', async () => {
    // A loopback server that takes the connection and never speaks TLS: the early reads' requests are never written.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const log = captureLog();
    const loaded = vi.fn(async (): Promise<StageTwo> => ({ startConnectHandler: async () => async () => allowResponse() }));
    try {
      const env = { AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_ENDPOINT_URL: endpoint, SLACK_TOKEN_SECRET_ID: 'arn:secret', SLACK_CHANNEL: 'C1' };
      const pending = connectHandlerInStages(env, loaded);
      await vi.waitFor(() => expect(sockets.length).toBe(2), { interval: 5 });
      expect(loaded).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(ON_THE_WIRE_CAP_MS);
      await pending;
      expect(loaded).toHaveBeenCalledTimes(1);
    } finally {
      log.restore();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
