/** Failure simulation (planner/failure.ts, planner/simulate.ts): restarts, losses with reasons, reserves, sampling. */
import { describe, expect, it } from 'vitest';
import type { StoragePool } from '../../fleet/model';
import { FailureSimulator } from '../../planner/failure';
import { combinations, sampleSets, simulateFailures } from '../../planner/simulate';
import { fleet, GiB, host, pool, vm } from './fixtures';

const STORAGE: readonly StoragePool[] = [
  { name: 'nfs', type: 'netfs', source: 'nfs1:/export', path: '/var/lib/libvirt/nfs', shared: true },
  { name: 'local', type: 'dir', path: '/var/lib/libvirt/images', shared: false },
];
const shared = [{ sizeMiB: 20 * GiB, pool: 'nfs', data: false }];
const local = [{ sizeMiB: 20 * GiB, pool: 'local', data: false }];

/**
 * Two racks of two hosts (32 vCPUs, 128 GiB, nothing reserved), one migration pool over all four. k1 and
 * k4 are labelled sensitive. The placement is given, so the test is about the restarts only.
 */
const racks = fleet({
  hosts: [
    host('k1', { zone: 'rack-a', labels: { securityClass: 'sensitive' } }),
    host('k2', { zone: 'rack-a' }),
    host('k3', { zone: 'rack-b' }),
    host('k4', { zone: 'rack-b', labels: { securityClass: 'sensitive' } }),
  ],
  migrationPools: [pool('p', ['k1', 'k2', 'k3', 'k4'])],
  pools: STORAGE,
  vms: [
    vm('a1', { vcpus: 4, memoryMiB: 16 * GiB, antiAffinity: 'web', disks: shared }),
    vm('a2', { vcpus: 4, memoryMiB: 16 * GiB, antiAffinity: 'web', disks: shared }),
    vm('b', { vcpus: 4, memoryMiB: 8 * GiB, disks: shared }),
    vm('c', { vcpus: 2, memoryMiB: 16 * GiB, disks: shared }),
    vm('s', { vcpus: 2, memoryMiB: 4 * GiB, securityClass: 'sensitive', disks: shared }),
    vm('big', { vcpus: 8, memoryMiB: 120 * GiB, disks: shared }),
    vm('pinned', { vcpus: 1, memoryMiB: 1 * GiB, host: 'k2', disks: shared }),
    vm('stateful', { vcpus: 1, memoryMiB: 1 * GiB, disks: local }),
  ],
});
const placements = { a1: 'k1', s: 'k1', a2: 'k3', c: 'k4', b: 'k2', big: 'k2', pinned: 'k2', stateful: 'k2' };

