// Robustness of the loader on random mutations of examples/hybrid: fuzzRuns() of them (1,000 by default and
// at least that in CI; HYPERPLAN_FUZZ_RUNS for more).
import { describe, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assertLoaderTotal } from './fuzz-helpers';
import { fuzzRuns } from '../support/fuzz-runs';

describe('loader fuzzing: examples/hybrid', () => {
  it('never throws and locates every problem', () => {
    const file = 'examples/hybrid/fleet.yaml';
    assertLoaderTotal(file, readFileSync(file, 'utf8'), fuzzRuns());
  });
});
