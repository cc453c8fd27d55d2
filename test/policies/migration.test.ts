import type { Host, MigrationPool, Vm } from '../../fleet/model';
import type { PoolHeadroom } from '../../planner/types';
import { disk, fleet, kvmHost, migrationPool, pinned, run, vm, xenHost } from './fixtures';
import { ruleTable } from './rule-table';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../policies/registry';

const GiB = 1024;

function pool(overrides: Partial<MigrationPool> = {}, hosts: Host[] = [kvmHost('k1'), kvmHost('k2')], vms: Vm[] = []) {
  return fleet({ hosts, migrationPools: [migrationPool('p', hosts.map((h) => h.name), overrides)], vms });
}
const NO_POOLS = fleet({ hosts: [kvmHost('k1'), kvmHost('k2', { cpuModel: 'Skylake', cpuVendor: 'Intel', memoryMiB: 64 * GiB })] });
const headroom = (satisfied: boolean, reserve: PoolHeadroom['reserve'] = 'n+1'): PoolHeadroom => ({
  name: 'p', reserve, satisfied, worstCase: ['k1'], spare: { cpu: satisfied ? 100 : -4, memoryMiB: satisfied ? 1024 : -2048 },
});

/** A placement of unpinned VMs (the pins' placement would keep them from restarting anywhere else). */
function placedAt(f: ReturnType<typeof fleet>, placements: Record<string, string>) {
  return { fleet: f, placement: { ...pinned(f), placements } };
}
// Two 64-CPU / 512 GiB hosts with 16 GiB reserved hold 496 GiB of guests each: a 300 GiB VM per host
// cannot restart beside the other's (600 GiB), two 100 GiB ones can (200 GiB). Disks on shared storage:
// a VM with a host-local disk is lost with its host whatever the reserve.
const survivalFleet = (memoryMiB: number, reserve: MigrationPool['reserve'] = 'n+1') => {
  const shared = { migrationPool: 'p', memoryMiB, disks: [disk({ pool: 'nfs-images' })] };
  return pool({ reserve }, undefined, [vm('v1', shared), vm('v2', shared)]);
};

