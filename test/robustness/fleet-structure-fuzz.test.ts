/**
 * Structure-aware fuzz of the fleet loader: random fleets built from the contract's own keys (walked
 * from the zod schema, so new keys are fuzzed as soon as they exist) with plausible, borderline and
 * wrong values, written as YAML, flow YAML or JSON. Text mutations (test/fleet) rarely get past the
 * YAML parser; these inputs reach validation, cross-checks, normalization and — when they happen to be
 * valid — the planner and the policy engine.
 *
 * Properties: the loader never throws and never hides a crash behind its catch-all; every problem has a
 * position inside the file (line ≥ 1, column ≥ 1); a fleet that loads can be planned and checked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFleetFromString } from '../../fleet/index';
import { plan } from '../../planner/plan';
import { evaluatePolicies } from '../../policies/index';
import { fleetText } from './fleet-arbitrary';
import { assertLocated } from './fuzz-helpers';
import { fuzzRuns } from '../support/fuzz-runs';

const FLEET_STRUCTURE_RUNS = fuzzRuns();

const FILES: Record<string, string> = {
  'secret.txt': 'fuzz-secret-from-file\n',
  'cloud-init/web.yaml': '#cloud-config\n',
};

const options = {
  env: { HP_FUZZ_SECRET: 'fuzz-secret-from-env' },
  readFile: (path: string): string => {
    const hit = Object.keys(FILES).find((name) => path.endsWith(`/${name}`));
    if (hit === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return FILES[hit]!;
  },
};

describe('fleet loader, structure-aware fuzz', () => {
  it(`survives ${FLEET_STRUCTURE_RUNS} generated fleets; every problem is located; loaded fleets plan and check`, () => {
    let loaded = 0;
    fc.assert(
      fc.property(fleetText, (text) => {
        const result = loadFleetFromString(text, '/fuzz/fleet.yaml', options);
        if (!result.ok) {
          assertLocated(result.problems, text, '/fuzz/fleet.yaml');
          return;
        }
        loaded += 1;
        const placement = plan(result.fleet);
        evaluatePolicies(result.fleet, placement);
      }),
      { seed: 4242, numRuns: FLEET_STRUCTURE_RUNS },
    );
    // The generator must reach past validation sometimes, or the planner half of the property is idle.
    expect(loaded).toBeGreaterThan(0);
  });
});
