import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Audio tests spawn ffmpeg/sox; two cores on the reference machine.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
