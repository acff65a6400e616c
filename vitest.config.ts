import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration tests start moto_server and child processes; keep them from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
