// Robustness of the loader on 3334 random mutations of examples/hybrid (the three fuzz files make 10,000).
import { describe, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assertLoaderTotal } from './fuzz-helpers';

describe('loader fuzzing: examples/hybrid', () => {
  it('never throws and locates every problem', () => {
    const file = 'examples/hybrid/fleet.yaml';
    assertLoaderTotal(file, readFileSync(file, 'utf8'), 3334);
  });
});
