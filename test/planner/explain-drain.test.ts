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
    // A KVM pool without a transport migrates over TLS (libvirt docs/migration.rst: the stream carries all guest RAM).
    expect(result.drain.steps).toEqual([
      { vm: 'a', to: 'kvm-2', command: 'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls a qemu+ssh://root@kvm-2/system' },
      { vm: 'b', to: 'kvm-2', reason: 'passes through PCI devices (0000:3b:00.0)' },
      { vm: 'c', to: 'kvm-3', reason: 'kvm-1 and kvm-3 share no migration pool' },
    ]);
    expect(result.drain.rebuilds).toEqual([]);
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

describe('drain: storage, transport and hypervisor', () => {
  const GiB2 = GiB;
  const storage = [
    { name: 'local', type: 'dir' as const, path: '/var/lib/libvirt/images', shared: false },
    { name: 'nfs', type: 'netfs' as const, source: 'nfs1:/vms', path: '/mnt/vms', shared: true },
    { name: 'lvm', type: 'logical' as const, source: 'vg0', shared: false },
  ];
  const pair = [host('kvm-1', { cpus: 16, memoryMiB: 32 * GiB2 }), host('kvm-2', { cpus: 16, memoryMiB: 32 * GiB2 })];
  const disk = (poolName: string) => ({ sizeMiB: 10 * GiB2, pool: poolName, data: false });
  const drained = (transport: 'tls' | 'tunnelled' | 'plain' | undefined, vms: Parameters<typeof fleet>[0]['vms']) => {
    const f = fleet({ hosts: pair, pools: storage, migrationPools: [pool('p', ['kvm-1', 'kvm-2'], { sharedStorage: 'nfs', ...(transport ? { transport } : {}) })], vms });
    const placements = Object.fromEntries((vms ?? []).map((v) => [v.name, 'kvm-1']));
    const result = drain(f, 'kvm-1', { version: 1, placements });
    if (!result.ok) throw new Error(result.problem);
    return result.drain;
  };

  // libvirt src/qemu/qemu_migration.c: --copy-storage-all mirrors non-shared disks over NBD and pre-creates
  // them on the destination (qemuMigrationDstPrecreateDisk).
  it('copies disks on a pool that is not shared with --copy-storage-all, and not those on shared storage', () => {
    const d = drained(undefined, [vm('local-vm', { migrationPool: 'p', disks: [disk('nfs'), disk('local')] }), vm('shared-vm', { migrationPool: 'p', disks: [disk('nfs')] })]);
    expect(d.steps).toEqual([
      { vm: 'local-vm', to: 'kvm-2', command: 'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls --copy-storage-all local-vm qemu+ssh://root@kvm-2/system' },
      { vm: 'shared-vm', to: 'kvm-2', command: 'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --tls shared-vm qemu+ssh://root@kvm-2/system' },
    ]);
  });

  // libvirt src/libvirt-domain.c: "cannot perform tunnelled migration without using peer2peer flag";
  // qemu_migration.c: "migration of non-shared storage is not supported with tunnelled migration".
  it('adds --p2p --tunnelled for a tunnelled pool, and refuses to copy local disks through the tunnel', () => {
    const d = drained('tunnelled', [vm('local-vm', { migrationPool: 'p', disks: [disk('local')] }), vm('shared-vm', { migrationPool: 'p', disks: [disk('nfs')] })]);
    expect(d.steps[0]).toEqual({ vm: 'local-vm', to: 'kvm-2', reason: expect.stringContaining('libvirt cannot copy storage over a tunnelled migration; set transport: tls') });
    expect(d.steps[1]!.command).toBe('virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource --p2p --tunnelled shared-vm qemu+ssh://root@kvm-2/system');
  });

  it('adds no encryption flag for a plain pool', () => {
    expect(drained('plain', [vm('v', { migrationPool: 'p', disks: [disk('nfs')] })]).steps[0]!.command).toBe(
      'virsh -c qemu+ssh://root@kvm-1/system migrate --live --persistent --undefinesource v qemu+ssh://root@kvm-2/system',
    );
  });

  // qemu_migration.c qemuMigrationAnyCopyDisk: "migrate only non-shared non-readonly disks" — the seed stays behind.
  it('does not live-migrate a VM whose cloud-init seed sits on a local pool', () => {
    const d = drained(undefined, [vm('v', { migrationPool: 'p', disks: [disk('local')], cloudInit: { sshKeys: ['ssh-ed25519 AAAA'] } })]);
    expect(d.steps[0]!.reason).toMatch(/cloud-init seed is a read-only volume on local pool local, which --copy-storage-all does not copy/);
  });

  // libvirt src/libxl/libxl_migration.h: LIBXL_MIGRATION_FLAGS has neither TLS nor NON_SHARED_DISK.
  it('tunnels Xen migrations by default and never copies storage on Xen', () => {
    const xens = [host('xen-1', { cpus: 16, memoryMiB: 32 * GiB2 }), host('xen-2', { cpus: 16, memoryMiB: 32 * GiB2 })];
    const f = fleet({
      hosts: xens,
      pools: storage,
      migrationPools: [pool('x', ['xen-1', 'xen-2'], { hypervisor: 'xen', sharedStorage: 'nfs' })],
      vms: [vm('s', { migrationPool: 'x', disks: [disk('nfs')] }), vm('l', { migrationPool: 'x', disks: [disk('lvm')] })],
    });
    const result = drain(f, 'xen-1', { version: 1, placements: { s: 'xen-1', l: 'xen-1' } });
    if (!result.ok) throw new Error(result.problem);
    expect(result.drain.steps).toEqual([
      { vm: 'l', to: 'xen-2', reason: expect.stringContaining('libxl cannot copy storage during migration') },
      { vm: 's', to: 'xen-2', command: 'virsh -c xen+ssh://root@xen-1/system migrate --live --persistent --undefinesource --p2p --tunnelled s xen+ssh://root@xen-2/system' },
    ]);
  });

  it('never offers a host of the other hypervisor as a live target: such a move is listed as a rebuild', () => {
    const f = fleet({
      hosts: [host('kvm-1', { cpus: 16, memoryMiB: 32 * GiB2 }), host('kvm-2', { cpus: 2, memoryMiB: 4 * GiB2 }), host('xen-1', { cpus: 16, memoryMiB: 32 * GiB2 })],
      vms: [vm('big', { vcpus: 8, memoryMiB: 16 * GiB2 }), vm('small', { vcpus: 1, memoryMiB: 1 * GiB2 })],
    });
    const result = drain(f, 'kvm-1', { version: 1, placements: { big: 'kvm-1', small: 'kvm-1' } });
    if (!result.ok) throw new Error(result.problem);
    expect(result.drain.steps).toEqual([{ vm: 'small', to: 'kvm-2', reason: 'kvm-1 and kvm-2 share no migration pool' }]);
    expect(result.drain.rebuilds).toEqual([{ vm: 'big', to: 'xen-1', reason: expect.stringContaining('no kvm host can take it; xen-1 runs xen, and there is no live migration between hypervisors') }]);
  });
});
