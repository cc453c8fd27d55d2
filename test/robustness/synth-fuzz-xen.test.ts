// Synth-level fuzz of examples/xen (issue 21): check and synth give one verdict, never a crash.
import { describe, it } from 'vitest';
import { casesPerExample, fuzzExample } from './synth-fuzz-cases';

describe('synth-level fuzz: examples/xen', () => {
  it(`${casesPerExample()} mutated fleets: check and synth agree, never exit 70, every exit-2 message located`, async () => {
    await fuzzExample('xen');
  }, 600_000);
});
