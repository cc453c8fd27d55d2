/** The synth-level fuzz as a test body: CASES cases per example (HYPERPLAN_FUZZ_CASES for longer local runs). */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fuzzCase, fuzzDir, verdicts } from './synth-fuzz';

/** Cases per example in CI: three examples make 2,100. */
export const CI_CASES_PER_EXAMPLE = 700;
const SEED = Number(process.env.HYPERPLAN_FUZZ_SEED ?? 21);

export function casesPerExample(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const given = env.HYPERPLAN_FUZZ_CASES;
  return given === undefined ? CI_CASES_PER_EXAMPLE : Math.max(1, Number.parseInt(given, 10) || CI_CASES_PER_EXAMPLE);
}

/** Runs every case of `example`; fails with each bad case's edits, text and output. */
export async function fuzzExample(example: 'hybrid' | 'kvm' | 'xen'): Promise<void> {
  const text = readFileSync(`examples/${example}/fleet.yaml`, 'utf8');
  const { dir, cleanup } = fuzzDir();
  const failures: string[] = [];
  const codes: Record<string, number> = {};
  try {
    const count = casesPerExample();
    for (let index = 0; index < count; index += 1) {
      const c = fuzzCase(text, SEED, index);
      const v = await verdicts(c.text, dir);
      codes[String(v.check)] = (codes[String(v.check)] ?? 0) + 1;
      if (v.problems.length > 0) {
        failures.push(`case ${example}/${SEED}/${index}: ${c.edits.join('; ')}\n${v.problems.join('\n')}\n${c.text}\n${v.output}`);
        if (failures.length >= 3) break;
      }
    }
  } finally {
    cleanup();
  }
  expect(failures).toEqual([]);
  // The mutations must reach every verdict, or part of the property is idle.
  expect(Object.keys(codes).sort()).toEqual(['0', '1', '2']);
}
