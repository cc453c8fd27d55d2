import { describe, expect, it } from 'vitest';
import { place, plan } from '../../planner/plan';
import { lowerBound } from '../../planner/lower-bound';
import { headroom } from '../../planner/headroom';
import { fleet, GiB, host, pool, vm } from './fixtures';

const kvm = (name: string, cpus = 16, memoryMiB = 32 * GiB) => host(name, { cpus, memoryMiB });

describe('plan', () => {
  it('spreads by default and reports usage per host', () => {
    const f = fleet({ hosts: [kvm('kvm-1'), kvm('kvm-2')], vms: [vm('a'), vm('b')] });
    const result = plan(f);
    expect(result.placements).toEqual({ a: 'kvm-1', b: 'kvm-2' });
    expect(result.hosts[0]).toEqual({ name: 'kvm-1', cpu: { used: 2, capacity: 16 }, memoryMiB: { used: 4 * GiB + 88, capacity: 32 * GiB } });
    expect(result.unplaced).toEqual([]);
    expect(result.hostsUsed).toBe(2);
  });

  it('packs onto as few hosts as it can', () => {
    const f = fleet({ hosts: [kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3')], vms: ['a', 'b', 'c', 'd'].map((n) => vm(n)), strategy: 'pack' });
    const result = plan(f);
    expect(new Set(Object.values(result.placements)).size).toBe(1);
    expect(result.lowerBound).toBe(1);
  });

  it('computes the lower bound only in plan(): place() gives the same placement without it', () => {
    const f = fleet({ hosts: [kvm('kvm-1'), kvm('kvm-2', 4)], vms: ['a', 'b', 'c'].map((n) => vm(n, { vcpus: 4 })), strategy: 'pack' });
    const placed = place(f);
    const planned = plan(f);
    expect('lowerBound' in placed).toBe(false);
    expect(planned.lowerBound).toBe(lowerBound(f));
    const { lowerBound: _bound, ...rest } = planned;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(placed));
    expect(Object.keys(planned)).toEqual(['placements', 'unplaced', 'moves', 'hosts', 'pools', 'hostsUsed', 'lowerBound']);
  });

  it('lists, per host, the filter that removed it for an unplaceable VM', () => {
    const f = fleet({ hosts: [kvm('kvm-1', 2), host('xen-1')], vms: [vm('big', { vcpus: 4, hypervisor: 'kvm' })] });
    expect(plan(f).unplaced).toEqual([
      { vm: 'big', reasons: { 'kvm-1': 'capacity: needs 4 vCPUs, 2 of 2 free', 'xen-1': 'hypervisor: VM needs kvm, host runs xen' } },
    ]);
  });

  it('keeps hard affinity groups together and anti-affinity groups apart', () => {
    const f = fleet({
      hosts: [kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3')],
      vms: [vm('a1', { affinity: 'a' }), vm('a2', { affinity: 'a' }), vm('a3', { affinity: 'a' }), vm('w1', { antiAffinity: 'w' }), vm('w2', { antiAffinity: 'w' }), vm('w3', { antiAffinity: 'w' })],
      strategy: 'pack',
    });
    const p = plan(f).placements;
    expect(new Set([p.a1, p.a2, p.a3]).size).toBe(1);
    expect(new Set([p.w1, p.w2, p.w3]).size).toBe(3);
  });

  it('keeps a soft anti-affinity member away from the hard members of its group, also after local search', () => {
    const f = fleet({
      hosts: [host('kvm-1'), host('kvm-2')],
      vms: [
        vm('db', { vcpus: 8, memoryMiB: 32 * GiB }),
        vm('web-1', { antiAffinity: 'web' }),
        vm('web-2', { softAntiAffinity: 'web' }),
      ],
    });
    const { placements } = plan(f);
    expect(placements['web-2']).not.toBe(placements['web-1']);
  });

  it('spreads an anti-affinity group over zones when it can, soft members around the hard ones', () => {
    const f = fleet({
      hosts: [host('kvm-1', { zone: 'rack-a' }), host('kvm-2', { zone: 'rack-a' }), host('kvm-3', { zone: 'rack-b' })],
      vms: [
        vm('db', { vcpus: 8, memoryMiB: 32 * GiB }),
        vm('api', { vcpus: 8, memoryMiB: 16 * GiB, softAntiAffinity: 'web' }),
        vm('web-1', { antiAffinity: 'web' }),
        vm('web-2', { antiAffinity: 'web' }),
      ],
    });
    const { placements } = plan(f);
    const zoneOf = (name: string) => f.hosts.find((h) => h.name === placements[name])!.zone;
    expect(new Set([zoneOf('web-1'), zoneOf('web-2')]).size).toBe(2);
    expect(new Set([placements['web-1'], placements['web-2'], placements.api]).size).toBe(3);
  });

  it('gives an isolated VM a host of its own', () => {
    const f = fleet({ hosts: [kvm('kvm-1'), kvm('kvm-2')], vms: [vm('i', { securityClass: 'isolated' }), vm('a'), vm('b')], strategy: 'pack' });
    const p = plan(f).placements;
    expect(p.a).toBe(p.b);
    expect(p.i).not.toBe(p.a);
  });
});

describe('plan with a lock file', () => {
  const hosts = [kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3')];
  const vms = [vm('a'), vm('b'), vm('c')];

  it('keeps valid locked placements even against the strategy', () => {
    const lock = { version: 1 as const, placements: { a: 'kvm-3', b: 'kvm-3', c: 'kvm-3' } };
    const result = plan(fleet({ hosts, vms }), lock);
    expect(result.placements).toEqual({ a: 'kvm-3', b: 'kvm-3', c: 'kvm-3' });
    expect(result.moves).toEqual([]);
  });

  it('moves only the VMs of a removed host, each with the reason', () => {
    const lock = { version: 1 as const, placements: { a: 'kvm-1', b: 'kvm-2', c: 'kvm-3' } };
    const result = plan(fleet({ hosts: hosts.slice(0, 2), vms }), lock);
    expect(result.placements.a).toBe('kvm-1');
    expect(result.placements.b).toBe('kvm-2');
    expect(result.moves).toEqual([{ vm: 'c', from: 'kvm-3', to: result.placements.c, reason: 'host kvm-3 no longer in the fleet' }]);
  });

  it('moves a VM pinned elsewhere, and one that outgrew its host', () => {
    const lock = { version: 1 as const, placements: { a: 'kvm-1', b: 'kvm-1', c: 'kvm-2' } };
    const f = fleet({ hosts, vms: [vm('a', { host: 'kvm-3' }), vm('b', { memoryMiB: 30 * GiB }), vm('c')] });
    const result = plan(f, lock);
    expect(result.moves).toEqual([{ vm: 'a', from: 'kvm-1', to: 'kvm-3', reason: 'pinned: VM is pinned to kvm-3' }]);
    const resized = plan(fleet({ hosts, vms: [vm('a'), vm('b', { memoryMiB: 30 * GiB }), vm('c', { memoryMiB: 4 * GiB })] }), {
      version: 1,
      placements: { a: 'kvm-1', b: 'kvm-1', c: 'kvm-2' },
    });
    expect(resized.moves).toEqual([{ vm: 'b', from: 'kvm-1', to: resized.placements.b, reason: 'capacity: needs 30962 MiB memory (242 MiB of it per-guest QEMU overhead), 28584 of 32768 MiB free' }]);
  });
});

describe('migration-pool headroom', () => {
  const members = ['kvm-1', 'kvm-2', 'kvm-3'];
  const hosts = members.map((n) => kvm(n, 16, 32 * GiB));
  const migrationPools = [pool('p', members, { reserve: 'n+1', sharedStorage: 'nfs' })];

  it('keeps n+1 by leaving VMs unplaced rather than filling the pool', () => {
    // 3 hosts × 32 GiB; n+1 leaves room for 2 hosts' worth: 16 VMs of 4 GiB with their QEMU overhead
    // (4008 MiB + 88 MiB), not 24.
    const vms = Array.from({ length: 20 }, (_, i) => vm(`v${String(i).padStart(2, '0')}`, { migrationPool: 'p', memoryMiB: 4008 }));
    const result = plan(fleet({ hosts, vms, migrationPools, strategy: 'pack' }));
    expect(result.pools).toHaveLength(1);
    expect(result.pools[0]!.satisfied).toBe(true);
    expect(Object.keys(result.placements)).toHaveLength(16);
    expect(Object.values(result.unplaced[0]!.reasons)).toContain('headroom: migration pool p would lose its n+1 headroom');
    expect(headroom(fleet({ hosts, vms, migrationPools }), result.placements)[0]!.satisfied).toBe(true);
  });

  it('reports the worst case and the spare left', () => {
    const vms = [vm('a', { migrationPool: 'p', memoryMiB: 8 * GiB }), vm('b', { migrationPool: 'p' })];
    const [p] = headroom(fleet({ hosts, vms, migrationPools }), { a: 'kvm-1', b: 'kvm-2' });
    expect(p).toEqual({ name: 'p', reserve: 'n+1', satisfied: true, worstCase: ['kvm-1'], spare: { cpu: 28, memoryMiB: 52 * GiB - 96 - 88 } });
  });

  it('counts hugepage pools when it re-places a failed host\'s VMs', () => {
    // A hugepage-backed guest can only restart where a pool of its page size has room (its memory never
    // comes from the regular, overcommittable share).
    const pooled = (name: string, count: number) => host(name, { cpus: 16, memoryMiB: 32 * GiB, hugepages: { sizeKiB: 2048, count } });
    const vms = [vm('hp', { migrationPool: 'p', hugepages: true, memoryMiB: 4 * GiB })];
    const placed = { hp: 'kvm-1' };
    const withoutRoom = headroom(fleet({ hosts: [pooled('kvm-1', 2048), pooled('kvm-2', 1024), pooled('kvm-3', 1024)], vms, migrationPools }), placed);
    expect(withoutRoom[0]!.satisfied).toBe(false);
    const withRoom = headroom(fleet({ hosts: [pooled('kvm-1', 2048), pooled('kvm-2', 2048), pooled('kvm-3', 1024)], vms, migrationPools }), placed);
    expect(withRoom[0]!.satisfied).toBe(true);
  });

  it('n+2 considers every pair of hosts', () => {
    const [p] = headroom(fleet({ hosts, vms: [vm('a', { migrationPool: 'p' })], migrationPools: [{ ...migrationPools[0]!, reserve: 'n+2' }] }), { a: 'kvm-1' });
    expect(p!.satisfied).toBe(true);
    expect(p!.worstCase).toEqual(['kvm-1', 'kvm-2']);
  });
});

describe('lowerBound', () => {
  it('counts the largest hosts needed per resource and kind', () => {
    const f = fleet({
      hosts: [kvm('kvm-1', 16, 64 * GiB), kvm('kvm-2', 16, 32 * GiB), host('xen-1', { cpus: 64, memoryMiB: 64 * GiB })],
      vms: [vm('a', { hypervisor: 'kvm', memoryMiB: 60 * GiB }), vm('b', { hypervisor: 'kvm', memoryMiB: 20 * GiB })],
    });
    expect(lowerBound(f)).toBe(2);
  });
  it('counts the hosts a migration pool needs for the VMs bound to it', () => {
    const small = (name: string) => kvm(name, 8, 32 * GiB);
    const f = fleet({
      hosts: [kvm('kvm-1', 64, 256 * GiB), small('kvm-2'), small('kvm-3'), small('kvm-4')],
      migrationPools: [pool('small', ['kvm-2', 'kvm-3', 'kvm-4'])],
      vms: [vm('a', { vcpus: 8, migrationPool: 'small' }), vm('b', { vcpus: 8, migrationPool: 'small' }), vm('c', { vcpus: 32 })],
    });
    // Volume alone fits all 48 vCPUs on kvm-1; a and b can only use the 8-vCPU pool hosts, one each.
    expect(lowerBound(f)).toBe(3);
    expect(plan(f).hostsUsed).toBe(3);
  });
  it('counts isolated VMs as a host each', () => {
    const f = fleet({ hosts: [kvm('kvm-1'), kvm('kvm-2'), kvm('kvm-3')], vms: [vm('i', { securityClass: 'isolated' }), vm('j', { securityClass: 'isolated' }), vm('a')] });
    expect(lowerBound(f)).toBe(3);
  });
});

describe('NUMA and hugepages', () => {
  it('leaves a strict NUMA VM larger than any physical node unplaced, whatever the overcommit', () => {
    // libvirt binds a strict guest's memory to its node (formatdomain "NUMA Node Tuning"); Nova never lets
    // an instance overcommit against itself on a cell (nova/virt/hardware.py _numa_fit_instance_cell).
    const twoNodes = host('kvm-1', {
      cpus: 64, memoryMiB: 256 * GiB, overcommit: { cpu: 4, memory: 1.5 },
      numaNodes: [{ cpus: 32, memoryMiB: 128 * GiB }, { cpus: 32, memoryMiB: 128 * GiB }],
    });
    const result = plan(fleet({ hosts: [twoNodes], vms: [vm('big', { numa: 'strict', vcpus: 8, memoryMiB: 150 * GiB }), vm('fits', { numa: 'strict', vcpus: 32, memoryMiB: 120 * GiB })] }));
    expect(result.placements).toEqual({ fits: 'kvm-1' });
    expect(result.unplaced).toEqual([
      { vm: 'big', reasons: { 'kvm-1': 'numa: strict NUMA VM (8 vCPUs, 153600 MiB) does not fit one node (32 physical CPUs, 131072 MiB)' } },
    ]);
  });

  it('takes hugepage-backed memory from the host pool, never overcommitted, page size as asked', () => {
    // hugetlbfs pages are reserved whole and never shared or swapped (kernel admin-guide/mm/hugetlbpage.rst).
    const pooled = host('kvm-1', { cpus: 64, memoryMiB: 128 * GiB, overcommit: { cpu: 4, memory: 2 }, hugepages: { sizeKiB: 2048, count: 16 * 512 } });
    const result = plan(fleet({
      hosts: [pooled, host('kvm-2', { cpus: 64, memoryMiB: 128 * GiB })],
      vms: [
        vm('hp-1', { host: 'kvm-1', hugepages: true, memoryMiB: 12 * GiB }),
        vm('hp-2', { host: 'kvm-1', hugepages: true, memoryMiB: 8 * GiB }),
        vm('hp-1g', { hugepages: true, hugepageSizeKiB: 1024 * 1024, memoryMiB: 1 * GiB }),
      ],
    }));
    expect(result.placements).toEqual({ 'hp-1': 'kvm-1' });
    expect(result.unplaced).toEqual([
      { vm: 'hp-1g', reasons: {
        'kvm-1': "hugepages: VM needs 1048576 KiB hugepages, host's pool has 2048 KiB pages",
        'kvm-2': 'hugepages: hugepage-backed VM needs a host with a hugepage pool (hosts[].hugepages); host declares none',
      } },
      { vm: 'hp-2', reasons: { 'kvm-1': "hugepages: needs 8192 MiB of hugepages, 4096 of 16384 MiB of the host's pool free", 'kvm-2': 'pinned: VM is pinned to kvm-1' } },
    ]);
    // Regular capacity: (128 GiB − 16 GiB pool) × 2; hp-1 takes only its QEMU overhead from it.
    expect(result.hosts[0]!.memoryMiB).toEqual({ used: 64 + 24 + 16, capacity: 224 * GiB });
    expect(result.hosts[0]!.hugepageMiB).toEqual({ used: 12 * GiB, capacity: 16 * GiB });
    expect(result.hosts[1]!.hugepageMiB).toBeUndefined();
  });
});
