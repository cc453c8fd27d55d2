import { describe, expect, it } from 'vitest';
import type { Fleet, PlacementStrategy } from '../../fleet/model';
import { buildContext } from '../../planner/context';
import { Ledger } from '../../planner/ledger';
import {
  balanceWeigher, softAntiAffinityWeigher, stickinessWeigher, strategyWeigher, totalScore, type Weigher, WEIGHERS,
} from '../../planner/weighers';
import { fleet, GiB, host, vm } from './fixtures';

function score(f: Fleet, weigher: Weigher, vmName: string, hostName: string, placed: Record<string, string> = {}, options: { strategy?: PlacementStrategy; locked?: Record<string, string> } = {}) {
  const ctx = buildContext(f, options);
  const ledger = new Ledger(ctx);
  for (const [v, h] of Object.entries(placed)) ledger.assign(ctx.vmIndex.get(v)!, ctx.hostIndex.get(h)!);
  return weigher.score(ctx, ledger, ctx.vms[ctx.vmIndex.get(vmName)!]!, ctx.hosts[ctx.hostIndex.get(hostName)!]!);
}

const f = fleet({
  hosts: [host('kvm-1', { cpus: 10, memoryMiB: 10 * GiB }), host('kvm-2', { cpus: 20, memoryMiB: 20 * GiB })],
  vms: [vm('a', { vcpus: 5, memoryMiB: 1 * GiB, softAntiAffinity: 's' }), vm('b', { vcpus: 1, memoryMiB: 1 * GiB, softAntiAffinity: 's' })],
});

describe('weighers', () => {
  it('stickiness is 1 on the locked host only', () => {
    expect(score(f, stickinessWeigher, 'a', 'kvm-2', {}, { locked: { a: 'kvm-2' } })).toBe(1);
    expect(score(f, stickinessWeigher, 'a', 'kvm-1', {}, { locked: { a: 'kvm-2' } })).toBe(0);
  });
  it('spread prefers the emptier host after placement', () => {
    expect(score(f, strategyWeigher, 'a', 'kvm-1', {}, { strategy: 'spread' })).toBeCloseTo(0.5);
    expect(score(f, strategyWeigher, 'a', 'kvm-2', {}, { strategy: 'spread' })).toBeCloseTo(0.75);
  });
  it('pack scores a used host by the VM demand · free room, and prefers larger hosts among empty ones', () => {
    // a = 5/10 CPU and 1/10 memory of kvm-1; free room with b there: 9/10 of each.
    expect(score(f, strategyWeigher, 'a', 'kvm-1', { b: 'kvm-1' }, { strategy: 'pack' })).toBeCloseTo((0.5 * 0.9 + 0.1 * 0.9) / 2);
    const emptySmall = score(f, strategyWeigher, 'a', 'kvm-1', {}, { strategy: 'pack' });
    const emptyLarge = score(f, strategyWeigher, 'a', 'kvm-2', {}, { strategy: 'pack' });
    expect(emptySmall).toBeLessThan(0);
    expect(emptyLarge).toBeGreaterThan(emptySmall);
  });
  it('pack sends a VM where its heavier resource is left, and isolated VMs to the smallest empty host', () => {
    const g = fleet({
      hosts: [host('kvm-1', { cpus: 20, memoryMiB: 20 * GiB }), host('kvm-2', { cpus: 20, memoryMiB: 20 * GiB }), host('kvm-3', { cpus: 40, memoryMiB: 40 * GiB })],
      vms: [
        vm('cpu-heavy', { vcpus: 10, memoryMiB: 1 * GiB }),
        vm('memory-heavy', { vcpus: 1, memoryMiB: 10 * GiB }),
        vm('new', { vcpus: 4, memoryMiB: 1 * GiB }),
        vm('iso', { securityClass: 'isolated' }),
      ],
    });
    const placed = { 'cpu-heavy': 'kvm-1', 'memory-heavy': 'kvm-2' };
    const onCpuFull = score(g, strategyWeigher, 'new', 'kvm-1', placed, { strategy: 'pack' });
    const onMemoryFull = score(g, strategyWeigher, 'new', 'kvm-2', placed, { strategy: 'pack' });
    expect(onMemoryFull).toBeGreaterThan(onCpuFull);
    expect(score(g, strategyWeigher, 'iso', 'kvm-1', {}, { strategy: 'pack' })).toBeGreaterThan(score(g, strategyWeigher, 'iso', 'kvm-3', {}, { strategy: 'pack' }));
  });
  it('balance penalises CPU and memory filling unevenly', () => {
    // a: 5 of 10 CPUs against 1 GiB + 106 MiB QEMU overhead of 10 GiB; the gap times the fuller fill (CPU, 0.5).
    expect(score(f, balanceWeigher, 'a', 'kvm-1')).toBeCloseTo(-(0.5 - (1024 + 106) / 10240) * 0.5);
    // b: 1 of 10 CPUs against 1 GiB + 74 MiB of 10 GiB: nearly even (memory is the fuller one).
    expect(score(f, balanceWeigher, 'b', 'kvm-1')).toBeCloseTo(-((1024 + 74) / 10240 - 0.1) * ((1024 + 74) / 10240));
  });
  it('balance weighs the same gap more on a fuller host', () => {
    // a on kvm-1 after b (1 vCPU, 1 GiB + 74 MiB): CPU 6/10, memory (2 GiB + 180 MiB)/10 GiB.
    const memory = (2048 + 180) / 10240;
    expect(score(f, balanceWeigher, 'a', 'kvm-1', { b: 'kvm-1' })).toBeCloseTo(-(0.6 - memory) * 0.6);
    // The same VM on the twice as large, empty kvm-2 leaves half the gap at half the fill.
    expect(score(f, balanceWeigher, 'a', 'kvm-2')).toBeCloseTo(-(0.25 - (1024 + 106) / 20480) * 0.25);
  });
  it('soft anti-affinity counts group members on the host', () => {
    expect(score(f, softAntiAffinityWeigher, 'a', 'kvm-1', { b: 'kvm-1' })).toBe(-1);
    expect(score(f, softAntiAffinityWeigher, 'a', 'kvm-2', { b: 'kvm-1' })).toBe(-0);
  });
  it('totalScore equals the weighted sum over WEIGHERS', () => {
    for (const strategy of ['spread', 'pack'] as const) {
      const ctx = buildContext(f, { strategy, locked: { a: 'kvm-2' } });
      const ledger = new Ledger(ctx);
      ledger.assign(1, 0);
      for (const h of ctx.hosts) {
        const expected = WEIGHERS.reduce((sum, w) => sum + w.weight * w.score(ctx, ledger, ctx.vms[0]!, h), 0);
        expect(totalScore(ctx, ledger, ctx.vms[0]!, h)).toBeCloseTo(expected, 12);
      }
    }
  });
});
