import { defineConfig } from 'vitest/config';

/** `npm run test:package`: the consumer test (pack, install into an empty project, type-check, synthesize with both engines). */
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