describe('a rack failure', () => {
  const result = simulateFailures(racks, placements, { kind: 'zone', zone: 'rack-a' });
  if (!result.ok) throw new Error(result.problem);
  const [scenario] = result.simulation.scenarios;

  it('restarts exactly these VMs there: anti-affinity, security class and spread kept', () => {
    expect(scenario!.failed).toEqual(['k1', 'k2']);
    // Largest first: big (120 GiB) fits neither k3 nor k4 (16 GiB taken each); a1 avoids k3 (a2 of group
    // web runs there); b goes to the emptier of k3 and k4 (then 32 GiB); s only to a host labelled sensitive.
    expect(scenario!.restarted).toEqual([
      { vm: 'a1', from: 'k1', to: 'k4' },
      { vm: 'b', from: 'k2', to: 'k3' },
      { vm: 's', from: 'k1', to: 'k4' },
    ]);
    expect(result.simulation.worst).toEqual({ failed: ['k1', 'k2'], lost: 3 });
  });

  it('says why each lost VM found no host: the filter that removed each, hosts grouped', () => {
    const lost = Object.fromEntries(scenario!.lost.map((l) => [l.vm, l.reasons]));
    expect(Object.keys(lost)).toEqual(['big', 'pinned', 'stateful']);
    // The free memory differs per host, so each gets its own line; the failed hosts come last.
    expect(lost.big).toEqual([
      expect.stringMatching(/^capacity: needs 123\d{3} MiB memory .* \(1 host: k3\)$/),
      expect.stringMatching(/^capacity: .* \(1 host: k4\)$/),
      'host failed (2 hosts: k1, k2)',
    ]);
    expect(lost.pinned).toEqual(['pinned: VM is pinned to k2 (2 hosts: k3, k4)', 'host failed (2 hosts: k1, k2)']);
    expect(lost.stateful).toEqual(['storage: disk 0 is on host-local pool local, whose data stays on the failed host']);
  });

  it('reports the capacity left on the hosts that took restarts', () => {
    expect(scenario!.hosts.map((h) => [h.name, h.cpu.used, h.cpu.capacity])).toEqual([
      ['k3', 8, 32],
      ['k4', 8, 32],
    ]);
    expect(scenario!.spare.cpu).toBe(64 - 16);
  });

  it('leaves the simulator as it was: the same scenario twice, and other scenarios unaffected', () => {
    const simulator = new FailureSimulator(racks, placements);
    const first = simulator.run(['k1', 'k2']);
    simulator.run(['k3']);
    expect(simulator.run(['k1', 'k2'])).toEqual(first);
    expect(first).toEqual(scenario);
  });

  it('rejects an unknown zone or host, and any:N outside 1 … hosts − 1', () => {
    expect(simulateFailures(racks, placements, { kind: 'zone', zone: 'rack-z' })).toEqual({ ok: false, problem: 'no host is in zone rack-z (zones: rack-a, rack-b)' });
    expect(simulateFailures(racks, placements, { kind: 'host', host: 'k9' })).toEqual({ ok: false, problem: 'no host named k9 in the fleet' });
    expect(simulateFailures(racks, placements, { kind: 'any', size: 4 }).ok).toBe(false);
    // No "from 1 to -1" for a fleet too small for any failure set.
    expect(simulateFailures(fleet({ hosts: [host('k1')] }), {}, { kind: 'any', size: 1 })).toEqual({
      ok: false, problem: 'any:1 takes hosts away and keeps at least one, so it needs a fleet of 2 or more hosts (this one has 1)',
    });
  });
});

describe('reserve promises', () => {
  // Three hosts with n+1: each VM takes 100 GiB of 128, so losing any host leaves its VM nowhere.
  const tight = fleet({
    hosts: [host('k1'), host('k2'), host('k3')],
    migrationPools: [pool('p', ['k1', 'k2', 'k3'], { reserve: 'n+1' })],
    pools: STORAGE,
    vms: ['v1', 'v2', 'v3'].map((name) => vm(name, { vcpus: 4, memoryMiB: 100 * GiB, migrationPool: 'p', disks: shared })),
  });
  const spread = { v1: 'k1', v2: 'k2', v3: 'k3' };

  it('marks a single-host failure of an n+1 pool that loses a VM as broken', () => {
    const result = simulateFailures(tight, spread, { kind: 'host', host: 'k2' });
    expect(result.ok && result.simulation.scenarios[0]!.broken).toEqual([{ pool: 'p', reserve: 'n+1', lost: ['v2'] }]);
  });

  it('does not hold an n+1 pool to a two-host failure', () => {
    const result = simulateFailures(tight, spread, { kind: 'any', size: 2 });
    if (!result.ok) throw new Error(result.problem);
    expect(result.simulation.scenarios.map((s) => [s.failed.join('+'), s.lost.length, s.broken.length])).toEqual([
      ['k1+k2', 2, 0],
      ['k1+k3', 2, 0],
      ['k2+k3', 2, 0],
    ]);
  });

  it('does not count a VM pinned to the failed host or with host-local data against the reserve', () => {
    const stuck = { ...tight, vms: [vm('v1', { vcpus: 4, memoryMiB: 100 * GiB, migrationPool: 'p', host: 'k1', disks: shared }), vm('v2', { migrationPool: 'p', disks: local })] };
    const result = simulateFailures(stuck, { v1: 'k1', v2: 'k1' }, { kind: 'host', host: 'k1' });
    if (!result.ok) throw new Error(result.problem);
    expect(result.simulation.scenarios[0]!.lost.map((l) => l.vm)).toEqual(['v1', 'v2']);
    expect(result.simulation.scenarios[0]!.broken).toEqual([]);
  });
});