ruleTable('migration', {
  'MIG-RESERVE-SURVIVAL': {
    compliant: placedAt(survivalFleet(100 * GiB), { v1: 'k1', v2: 'k2' }),
    nonCompliant: placedAt(survivalFleet(300 * GiB), { v1: 'k1', v2: 'k2' }),
    targets: ['migrationPools[p]'],
    mentions: ['promises n+1', 'losing k1', 'v1'],
    notApplicable: placedAt(survivalFleet(300 * GiB, 'none'), { v1: 'k1', v2: 'k2' }),
  },
  'MIG-MIXED-HYPERVISOR': {
    compliant: pool(),
    nonCompliant: pool({}, [kvmHost('k1'), xenHost('x1')]),
    targets: ['migrationPools[p]'],
    mentions: ['x1 (xen)'],
    notApplicable: fleet({ hosts: [kvmHost('k1'), xenHost('x1')] }),
  },
  'MIG-NO-SHARED-STORAGE': {
    compliant: pool(),
    nonCompliant: pool({ sharedStorage: undefined }),
    targets: ['migrationPools[p]'],
    notApplicable: NO_POOLS,
  },
  'MIG-STORAGE-NOT-SHARED': {
    compliant: pool(),
    nonCompliant: fleet({
      hosts: [kvmHost('k1'), kvmHost('k2')],
      migrationPools: [migrationPool('p', ['k1', 'k2'], { sharedStorage: 'images' }), migrationPool('q', ['k1', 'k2'], { sharedStorage: 'nope' })],
    }),
    targets: ['migrationPools[p]', 'migrationPools[q]'],
    mentions: ['type dir'],
    notApplicable: pool({ sharedStorage: undefined }),
  },
  'MIG-HOST-PASSTHROUGH-MIXED': {
    compliant: pool({ cpuModel: 'host-passthrough' }),
    nonCompliant: pool({}, [kvmHost('k1'), kvmHost('k2', { cpuModel: 'EPYC-Genoa' }), kvmHost('k3', { cpuModel: undefined })], [
      vm('v', { host: 'k1', migrationPool: 'p', cpuMode: 'host-passthrough' }),
    ]),
    targets: ['vms[v]'],
    mentions: ['k3'],
    notApplicable: pool({ cpuModel: 'host-model' }, [kvmHost('k1'), kvmHost('k2', { cpuModel: 'EPYC-Genoa' })]),
  },
  'MIG-HOST-PASSTHROUGH': {
    compliant: pool({ cpuModel: 'EPYC-Milan' }),
    nonCompliant: pool({ cpuModel: 'host-passthrough' }, undefined, [vm('v', { host: 'k1', migrationPool: 'p', cpuMode: 'host-passthrough' })]),
    targets: ['migrationPools[p]'],
    notApplicable: pool({ cpuModel: 'host-passthrough' }, [kvmHost('k1'), kvmHost('k2', { cpuModel: 'EPYC-Genoa' })]),
  },
  'MIG-MIXED-CPU-VENDOR': {
    compliant: pool(),
    nonCompliant: pool({}, [kvmHost('k1'), kvmHost('k2', { cpuVendor: 'Intel' })]),
    targets: ['migrationPools[p]'],
    mentions: ['AMD: k1', 'Intel: k2'],
    notApplicable: NO_POOLS,
  },
  // libvirt formatdomain.rst (CPU model and topology, host-model): "During migration, complete CPU model
  // definition is transferred to the destination host", so the destination must offer all of it.
  'MIG-HOST-MODEL-MIXED': {
    compliant: pool({ cpuModel: 'EPYC-Rome' }, [kvmHost('k1'), kvmHost('k2', { cpuModel: 'EPYC-Rome' })]),
    nonCompliant: pool({ cpuModel: 'host-model' }, [kvmHost('k1'), kvmHost('k2', { cpuModel: 'EPYC-Rome' })], [
      vm('v', { host: 'k1', migrationPool: 'p', cpuMode: 'host-passthrough' }),
    ]),
    targets: ['migrationPools[p]'],
    mentions: ['EPYC-Milan: k1', 'EPYC-Rome: k2', 'baseline'],
    notApplicable: pool({ cpuModel: 'host-model' }),
  },
  'MIG-HOSTDEV': {
    compliant: pool({}, undefined, [vm('v', { host: 'k1', migrationPool: 'p' })]),
    nonCompliant: pool({}, undefined, [vm('v', { host: 'k1', migrationPool: 'p', hostdevs: ['0000:3b:00.0'] })]),
    targets: ['vms[v]'],
    mentions: ['0000:3b:00.0'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', hostdevs: ['0000:3b:00.0'] })] }),
  },
  'MIG-RESERVE-UNSATISFIED': {
    compliant: { fleet: pool(), placement: pinned(pool(), { pools: [headroom(true)] }) },
    nonCompliant: { fleet: pool(), placement: pinned(pool(), { pools: [headroom(false)] }) },
    targets: ['migrationPools[p]'],
    mentions: ['n+1', 'k1'],
    notApplicable: { fleet: pool({ reserve: 'none' }), placement: pinned(pool(), { pools: [headroom(false, 'none')] }) },
  },
  'MIG-RESERVE-NONE': {
    compliant: pool(),
    nonCompliant: pool({ reserve: 'none' }),
    targets: ['migrationPools[p]'],
    notApplicable: NO_POOLS,
  },
  'MIG-MEMORY-SKEW': {
    compliant: pool({}, [kvmHost('k1'), kvmHost('k2', { memoryMiB: 256 * GiB })]),
    nonCompliant: pool({}, [kvmHost('k1'), kvmHost('k2', { memoryMiB: 128 * GiB })]),
    targets: ['migrationPools[p]'],
    mentions: ['k1', 'k2'],
    notApplicable: NO_POOLS,
  },
  'MIG-VM-LOCAL-DISK': {
    compliant: pool({}, undefined, [vm('v', { host: 'k1', migrationPool: 'p', disks: [disk({ pool: 'nfs-images' })] })]),
    nonCompliant: pool({}, undefined, [vm('v', { host: 'k1', migrationPool: 'p', disks: [disk({ pool: 'nfs-images' }), disk({ pool: 'images', data: true })] })]),
    targets: ['vms[v].disks[1]'],
    mentions: ['local pool images', 'nfs-images'],
    notApplicable: pool({}, undefined, [vm('v', { host: 'k1' })]),
  },
});

const rule = (id: string) => RULES.find((r) => r.id === id)!;

describe('MIG-MIXED-CPU-VENDOR without cpuVendor', () => {
  // The vendor comes from QEMU's model names (qemu target/i386/cpu.c builtin_x86_defs: EPYC* are
  // CPUID_VENDOR_AMD; Skylake-Server, Cascadelake-Server, Icelake-Server, SapphireRapids are CPUID_VENDOR_INTEL).
  const check = (f: ReturnType<typeof pool>) => run(rule('MIG-MIXED-CPU-VENDOR'), f, pinned(f));

  it('infers AMD from EPYC-* and Intel from the -Server names (with libvirt suffixes such as -IBRS)', () => {
    const mixed = pool({ cpuModel: 'Skylake-Server' }, [
      kvmHost('k1', { cpuVendor: undefined, cpuModel: 'EPYC-Milan' }),
      kvmHost('k2', { cpuVendor: undefined, cpuModel: 'Skylake-Server-IBRS' }),
    ]);
    const results = check(mixed);
    expect(results.map((r) => r.target)).toEqual(['migrationPools[p]']);
    expect(results[0]!.message).toContain('AMD: k1; Intel: k2');
  });

  it('treats one vendor spelled two ways (GenuineIntel, inferred Intel) as one, and ignores unknown model names', () => {
    expect(check(pool({ cpuModel: 'Skylake-Server' }, [
      kvmHost('k1', { cpuVendor: undefined, cpuModel: 'Cascadelake-Server-noTSX' }),
      kvmHost('k2', { cpuVendor: 'GenuineIntel', cpuModel: 'SapphireRapids' }),
      kvmHost('k3', { cpuVendor: undefined, cpuModel: 'Icelake-Server' }),
    ]))).toEqual([]);
    expect(check(pool({}, [kvmHost('k1', { cpuVendor: undefined, cpuModel: 'my-custom-cpu' }), kvmHost('k2', { cpuVendor: undefined, cpuModel: 'EPYC' })]))).toEqual([]);
  });
});

describe('MIG-HOST-MODEL-MIXED for a VM that asks for host-model in a baseline pool', () => {
  it('reports the VM, not the pool', () => {
    const f = pool({ cpuModel: 'EPYC-Rome' }, [kvmHost('k1'), kvmHost('k2', { cpuModel: 'EPYC-Rome' })], [vm('v', { host: 'k1', migrationPool: 'p', cpuMode: 'host-model' })]);
    const results = run(rule('MIG-HOST-MODEL-MIXED'), f, pinned(f));
    expect(results.map((r) => r.target)).toEqual(['vms[v]']);
    expect(results[0]!.message).toContain('VM v uses host-model');
  });
});
