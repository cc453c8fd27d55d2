import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../fleet/model';
import { buildContext } from '../../planner/context';
import {
  affinityFilter, antiAffinityFilter, capacityFilter, checkFilter, cpuModelFilter, type Filter, FILTERS, firstFailure,
  fitsCapacity, hypervisorFilter, migrationPoolFilter, numaFilter, pinnedFilter, securityFilter, tenancyFilter, zoneFilter,
} from '../../planner/filters';
import { Ledger } from '../../planner/ledger';
import { fleet, GiB, host, pool, vm } from './fixtures';

/** Judges `vmName` on `hostName` after placing `placed` (VM → host). */
function judge(f: Fleet, filter: Filter, vmName: string, hostName: string, placed: Record<string, string> = {}) {
  const ctx = buildContext(f);
  const ledger = new Ledger(ctx);
  for (const [v, h] of Object.entries(placed)) ledger.assign(ctx.vmIndex.get(v)!, ctx.hostIndex.get(h)!);
  return checkFilter(filter, ctx, ledger, ctx.vms[ctx.vmIndex.get(vmName)!]!, ctx.hosts[ctx.hostIndex.get(hostName)!]!);
}

const PASS = { pass: true };

describe('pinned', () => {
  const f = fleet({ hosts: [host('kvm-1'), host('kvm-2')], vms: [vm('a', { host: 'kvm-2' })] });
  it('keeps only the pinned host', () => {
    expect(judge(f, pinnedFilter, 'a', 'kvm-2')).toEqual(PASS);
    expect(judge(f, pinnedFilter, 'a', 'kvm-1')).toEqual({ pass: false, reason: 'pinned: VM is pinned to kvm-2' });
  });
});

describe('hypervisor', () => {
  const f = fleet({ hosts: [host('kvm-1'), host('xen-1')], vms: [vm('x', { hypervisor: 'xen' }), vm('any')] });
  it('kind must match unless auto', () => {
    expect(judge(f, hypervisorFilter, 'x', 'xen-1')).toEqual(PASS);
    expect(judge(f, hypervisorFilter, 'x', 'kvm-1')).toEqual({ pass: false, reason: 'hypervisor: VM needs xen, host runs kvm' });
    expect(judge(f, hypervisorFilter, 'any', 'kvm-1')).toEqual(PASS);
  });
});

describe('migration-pool', () => {
  const f = fleet({ hosts: [host('kvm-1'), host('kvm-2')], migrationPools: [pool('p', ['kvm-1'])], vms: [vm('a', { migrationPool: 'p' })] });
  it('only members of the pool', () => {
    expect(judge(f, migrationPoolFilter, 'a', 'kvm-1')).toEqual(PASS);
    expect(judge(f, migrationPoolFilter, 'a', 'kvm-2')).toEqual({ pass: false, reason: 'migration-pool: host is not a member of migration pool p' });
  });
});

describe('zone', () => {
  const f = fleet({ hosts: [host('kvm-1', { zone: 'a' }), host('kvm-2')], vms: [vm('v', { zone: 'a' })] });
  it('zone must match', () => {
    expect(judge(f, zoneFilter, 'v', 'kvm-1')).toEqual(PASS);
    expect(judge(f, zoneFilter, 'v', 'kvm-2')).toEqual({ pass: false, reason: 'zone: VM needs zone a, host is in no zone' });
  });
});

describe('security', () => {
  it('sensitive VMs go to hosts labelled sensitive when any exist', () => {
    const f = fleet({ hosts: [host('kvm-1', { labels: { securityClass: 'sensitive' } }), host('xen-1')], vms: [vm('s', { securityClass: 'sensitive' })] });
    expect(judge(f, securityFilter, 's', 'kvm-1')).toEqual(PASS);
    expect(judge(f, securityFilter, 's', 'xen-1')).toEqual({ pass: false, reason: 'security: sensitive VMs go to hosts labelled securityClass sensitive' });
  });
  it('else to Xen in a hybrid fleet', () => {
    const f = fleet({ hosts: [host('kvm-1'), host('xen-1')], vms: [vm('s', { securityClass: 'sensitive' })] });
    expect(judge(f, securityFilter, 's', 'xen-1')).toEqual(PASS);
    expect(judge(f, securityFilter, 's', 'kvm-1')).toEqual({ pass: false, reason: 'security: sensitive VMs go to Xen hosts in a hybrid fleet' });
  });
  it('else anywhere', () => {
    const f = fleet({ hosts: [host('kvm-1')], vms: [vm('s', { securityClass: 'sensitive' })] });
    expect(judge(f, securityFilter, 's', 'kvm-1')).toEqual(PASS);
  });
  it('isolated VMs go to isolated or sensitive hosts when any exist', () => {
    const f = fleet({ hosts: [host('kvm-1', { labels: { securityClass: 'isolated' } }), host('kvm-2')], vms: [vm('i', { securityClass: 'isolated' }), vm('g')] });
    expect(judge(f, securityFilter, 'i', 'kvm-1')).toEqual(PASS);
    expect(judge(f, securityFilter, 'i', 'kvm-2').pass).toBe(false);
    expect(judge(f, securityFilter, 'g', 'kvm-1')).toEqual(PASS);
  });
});

