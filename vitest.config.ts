import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The consumer test packs and installs the package (8–11 minutes here): `npm run test:package`, a step of .ci/run.
    exclude: [...configDefaults.exclude, 'test/package/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
