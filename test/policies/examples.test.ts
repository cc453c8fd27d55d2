import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../fleet/index';
import { plan } from '../../planner/index';
import { evaluatePolicies } from '../../policies/engine';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe.each(['kvm', 'xen', 'hybrid'])('examples/%s/fleet.yaml', (name) => {
  const file = `${ROOT}examples/${name}/fleet.yaml`;
  it('has no error findings', () => {
    const loaded = loadFleet(file, { env: { HYPERPLAN_EXAMPLE_PASSWORD: 'example' } });
    expect(loaded.ok, loaded.ok ? '' : loaded.problems.map((p) => p.message).join('\n')).toBe(true);
    if (!loaded.ok) return;
    const errors = evaluatePolicies(loaded.fleet, plan(loaded.fleet)).filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.ruleId} ${f.target}: ${f.message}`)).toEqual([]);
  });
});
