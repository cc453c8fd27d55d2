/**
 * Filters: each removes hosts a VM must not run on and says why. A filter is a predicate (`test`, cheap,
 * used in the planner's inner loop) and a message (`reason`, built only to explain a failure), so the
 * placement and its explanation come from the same code.
 *
 * `indexed` filters depend only on the VM and the host, never on other placements; the planner
 * evaluates them once per class of alike VMs to build candidate lists. The others read the ledger.
 * Every filter judges a VM that is not itself in the ledger.
 */
import type { PlanContext, HostFacts, VmFacts } from './context';
import type { Ledger } from './ledger';

export type FilterResult = { readonly pass: true } | { readonly pass: false; readonly reason: string };

type Check<T> = (ctx: PlanContext, ledger: Ledger, vm: VmFacts, host: HostFacts) => T;

export interface Filter {
  readonly name: string;
  readonly indexed: boolean;
  readonly test: Check<boolean>;
  readonly reason: Check<string>;
}

const PASS: FilterResult = { pass: true };

export function checkFilter(filter: Filter, ctx: PlanContext, ledger: Ledger, vm: VmFacts, host: HostFacts): FilterResult {
  return filter.test(ctx, ledger, vm, host) ? PASS : { pass: false, reason: `${filter.name}: ${filter.reason(ctx, ledger, vm, host)}` };
}

export const pinnedFilter: Filter = {
  name: 'pinned',
  indexed: true,
  test: (_c, _l, { vm }, { host }) => vm.host === undefined || vm.host === host.name,
  reason: (_c, _l, { vm }) => `VM is pinned to ${vm.host}`,
};

export const hypervisorFilter: Filter = {
  name: 'hypervisor',
  indexed: true,
  test: (_c, _l, { vm }, { host }) => vm.hypervisor === 'auto' || vm.hypervisor === host.hypervisor,
  reason: (_c, _l, { vm }, { host }) => `VM needs ${vm.hypervisor}, host runs ${host.hypervisor}`,
};

export const migrationPoolFilter: Filter = {
  name: 'migration-pool',
  indexed: true,
  test: (_c, _l, { vm }, facts) => vm.migrationPool === undefined || facts.pools.includes(vm.migrationPool),
  reason: (_c, _l, { vm }) => `host is not a member of migration pool ${vm.migrationPool}`,
};

export const zoneFilter: Filter = {
  name: 'zone',
  indexed: true,
  test: (_c, _l, { vm }, { host }) => vm.zone === undefined || vm.zone === host.zone,
  reason: (_c, _l, { vm }, { host }) => `VM needs zone ${vm.zone}, host is in ${host.zone ?? 'no zone'}`,
};

const securityLabel = (host: HostFacts): string | undefined => host.host.labels['securityClass'];

/**
 * Sensitive VMs go to hosts labelled `securityClass: sensitive` when any exist; otherwise, in a hybrid
 * fleet, to Xen hosts (smaller TCB with a minimal Dom0, research SEC-HYBRID-PLACEMENT). Isolated VMs go
 * to hosts labelled isolated or sensitive when any exist (their sole tenancy is the `tenancy` filter).
 */
export const securityFilter: Filter = {
  name: 'security',
  indexed: true,
  test: (ctx, _l, { vm }, host) => {
    if (vm.securityClass === 'sensitive') {
      if (ctx.sensitiveHostsExist) return securityLabel(host) === 'sensitive';
      return !ctx.hybrid || host.host.hypervisor === 'xen';
    }
    if (vm.securityClass === 'isolated' && ctx.isolationHostsExist) {
      const label = securityLabel(host);
      return label === 'isolated' || label === 'sensitive';
    }
    return true;
  },
  reason: (ctx, _l, { vm }) => {
    if (vm.securityClass === 'isolated') return 'isolated VMs go to hosts labelled securityClass isolated or sensitive';
    return ctx.sensitiveHostsExist
      ? 'sensitive VMs go to hosts labelled securityClass sensitive'
      : 'sensitive VMs go to Xen hosts in a hybrid fleet';
  },
};

