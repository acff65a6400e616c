import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests talk to loopback only: never let the SDK look for instance metadata credentials.
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration tests start moto_server and child processes; keep them from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
