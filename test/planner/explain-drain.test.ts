import { describe, expect, it } from 'vitest';
import { drain } from '../../planner/drain';
import { explain } from '../../planner/explain';
import { fleet, GiB, host, pool, vm } from './fixtures';

const hosts = [
  host('kvm-1', { cpus: 16, memoryMiB: 32 * GiB, cpuModel: 'EPYC' }),
  host('kvm-2', { cpus: 16, memoryMiB: 32 * GiB, cpuModel: 'EPYC' }),
  host('kvm-3', { cpus: 16, memoryMiB: 32 * GiB, cpuModel: 'Xeon' }),
  host('xen-1', { cpus: 16, memoryMiB: 32 * GiB }),
];
const migrationPools = [pool('shared', ['kvm-1', 'kvm-2'], { sharedStorage: 'nfs' }), pool('local', ['kvm-3'])];

describe('explain', () => {
  const f = fleet({ hosts, migrationPools, vms: [vm('web', { hypervisor: 'kvm', migrationPool: 'shared' })] });

  it('judges every host with every filter and scores the eligible ones', () => {
    const result = explain(f, 'web');
    if (!result.ok) throw new Error(result.problem);
    const e = result.explanation;
    expect(e.chosen).toBe('kvm-1');
    expect(e.hosts.map((h) => [h.host, h.eligible])).toEqual([['kvm-1', true], ['kvm-2', true], ['kvm-3', false], ['xen-1', false]]);
    expect(e.hosts[2]!.filters.find((x) => !x.pass)).toEqual({ filter: 'migration-pool', pass: false, reason: 'migration-pool: host is not a member of migration pool shared' });
    expect(e.hosts[0]!.weighers.map((w) => w.weigher)).toEqual(['stickiness', 'strategy', 'balance', 'soft-anti-affinity', 'zone-spread']);
    expect(e.hosts[3]!.weighers).toEqual([]);
  });

  it('shows where a Xen host\'s memory goes: Dom0, the hypervisor and its crash kernel', () => {
    // Xen hypervisor ~128 MB (XenServer 4.0.1 Installation Guide App. D "Xen Memory Usage"), crash kernel
    // crashkernel=256M (xenserver/host-installer backend.py); Dom0 derived as 1 GiB + 5% → 2816 MiB.
    const result = explain(f, 'web');
    if (!result.ok) throw new Error(result.problem);
    expect(result.explanation.hosts[3]!.memory).toEqual({
      totalMiB: 32 * GiB, reservedMiB: 2816, reservedFor: 'Dom0', hypervisorMiB: 384, hugepageMiB: 0, overcommit: 1, usableMiB: 32 * GiB - 2816 - 384,
    });
    expect(result.explanation.demand).toEqual({ vcpus: 2, memoryMiB: 4 * GiB, overheadMiB: 88, hugepageMiB: 0 });
  });

  it('notes a host with fewer physical CPUs for guests than the VM has vCPUs', () => {
    const wide = fleet({ hosts: [host('kvm-1', { cpus: 8, reserved: { cpus: 2, memoryMiB: 1024 } }), host('kvm-2', { cpus: 16 })], vms: [vm('wide', { vcpus: 8 })] });
    const result = explain(wide, 'wide');
    if (!result.ok) throw new Error(result.problem);
    expect(result.explanation.hosts[0]!.notes).toEqual([
      "VM has 8 vCPUs, more than the 6 physical CPUs host kvm-1 has for guests (8 less 2 for the host OS): its vCPUs would wait for each other's cores",
    ]);
    expect(result.explanation.hosts[1]!.notes).toEqual([]);
  });

  it('reports an unknown VM', () => {
    expect(explain(f, 'nope')).toEqual({ ok: false, problem: 'no VM named nope in the fleet' });
  });
});

describe('drain', () => {
  it('live-migrates within a shared-storage pool and explains the rest', () => {
    const f = fleet({
      hosts,
      migrationPools,
      vms: [
        vm('a', { host: undefined, migrationPool: 'shared' }),
        vm('b', { migrationPool: 'shared', hostdevs: ['0000:3b:00.0'] }),
        vm('c', { hypervisor: 'kvm' }),
        vm('d', { migrationPool: 'shared' }),
      ],
    });
    const lock = { version: 1 as const, placements: { a: 'kvm-1', b: 'kvm-1', c: 'kvm-1', d: 'kvm-2' } };
    const result = drain(f, 'kvm-1', lock);
    if (!result.ok) throw new Error(result.problem);
    expect(result.drain.steps).toEqual([
      { vm: 'a', to: 'kvm-2', command: 'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource a qemu+ssh://root@kvm-2/system' },
      { vm: 'b', to: 'kvm-2', reason: 'passes through PCI devices (0000:3b:00.0)' },
      { vm: 'c', to: 'kvm-3', reason: 'kvm-1 and kvm-3 share no migration pool' },
    ]);
  });

  it('refuses host-passthrough across differing CPU models, and says when a VM has nowhere to go', () => {
    const mixed = [pool('mixed', ['kvm-1', 'kvm-3'], { sharedStorage: 'nfs' })];
    const f = fleet({ hosts: [hosts[0]!, hosts[2]!], migrationPools: mixed, vms: [vm('p', { cpuMode: 'host-passthrough' }), vm('pin', { host: 'kvm-1' })] });
    const result = drain(f, 'kvm-1', { version: 1, placements: { p: 'kvm-1', pin: 'kvm-1' } });
    if (!result.ok) throw new Error(result.problem);
    expect(result.drain.steps[0]!.reason).toBe('host-passthrough CPU and the hosts of migration pool mixed differ in CPU model');
    expect(result.drain.steps[1]).toEqual({ vm: 'pin', reason: 'no host can take it (e.g. kvm-3: pinned: VM is pinned to kvm-1)' });
  });
});