/**
 * A host-passthrough guest sees its host's exact CPU, so it can only migrate between identical CPUs
 * (research KVM-CPU-MODE, MIG-CPU-COMPAT): in a pool whose hosts differ in `cpuModel` (or do not declare
 * it) no host is acceptable. Named baselines and host-model are accepted; whether every host supports
 * a named baseline needs CPU feature data the fleet does not carry, and is left to policies.
 */
export const cpuModelFilter: Filter = {
  name: 'cpu-model',
  indexed: true,
  test: (ctx, _l, vm) => {
    if (!vm.passthrough || vm.vm.migrationPool === undefined) return true;
    const models = ctx.poolCpuModels.get(vm.vm.migrationPool) ?? [];
    return models.length <= 1 && models[0] !== 'unknown';
  },
  reason: (ctx, _l, { vm }) =>
    `host-passthrough VM in migration pool ${vm.migrationPool} whose hosts differ in CPU model ` +
    `(${(ctx.poolCpuModels.get(vm.migrationPool ?? '') ?? []).join(', ')}); use host-model or a named baseline`,
};

/**
 * `numa: strict` VMs must fit one NUMA node's *physical* CPUs and memory (the largest node's): libvirt
 * binds such a guest's memory to its node, and a guest cannot overcommit against itself there (Nova,
 * nova/virt/hardware.py `_numa_fit_instance_cell`). Packing several strict VMs onto nodes is not
 * modelled; libvirt/numad bind them at start.
 */
export const numaFilter: Filter = {
  name: 'numa',
  indexed: false,
  test: (_c, _l, { vm }, host) => vm.numa !== 'strict' || (vm.vcpus <= host.numaCpu && vm.memoryMiB <= host.numaMemoryMiB),
  reason: (_c, _l, { vm }, host) =>
    `strict NUMA VM (${vm.vcpus} vCPUs, ${vm.memoryMiB} MiB) does not fit one node (${host.numaCpu} physical CPUs, ${host.numaMemoryMiB} MiB)`,
};

/** Whether a hugepage-backed VM's page size and memory fit the host's pool with `used` MiB of it taken. */
export function hugepagesFit(vm: VmFacts, host: HostFacts, used: number): boolean {
  if (vm.hugepageMiB === 0) return true;
  const pool = host.host.hugepages;
  if (pool === undefined) return false;
  const size = vm.vm.hugepageSizeKiB;
  return (size === undefined || size === pool.sizeKiB) && used + vm.hugepageMiB <= host.capacity.hugepageMiB;
}

/**
 * Hugepage-backed VMs take their memory from the host's hugepage pool (`hosts[].hugepages`), page size as
 * asked, never overcommitted: hugetlbfs pages are reserved whole and cannot be shared or swapped
 * (kernel Documentation/admin-guide/mm/hugetlbpage.rst; libvirt formatdomain "Memory Backing").
 */
export const hugepagesFilter: Filter = {
  name: 'hugepages',
  indexed: false,
  test: (_c, ledger, vm, host) => hugepagesFit(vm, host, ledger.hugepageUsed[host.index]!),
  reason: (_c, ledger, vm, host) => {
    const pool = host.host.hugepages;
    if (pool === undefined) return 'hugepage-backed VM needs a host with a hugepage pool (hosts[].hugepages); host declares none';
    const size = vm.vm.hugepageSizeKiB;
    if (size !== undefined && size !== pool.sizeKiB) return `VM needs ${size} KiB hugepages, host's pool has ${pool.sizeKiB} KiB pages`;
    const free = host.capacity.hugepageMiB - ledger.hugepageUsed[host.index]!;
    return `needs ${vm.hugepageMiB} MiB of hugepages, ${free} of ${host.capacity.hugepageMiB} MiB of the host's pool free`;
  },
};

