// Synth-level fuzz of examples/hybrid (issue 21): check and synth give one verdict, never a crash.
import { describe, it } from 'vitest';
import { casesPerExample, fuzzExample } from './synth-fuzz-cases';

describe('synth-level fuzz: examples/hybrid', () => {
  it(`${casesPerExample()} mutated fleets: check and synth agree, never exit 70, every exit-2 message located`, async () => {
    await fuzzExample('hybrid');
  }, 600_000);
});
