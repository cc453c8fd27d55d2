// Lookups several rules share are made once per evaluation (policies/rules/helpers.ts, the failure simulator), and the effective
// VMs the context judges are the ones the stacks render (fleet/effective-vm.ts makes them once per fleet).
import { describe, expect, it } from 'vitest';
import { effectiveVm } from '../../fleet/effective-vm';
import { buildContext } from '../../policies/context';
import { failureSimulator } from '../../policies/rules/failure-simulation';
import { findingsPer, migratable } from '../../policies/rules/helpers';
import { DEFAULT_THRESHOLDS } from '../../policies/thresholds';
import { fleet, kvmHost, migrationPool, pinned, vm } from './fixtures';

const hosts = [kvmHost('kvm-a1'), kvmHost('kvm-a2')];
const vms = [vm('web-1', { host: 'kvm-a1', migrationPool: 'mp' }), vm('web-2', { host: 'kvm-a2' }), vm('db-1', { host: 'kvm-a2', migrationPool: 'mp' })];
const f = fleet({ hosts, vms, migrationPools: [migrationPool('mp', ['kvm-a1', 'kvm-a2'])] });

describe('shared policy lookups', () => {
  it('lists the migratable VMs once per evaluation', () => {
    const ctx = buildContext(f, pinned(f), DEFAULT_THRESHOLDS);
    const first = migratable(ctx);
    expect(first.map((m) => `${m.judged.vm.name}@${m.pool.name}`)).toEqual(['web-1@mp', 'db-1@mp']);
    expect(migratable(ctx)).toBe(first);
    expect(migratable(buildContext(f, pinned(f), DEFAULT_THRESHOLDS))).not.toBe(first);
  });

  it('builds the failure simulator once per evaluation, not per placement object', () => {
    const placement = pinned(f);
    const ctx = buildContext(f, placement, DEFAULT_THRESHOLDS);
    const first = failureSimulator(ctx);
    expect(failureSimulator(ctx)).toBe(first);
    expect(first.hostNames()).toEqual(['kvm-a1', 'kvm-a2']);
    // A later evaluation of the same placement gets its own: the first one's dies with its evaluation.
    expect(failureSimulator(buildContext(f, placement, DEFAULT_THRESHOLDS))).not.toBe(first);
  });

  it('judges the effective VMs the stacks render: one object per fleet, VM and hypervisor', () => {
    const ctx = buildContext(f, pinned(f), DEFAULT_THRESHOLDS);
    for (const judged of ctx.judged) expect(judged.effective).toBe(effectiveVm(f, judged.vm, 'kvm'));
  });

  it('findingsPer keeps the parts at fault, in order, as flatMap, filter and map would', () => {
    const items = [{ name: 'a', parts: [1, 2, 3] }, { name: 'b', parts: [] }, { name: 'c', parts: [4] }];
    const odd = findingsPer(items, (i) => i.parts, (i, p) => (p % 2 === 1 ? { target: `${i.name}[${p}]`, message: 'odd' } : undefined));
    expect(odd).toEqual(items.flatMap((i) => i.parts.filter((p) => p % 2 === 1).map((p) => ({ target: `${i.name}[${p}]`, message: 'odd' }))));
    expect(odd.map((r) => r.target)).toEqual(['a[1]', 'a[3]']);
  });
});