/** Isolated VMs run alone; no other VM joins a host that holds an isolated one. */
export const tenancyFilter: Filter = {
  name: 'tenancy',
  indexed: false,
  test: (_c, ledger, { vm }, { index }) =>
    vm.securityClass === 'isolated' ? ledger.tenants[index] === 0 : ledger.isolated[index] === 0,
  reason: (_c, _l, { vm }) =>
    vm.securityClass === 'isolated' ? 'isolated VM needs a host with no other VM' : 'host runs an isolated VM',
};

function affinityHosts(ledger: Ledger, group: string | undefined): ReadonlyMap<number, number> | undefined {
  return group === undefined ? undefined : ledger.affinity.get(group);
}

/** Hard affinity: once one VM of a group is placed, the others follow it to that host. */
export const affinityFilter: Filter = {
  name: 'affinity',
  indexed: false,
  test: (_c, ledger, { vm }, { index }) => {
    const hosts = affinityHosts(ledger, vm.affinity);
    return hosts === undefined || hosts.size === 0 || hosts.has(index);
  },
  reason: (ctx, ledger, { vm }) => {
    const placed = [...(affinityHosts(ledger, vm.affinity)?.keys() ?? [])].map((h) => ctx.hosts[h]!.host.name).sort();
    return `affinity group ${vm.affinity} runs on ${placed.join(', ')}`;
  },
};

/** Hard anti-affinity: no two VMs of a group on one host. */
export const antiAffinityFilter: Filter = {
  name: 'anti-affinity',
  indexed: false,
  test: (_c, ledger, { vm }, { index }) =>
    vm.antiAffinity === undefined || !(ledger.antiAffinity.get(vm.antiAffinity)?.has(index) ?? false),
  reason: (_c, _l, { vm }) => `host already runs a VM of anti-affinity group ${vm.antiAffinity}`,
};

function cpuLimit(ledger: Ledger, host: HostFacts): number {
  return host.capacity.cpu * ledger.capacityScale[host.index]!;
}

function memoryLimit(ledger: Ledger, host: HostFacts): number {
  return host.capacity.memoryMiB * ledger.capacityScale[host.index]!;
}

function diskUsed(ledger: Ledger, pool: string, shared: boolean, hostIndex: number): number {
  return shared ? (ledger.sharedDisk.get(pool) ?? 0) : (ledger.localDisk.get(pool)?.[hostIndex] ?? 0);
}

function disksFit(ctx: PlanContext, ledger: Ledger, vm: VmFacts, hostIndex: number): boolean {
  for (const disk of vm.disks) {
    if (diskUsed(ledger, disk.pool, disk.shared, hostIndex) + disk.sizeMiB > ctx.storageCapacity.get(disk.pool)!) return false;
  }
  return true;
}

function scaleNote(ctx: PlanContext, ledger: Ledger, host: HostFacts): string {
  if (ledger.capacityScale[host.index] === 1) return '';
  const pools = host.pools.filter((p) => ctx.migrationPools.get(p)?.reserve !== 'none');
  return ` (part of the host kept free for the headroom of migration pool ${pools.join(', ')})`;
}

/**
 * Whether the VM's vCPUs and memory fit beside what the host carries, within its capacity as scaled while
 * migration-pool headroom is kept free: the capacity filter's test of CPU and memory, which the placer
 * also runs first, on its own, because most hosts of a big plan fail it.
 */
export function fitsCapacity(ledger: Ledger, vm: VmFacts, host: HostFacts): boolean {
  return ledger.cpuUsed[host.index]! + vm.vm.vcpus <= cpuLimit(ledger, host) && ledger.memoryUsed[host.index]! + vm.memoryMiB <= memoryLimit(ledger, host);
}

/**
 * CPU, memory (after Dom0/host reservation, the Xen hypervisor, the hugepage pool and overcommit; each VM
 * with its per-guest overhead) and space in limited storage pools.
 */