describe('cpu-model', () => {
  const hosts = [host('kvm-1', { cpuModel: 'EPYC-Milan' }), host('kvm-2', { cpuModel: 'EPYC-Rome' }), host('kvm-3', { cpuModel: 'EPYC-Milan' })];
  const pools = [pool('mixed', ['kvm-1', 'kvm-2']), pool('same', ['kvm-1', 'kvm-3'])];
  const f = fleet({
    hosts,
    migrationPools: pools,
    vms: [vm('p', { cpuMode: 'host-passthrough', migrationPool: 'mixed' }), vm('q', { cpuMode: 'host-passthrough', migrationPool: 'same' }), vm('m', { migrationPool: 'mixed' })],
  });
  it('refuses host-passthrough in a pool of differing CPU models', () => {
    expect(judge(f, cpuModelFilter, 'p', 'kvm-1')).toEqual({
      pass: false,
      reason: 'cpu-model: host-passthrough VM in migration pool mixed whose hosts differ in CPU model (EPYC-Milan, EPYC-Rome); use host-model or a named baseline',
    });
  });
  it('accepts passthrough on identical CPUs and host-model anywhere', () => {
    expect(judge(f, cpuModelFilter, 'q', 'kvm-1')).toEqual(PASS);
    expect(judge(f, cpuModelFilter, 'm', 'kvm-2')).toEqual(PASS);
  });
});

describe('numa', () => {
  const two = host('kvm-1', { cpus: 32, memoryMiB: 64 * GiB, numaNodes: [{ cpus: 16, memoryMiB: 32 * GiB }, { cpus: 16, memoryMiB: 32 * GiB }] });
  const f = fleet({ hosts: [two], vms: [vm('fits', { numa: 'strict', vcpus: 16, memoryMiB: 32 * GiB }), vm('big', { numa: 'strict', vcpus: 17 }), vm('loose', { vcpus: 17 })] });
  it('strict VMs must fit one node', () => {
    expect(judge(f, numaFilter, 'fits', 'kvm-1')).toEqual(PASS);
    expect(judge(f, numaFilter, 'big', 'kvm-1')).toEqual({ pass: false, reason: 'numa: strict NUMA VM (17 vCPUs, 4096 MiB) does not fit one node (16 physical CPUs, 32768 MiB)' });
    expect(judge(f, numaFilter, 'loose', 'kvm-1')).toEqual(PASS);
  });
});

describe('tenancy', () => {
  const f = fleet({ hosts: [host('kvm-1')], vms: [vm('i', { securityClass: 'isolated' }), vm('g'), vm('h')] });
  it('an isolated VM needs an empty host', () => {
    expect(judge(f, tenancyFilter, 'i', 'kvm-1')).toEqual(PASS);
    expect(judge(f, tenancyFilter, 'i', 'kvm-1', { g: 'kvm-1' })).toEqual({ pass: false, reason: 'tenancy: isolated VM needs a host with no other VM' });
  });
  it('no VM joins an isolated one', () => {
    expect(judge(f, tenancyFilter, 'g', 'kvm-1', { i: 'kvm-1' })).toEqual({ pass: false, reason: 'tenancy: host runs an isolated VM' });
    expect(judge(f, tenancyFilter, 'g', 'kvm-1', { h: 'kvm-1' })).toEqual(PASS);
  });
});

describe('affinity and anti-affinity', () => {
  const f = fleet({
    hosts: [host('kvm-1'), host('kvm-2')],
    vms: [vm('a1', { affinity: 'a' }), vm('a2', { affinity: 'a' }), vm('w1', { antiAffinity: 'w' }), vm('w2', { antiAffinity: 'w' })],
  });
  it('affinity follows the placed members', () => {
    expect(judge(f, affinityFilter, 'a2', 'kvm-2')).toEqual(PASS);
    expect(judge(f, affinityFilter, 'a2', 'kvm-1', { a1: 'kvm-1' })).toEqual(PASS);
    expect(judge(f, affinityFilter, 'a2', 'kvm-2', { a1: 'kvm-1' })).toEqual({ pass: false, reason: 'affinity: affinity group a runs on kvm-1' });
  });
  it('anti-affinity keeps group members apart', () => {
    expect(judge(f, antiAffinityFilter, 'w2', 'kvm-2', { w1: 'kvm-1' })).toEqual(PASS);
    expect(judge(f, antiAffinityFilter, 'w2', 'kvm-1', { w1: 'kvm-1' })).toEqual({ pass: false, reason: 'anti-affinity: host already runs a VM of anti-affinity group w' });
  });
});

