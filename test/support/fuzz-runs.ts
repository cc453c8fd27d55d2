/**
 * How many inputs a fuzz property draws. By default DEFAULT_FUZZ_RUNS (the floor every loader gets,
 * CI included), so `npm test` stays fast on two cores; HYPERPLAN_FUZZ_RUNS=N sets another count for
 * longer local runs (like HYPERPLAN_FUZZ_CASES for the synth fuzz). Under CI a count below the floor is
 * raised to it: no loader is ever fuzzed with fewer than 1,000 inputs there.
 */
import { IN_CI } from './shared';

export const DEFAULT_FUZZ_RUNS = 1_000;

export function fuzzRuns(env: Readonly<Record<string, string | undefined>> = process.env, inCi: boolean = IN_CI): number {
  const given = Number.parseInt(env.HYPERPLAN_FUZZ_RUNS ?? '', 10);
  const runs = Number.isFinite(given) && given > 0 ? given : DEFAULT_FUZZ_RUNS;
  return inCi ? Math.max(runs, DEFAULT_FUZZ_RUNS) : runs;
}
