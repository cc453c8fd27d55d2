// Lookups several rules share are made once per evaluation (policies/rules/helpers.ts, the failure simulator), and the effective
// VMs the context judges are the ones the stacks render (fleet/effective-vm.ts makes them once per fleet).
import { describe, expect, it } from 'vitest';
import { effectiveVm } from '../../fleet/effective-vm';
import { buildContext } from '../../policies/context';
import { failureSimulator } from '../../policies/rules/failure-simulation';
import { findingsEach, findingsPer, migratable, NO_PARTS, singleZoneGroups } from '../../policies/rules/helpers';
import { DEFAULT_THRESHOLDS } from '../../policies/thresholds';
import { fleet, kvmHost, migrationPool, pinned, vm, xenHost } from './fixtures';

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
    // An item a rule skips gives the one shared empty list, not a new one per item.
    expect(findingsPer(items, () => NO_PARTS, () => ({ target: 'never', message: 'never' }))).toEqual([]);
    expect(Object.isFrozen(NO_PARTS)).toBe(true);
  });

  it('findingsEach keeps the items at fault, in order, as filter and map would', () => {
    const items = [3, 4, 5, 6, 7];
    const odd = findingsEach(items, (n) => (n % 2 === 1 ? { target: `n[${n}]`, message: 'odd' } : undefined));
    expect(odd).toEqual(items.filter((n) => n % 2 === 1).map((n) => ({ target: `n[${n}]`, message: 'odd' })));
    expect(findingsEach([], () => ({ target: 'x', message: 'x' }))).toEqual([]);
  });

  it('lists the anti-affinity groups held in one zone once per evaluation, for both zone rules', () => {
    const zoned = fleet({
      hosts: [kvmHost('k1', { zone: 'a' }), kvmHost('k2', { zone: 'a' }), xenHost('x1', { zone: 'b' })],
      vms: [vm('w1', { host: 'k1', antiAffinity: 'web' }), vm('w2', { host: 'k2', antiAffinity: 'web' }), vm('d1', { host: 'k1', antiAffinity: 'db' }), vm('d2', { host: 'x1', antiAffinity: 'db' })],
    });
    const ctx = buildContext(zoned, pinned(zoned), DEFAULT_THRESHOLDS);
    const first = singleZoneGroups(ctx);
    expect(first.map((g) => `${g.group}@${g.zone}: ${g.members.map((j) => j.vm.name).join(', ')}`)).toEqual(['web@a: w1, w2']);
    expect(singleZoneGroups(ctx)).toBe(first);
    expect(singleZoneGroups(buildContext(zoned, pinned(zoned), DEFAULT_THRESHOLDS))).not.toBe(first);
  });
});