export const capacityFilter: Filter = {
  name: 'capacity',
  indexed: false,
  test: (ctx, ledger, vm, host) => fitsCapacity(ledger, vm, host) && (vm.disks.length === 0 || disksFit(ctx, ledger, vm, host.index)),
  reason: (ctx, ledger, vm, host) => {
    const i = host.index;
    const note = scaleNote(ctx, ledger, host);
    const cpuFree = Math.floor(cpuLimit(ledger, host) - ledger.cpuUsed[i]!);
    if (vm.vm.vcpus > cpuFree) return `needs ${vm.vm.vcpus} vCPUs, ${cpuFree} of ${host.capacity.cpu} free${note}`;
    const memoryFree = Math.floor(memoryLimit(ledger, host) - ledger.memoryUsed[i]!);
    if (vm.memoryMiB > memoryFree) {
      return `needs ${vm.memoryMiB} MiB memory (${vm.overheadMiB} MiB of it per-guest ${host.host.hypervisor === 'xen' ? 'Xen paging' : 'QEMU'} overhead), ` +
        `${memoryFree} of ${host.capacity.memoryMiB} MiB free${note}`;
    }
    const disk = vm.disks.find((d) => diskUsed(ledger, d.pool, d.shared, i) + d.sizeMiB > ctx.storageCapacity.get(d.pool)!);
    const total = ctx.storageCapacity.get(disk?.pool ?? '') ?? 0;
    const free = total - diskUsed(ledger, disk?.pool ?? '', disk?.shared ?? false, i);
    return `storage pool ${disk?.pool} needs ${disk?.sizeMiB} MiB, ${free} of ${total} MiB free${disk?.shared ? ' (shared)' : ''}`;
  },
};

/** In the order a host is judged; the first failure is the reason reported for it. */
export const FILTERS: readonly Filter[] = [
  pinnedFilter,
  hypervisorFilter,
  migrationPoolFilter,
  zoneFilter,
  securityFilter,
  cpuModelFilter,
  numaFilter,
  tenancyFilter,
  affinityFilter,
  antiAffinityFilter,
  hugepagesFilter,
  capacityFilter,
];

export const INDEXED_FILTERS: readonly Filter[] = FILTERS.filter((f) => f.indexed);

/** The first filter that removes `host`, as `<filter>: <why>`; undefined when every filter passes. */
export function firstFailure(ctx: PlanContext, ledger: Ledger, vm: VmFacts, host: HostFacts): string | undefined {
  for (const filter of FILTERS) {
    if (!filter.test(ctx, ledger, vm, host)) return `${filter.name}: ${filter.reason(ctx, ledger, vm, host)}`;
  }
  return undefined;
}

/** The non-indexed filters, as the planner's inner loop runs them on a host from the candidate list. */
export function admitsOnCandidate(ctx: PlanContext, ledger: Ledger, vm: VmFacts, host: HostFacts): boolean {
  return admitsDemand(ctx, ledger, vm, host) && antiAffinityFilter.test(ctx, ledger, vm, host) && affinityFilter.test(ctx, ledger, vm, host);
}

/**
 * The non-indexed filters that read the VM's demand alone (size, hugepages, disks, isolation, NUMA), not
 * its groups: with the group filters, `admitsOnCandidate`.
 */
export function admitsDemand(ctx: PlanContext, ledger: Ledger, vm: VmFacts, host: HostFacts): boolean {
  return (
    capacityFilter.test(ctx, ledger, vm, host) &&
    hugepagesFilter.test(ctx, ledger, vm, host) &&
    tenancyFilter.test(ctx, ledger, vm, host) &&
    numaFilter.test(ctx, ledger, vm, host)
  );
}

/** Whether the indexed filters keep `host` for `vm`. */
export function indexedPass(ctx: PlanContext, ledger: Ledger, vm: VmFacts, host: HostFacts): boolean {
  for (const filter of INDEXED_FILTERS) if (!filter.test(ctx, ledger, vm, host)) return false;
  return true;
}
