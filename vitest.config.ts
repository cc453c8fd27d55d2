import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The consumer test packs and installs the package (3–5 minutes): `npm run test:package`, a step of .ci/run.
    exclude: [...configDefaults.exclude, 'test/package/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
