// Robustness of the loader on 3333 random mutations of examples/kvm (the three fuzz files make 10,000).
import { describe, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assertLoaderTotal } from './fuzz-helpers';

describe('loader fuzzing: examples/kvm', () => {
  it('never throws and locates every problem', () => {
    const file = 'examples/kvm/fleet.yaml';
    assertLoaderTotal(file, readFileSync(file, 'utf8'), 3333);
  });
});
