/**
 * YAML aliases found by the robustness fuzz: an alias without its anchor and an alias bomb made the
 * loaders throw (the policy loader) or report an internal error at 1:1 (the fleet loader).
 */
import { describe, expect, it } from 'vitest';
import { loadFleetFromString } from '../../fleet/index';
import { parsePolicyFile } from '../../policies/policy-file';

/** Nine levels of ten aliases each: 10^9 nodes if expanded. */
const ALIAS_BOMB = [
  'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
  ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  '',
].join('\n');

describe('YAML aliases', () => {
  it('an alias without an anchor is a located problem in the fleet file', () => {
    const result = loadFleetFromString('apiVersion: hyperplan/v1\nhosts: *missing\n', 'fleet.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(
      expect.objectContaining({ line: 2, column: 8, message: 'YAML: alias *missing has no anchor &missing before it' }),
    );
    expect(result.problems.every((p) => !p.message.startsWith('cannot load the fleet'))).toBe(true);
  });

  it('an alias without an anchor is a located problem in the policy file', () => {
    const result = parsePolicyFile('thresholds: { maxCpuOvercommit: *a1 }\n', 'hyperplan.policy.yaml');
    expect(result).toEqual({ ok: false, problems: ['hyperplan.policy.yaml:1:33: YAML: alias *a1 has no anchor &a1 before it'] });
  });

  it('an alias bomb is a problem, not an exception, in both loaders', () => {
    const fleet = loadFleetFromString(`apiVersion: hyperplan/v1\n${ALIAS_BOMB}`, 'fleet.yaml');
    expect(fleet.ok).toBe(false);
    const policy = parsePolicyFile(ALIAS_BOMB, 'hyperplan.policy.yaml');
    expect(policy.ok).toBe(false);
    if (!policy.ok) expect(policy.problems[0]).toMatch(/^hyperplan\.policy\.yaml:1:1: YAML: Excessive alias count/);
  });
});
