/** Table-driven rule tests: each rule of a pack gets a compliant, a non-compliant and a not-applicable fleet. */
import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../fleet/model';
import type { Placement } from '../../planner/types';
import { RULES } from '../../policies/registry';
import { pinned, run } from './fixtures';

export type Scenario = Fleet | { readonly fleet: Fleet; readonly placement: Placement };

export interface RuleCase {
  readonly compliant: Scenario;
  readonly nonCompliant: Scenario;
  /** Targets the non-compliant fleet must be reported on (exactly these). */
  readonly targets: readonly string[];
  /** Text the first message must contain (the value found, or the fix). */
  readonly mentions?: readonly string[];
  readonly notApplicable: Scenario;
}

function unpack(s: Scenario): [Fleet, Placement] {
  return 'fleet' in s && 'placement' in s ? [s.fleet, s.placement] : [s as Fleet, pinned(s as Fleet)];
}

export function ruleTable(pack: string, cases: Readonly<Record<string, RuleCase>>): void {
  const rules = RULES.filter((r) => r.pack === pack);
  describe(`${pack} pack`, () => {
    it('has a case for every rule and no case for a missing rule', () => {
      expect(Object.keys(cases).sort()).toEqual(rules.map((r) => r.id).sort());
    });
    for (const rule of rules) {
      const c = cases[rule.id];
      if (!c) continue;
      describe(rule.id, () => {
        it('passes a compliant fleet', () => {
          expect(run(rule, ...unpack(c.compliant))).toEqual([]);
        });
        it('reports a non-compliant fleet', () => {
          const results = run(rule, ...unpack(c.nonCompliant));
          expect(results.map((r) => r.target).sort()).toEqual([...c.targets].sort());
          for (const text of c.mentions ?? []) expect(results[0]?.message).toContain(text);
        });
        it('ignores a fleet it does not apply to', () => {
          expect(run(rule, ...unpack(c.notApplicable))).toEqual([]);
        });
      });
    }
  });
}