describe('any:N', () => {
  const twenty = fleet({
    hosts: Array.from({ length: 20 }, (_, i) => host(`k${String(i).padStart(2, '0')}`)),
    pools: STORAGE,
    vms: Array.from({ length: 20 }, (_, i) => vm(`v${i}`, { disks: shared })),
  });
  const spread = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`v${i}`, `k${String(i).padStart(2, '0')}`]));

  it('enumerates every set up to the limit', () => {
    const result = simulateFailures(twenty, spread, { kind: 'any', size: 2 });
    if (!result.ok) throw new Error(result.problem);
    expect(result.simulation.scenarios).toHaveLength(combinations(20, 2));
    expect(result.simulation.sampling).toBeUndefined();
  });

  it('samples above the limit, the same sets for the same seed, and says so', () => {
    const options = { enumerationLimit: 100, samples: 30, seed: 7 };
    const run = () => {
      const result = simulateFailures(twenty, spread, { kind: 'any', size: 2 }, options);
      if (!result.ok) throw new Error(result.problem);
      return result.simulation;
    };
    const first = run();
    expect(first.sampling).toEqual({ sets: 190, samples: 30, seed: 7 });
    expect(run()).toEqual(first);
    const sets = first.scenarios.map((s) => s.failed.join('+'));
    expect(new Set(sets).size).toBe(30);
    expect(first.scenarios.every((s) => s.failed.length === 2 && s.failed[0]! < s.failed[1]!)).toBe(true);
    const other = simulateFailures(twenty, spread, { kind: 'any', size: 2 }, { ...options, seed: 8 });
    expect(other.ok && other.simulation.scenarios.map((s) => s.failed.join('+')).sort()).not.toEqual([...sets].sort());
  });

  it('draws distinct sorted sets, never more than exist', () => {
    expect(sampleSets(5, 2, 100, 1)).toHaveLength(10);
    expect(sampleSets(20, 3, 50, 3)).toEqual(sampleSets(20, 3, 50, 3));
    expect(combinations(1000, 2)).toBe(499_500);
  });
});

/**
 * A restart prefers the failed host's pool mates (they see its shared storage). The simulator judges the
 * mates first and the other hosts only when no mate admits the VM; these pin that this is the choice of
 * judging every candidate in name order: a mate that admits the VM wins over any other host, whatever
 * the scores, and without one the best-scoring other host (the first in name order among equals).
 */
describe('where a VM outside any pool restarts', () => {
  const hosts = [host('k1'), host('k2'), host('k3'), host('k4')];
  const mates = [pool('p', ['k1', 'k2'])];
  const x = vm('x', { vcpus: 4, memoryMiB: 16 * GiB, disks: shared });

  it('on an admitting pool mate of the failed host, though emptier other hosts score higher under spread', () => {
    const filler = vm('filler', { vcpus: 20, memoryMiB: 100 * GiB, disks: shared });
    const f = fleet({ hosts, migrationPools: mates, pools: STORAGE, vms: [x, filler] });
    const scenario = new FailureSimulator(f, { x: 'k1', filler: 'k2' }).run(['k1']);
    expect(scenario.restarted).toEqual([{ vm: 'x', from: 'k1', to: 'k2' }]);
  });

  it('on the best-scoring other host when no mate admits it, the first in name order among equals', () => {
    const filler = vm('filler', { vcpus: 30, memoryMiB: 120 * GiB, disks: shared });
    const small = vm('small', { vcpus: 1, memoryMiB: 1 * GiB, disks: shared });
    const f = fleet({ hosts, migrationPools: mates, pools: STORAGE, vms: [x, filler, small] });
    // k2 (the mate) has no room; k3 carries a small VM, k4 none: spread picks k4.
    expect(new FailureSimulator(f, { x: 'k1', filler: 'k2', small: 'k3' }).run(['k1']).restarted).toEqual([{ vm: 'x', from: 'k1', to: 'k4' }]);
    // k3 and k4 equally empty: the first in name order.
    const even = fleet({ hosts, migrationPools: mates, pools: STORAGE, vms: [x, filler] });
    expect(new FailureSimulator(even, { x: 'k1', filler: 'k2' }).run(['k1']).restarted).toEqual([{ vm: 'x', from: 'k1', to: 'k3' }]);
  });
});
