/** Outside data skips only off CI: under CI a missing ../shared path fails instead of skipping. */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('sharedPath', () => {
  it('skips (undefined, with a warning) outside CI', async () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { sharedPath } = await import('./shared');
    expect(sharedPath('no/such/thing', 'the test is')).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no/such/thing not found: the test is SKIPPED'));
    warn.mockRestore();
  });

  it('throws under CI', async () => {
    vi.stubEnv('CI', 'true');
    const { sharedPath } = await import('./shared');
    expect(() => sharedPath('no/such/thing', 'the test is')).toThrow(/no\/such\/thing not found, and CI is set/);
  });
});

describe('fuzzRuns', () => {
  it('defaults to 1,000, follows HYPERPLAN_FUZZ_RUNS, and never goes below 1,000 under CI', async () => {
    const { fuzzRuns } = await import('./fuzz-runs');
    expect(fuzzRuns({}, false)).toBe(1_000);
    expect(fuzzRuns({ HYPERPLAN_FUZZ_RUNS: '10000' }, true)).toBe(10_000);
    expect(fuzzRuns({ HYPERPLAN_FUZZ_RUNS: '50' }, false)).toBe(50);
    expect(fuzzRuns({ HYPERPLAN_FUZZ_RUNS: '50' }, true)).toBe(1_000);
    expect(fuzzRuns({ HYPERPLAN_FUZZ_RUNS: 'many' }, false)).toBe(1_000);
  });
});