describe('capacity', () => {
  const f = fleet({
    hosts: [host('kvm-1', { cpus: 4, memoryMiB: 8 * GiB })],
    pools: [
      { name: 'local', type: 'dir', shared: false, capacityMiB: 100 * GiB },
      { name: 'nfs', type: 'netfs', shared: true, capacityMiB: 50 * GiB },
    ],
    vms: [
      vm('small', { vcpus: 2, memoryMiB: 4 * GiB }),
      vm('cpu', { vcpus: 3, memoryMiB: 1 * GiB }),
      vm('mem', { vcpus: 1, memoryMiB: 5 * GiB }),
      vm('disk', { vcpus: 1, memoryMiB: 1 * GiB, disks: [{ sizeMiB: 101 * GiB, pool: 'local', data: false }] }),
      vm('nfs', { vcpus: 1, memoryMiB: 1 * GiB, disks: [{ sizeMiB: 51 * GiB, pool: 'nfs', data: false }] }),
    ],
  });
  it('checks CPU, memory and limited storage pools', () => {
    expect(judge(f, capacityFilter, 'small', 'kvm-1')).toEqual(PASS);
    expect(judge(f, capacityFilter, 'cpu', 'kvm-1', { small: 'kvm-1' })).toEqual({ pass: false, reason: 'capacity: needs 3 vCPUs, 2 of 4 free' });
    expect(judge(f, capacityFilter, 'mem', 'kvm-1', { small: 'kvm-1' })).toEqual({ pass: false, reason: 'capacity: needs 5202 MiB memory (82 MiB of it per-guest QEMU overhead), 4008 of 8192 MiB free' });
    expect(judge(f, capacityFilter, 'disk', 'kvm-1')).toEqual({ pass: false, reason: 'capacity: storage pool local needs 103424 MiB, 102400 of 102400 MiB free' });
    expect(judge(f, capacityFilter, 'nfs', 'kvm-1')).toEqual({ pass: false, reason: 'capacity: storage pool nfs needs 52224 MiB, 51200 of 51200 MiB free (shared)' });
  });
});

describe('filter order', () => {
  it('pins the order hosts are judged in', () => {
    expect(FILTERS.map((f) => f.name)).toEqual([
      'pinned', 'hypervisor', 'migration-pool', 'zone', 'security', 'cpu-model', 'numa', 'tenancy', 'affinity', 'anti-affinity', 'hugepages', 'capacity',
    ]);
  });
  it('firstFailure reports the first filter that fails', () => {
    const f = fleet({ hosts: [host('kvm-1', { cpus: 1 })], vms: [vm('x', { hypervisor: 'xen', vcpus: 4 })] });
    const ctx = buildContext(f);
    expect(firstFailure(ctx, new Ledger(ctx), ctx.vms[0]!, ctx.hosts[0]!)).toBe('hypervisor: VM needs xen, host runs kvm');
  });
});

describe('fitsCapacity', () => {
  it('is the capacity filter\'s CPU and memory test, within the capacity scaled for headroom', () => {
    const f = fleet({ hosts: [host('kvm-1', { cpus: 8, memoryMiB: 16 * GiB })], vms: [vm('a', { vcpus: 4 }), vm('b', { vcpus: 4 }), vm('c', { vcpus: 1 })] });
    const ctx = buildContext(f);
    const ledger = new Ledger(ctx);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => ctx.vms[ctx.vmIndex.get(name)!]!);
    const kvm1 = ctx.hosts[0]!;
    ledger.assign(a!.index, 0);
    expect(fitsCapacity(ledger, b!, kvm1)).toBe(true);
    expect(capacityFilter.test(ctx, ledger, b!, kvm1)).toBe(true);
    ledger.assign(b!.index, 0);
    expect(fitsCapacity(ledger, c!, kvm1)).toBe(false);
    expect(capacityFilter.test(ctx, ledger, c!, kvm1)).toBe(false);
    ledger.unassign(b!.index);
    ledger.capacityScale[0] = 0.5;
    expect(fitsCapacity(ledger, b!, kvm1)).toBe(false);
    expect(capacityFilter.test(ctx, ledger, b!, kvm1)).toBe(false);
  });
});
