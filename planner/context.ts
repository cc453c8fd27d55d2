/**
 * Facts the planner derives once per plan: hosts and VMs sorted by name with their numeric demands and
 * capacities, lookups by name, and the fleet-wide facts the security and CPU-model filters depend on.
 */
import type { Fleet, Host, MigrationPool, PlacementStrategy, StoragePool, Vm } from '../fleet/model';
import { fleetIndex } from '../fleet/fleet-index';
import { guestOverheadMiB, hostCapacity, type HostCapacity } from './capacity';

export interface HostFacts {
  readonly index: number;
  readonly host: Host;
  readonly capacity: HostCapacity;
  /**
   * Physical CPUs and memory of the largest NUMA node, for `numa: strict` VMs. Never the overcommitted
   * share: a guest cannot overcommit against itself on one node (Nova, nova/virt/hardware.py
   * `_numa_fit_instance_cell`: an instance cell's vCPUs and memory must fit the host cell's own).
   */
  readonly numaCpu: number;
  readonly numaMemoryMiB: number;
  /** Migration pools the host belongs to, by name. */
  readonly pools: readonly string[];
}

export interface DiskDemand {
  readonly pool: string;
  readonly sizeMiB: number;
  readonly shared: boolean;
}

export interface VmFacts {
  readonly index: number;
  readonly vm: Vm;
  /**
   * Regular (overcommittable) host memory the VM takes: its RAM unless hugepage-backed, plus the
   * hypervisor's per-guest overhead (`guestOverheadMiB`: QEMU on KVM, paging memory on Xen).
   */
  readonly memoryMiB: number;
  /** Memory taken from the host's hugepage pool (its RAM when hugepage-backed, else 0). */
  readonly hugepageMiB: number;
  /** The per-guest overhead part of `memoryMiB`. */
  readonly overheadMiB: number;
  /** Disk space per storage pool that has a declared capacity (other pools are not limited). */
  readonly disks: readonly DiskDemand[];
  /** Whether the guest sees the host CPU as is (declared, or inherited from its migration pool). */
  readonly passthrough: boolean;
}

export interface PlanContext {
  readonly fleet: Fleet;
  readonly strategy: PlacementStrategy;
  readonly hosts: readonly HostFacts[];
  readonly vms: readonly VmFacts[];
  readonly hostIndex: ReadonlyMap<string, number>;
  readonly vmIndex: ReadonlyMap<string, number>;
  readonly migrationPools: ReadonlyMap<string, MigrationPool>;
  /** Per migration pool, the distinct CPU models of its hosts (`unknown` when a host declares none), sorted. */
  readonly poolCpuModels: ReadonlyMap<string, readonly string[]>;
  /** Capacity of limited storage pools (per host for local pools, fleet-wide for shared ones). */
  readonly storageCapacity: ReadonlyMap<string, number>;
  readonly sensitiveHostsExist: boolean;
  readonly isolationHostsExist: boolean;
  /** Both hypervisor kinds present. */
  readonly hybrid: boolean;
  /** Largest usable capacity of any host, per resource (at least 1). */
  readonly largestCapacity: { readonly cpu: number; readonly memoryMiB: number };
  /** Host index each VM was locked to, -1 when none (or the host is gone). */
  readonly lockedHost: Int32Array;
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function hostFacts(host: Host, index: number, poolsOf: ReadonlyMap<string, string[]>): HostFacts {
  const nodes = host.numaNodes.length > 0 ? host.numaNodes : [{ cpus: host.cpus, memoryMiB: host.memoryMiB }];
  return {
    index,
    host,
    capacity: hostCapacity(host),
    numaCpu: Math.max(...nodes.map((n) => n.cpus)),
    numaMemoryMiB: Math.max(...nodes.map((n) => n.memoryMiB)),
    pools: poolsOf.get(host.name) ?? [],
  };
}

function isPassthrough(vm: Vm, pools: ReadonlyMap<string, MigrationPool>): boolean {
  if (vm.cpuMode !== undefined) return vm.cpuMode === 'host-passthrough';
  const pool = vm.migrationPool === undefined ? undefined : pools.get(vm.migrationPool);
  return pool?.cpuModel === 'host-passthrough';
}

/** A VM's disk space per storage pool with a declared capacity, in pool name order. */
function limitedDisks(vm: Vm, storageCapacity: ReadonlyMap<string, number>, storage: ReadonlyMap<string, StoragePool>): DiskDemand[] {
  // Most fleets limit no pool: then no VM needs the per-pool sums (a map per VM, which a large fleet notices).
  if (storageCapacity.size === 0) return [];
  const perPool = new Map<string, number>();
  for (const disk of vm.disks) {
    if (disk.pool === undefined || !storageCapacity.has(disk.pool)) continue;
    perPool.set(disk.pool, (perPool.get(disk.pool) ?? 0) + disk.sizeMiB);
  }
  return [...perPool.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([pool, sizeMiB]) => ({ pool, sizeMiB, shared: storage.get(pool)?.shared ?? false }));
}

export interface ContextOptions {
  readonly strategy?: PlacementStrategy;
  /** VM name → host name from the lock file. */
  readonly locked?: Readonly<Record<string, string>>;
}

/** What `buildContext` derives from the fleet alone: everything but the strategy and the lock. */
type FleetFacts = Omit<PlanContext, 'strategy' | 'lockedHost'>;

/**
 * The facts per fleet, built once: `check` places the fleet and then simulates failures on the placement,
 * and both need the same sorted hosts and VMs with their demands (a tenth of a second at 20,000 VMs). A
 * cache like `fleetIndex`, safe for the same reason: a `Fleet` is immutable, and the facts are read only.
 */
const factsByFleet = new WeakMap<Fleet, FleetFacts>();

function fleetFacts(fleet: Fleet): FleetFacts {
  let facts = factsByFleet.get(fleet);
  if (facts === undefined) {
    facts = buildFleetFacts(fleet);
    factsByFleet.set(fleet, facts);
  }
  return facts;
}

function buildFleetFacts(fleet: Fleet): FleetFacts {
  const sortedHosts = [...fleet.hosts].sort(byName);
  const sortedVms = [...fleet.vms].sort(byName);
  const { migrationPools, storagePools: storage } = fleetIndex(fleet);
  const poolsOf = new Map<string, string[]>();
  for (const pool of [...fleet.migrationPools].sort(byName)) {
    for (const member of pool.hosts) {
      const list = poolsOf.get(member);
      if (list) list.push(pool.name);
      else poolsOf.set(member, [pool.name]);
    }
  }
  const hosts = sortedHosts.map((h, i) => hostFacts(h, i, poolsOf));
  const hostIndex = new Map(hosts.map((h) => [h.host.name, h.index]));
  const storageCapacity = new Map<string, number>();
  for (const p of fleet.pools) if (p.capacityMiB !== undefined) storageCapacity.set(p.name, p.capacityMiB);

  const vms = sortedVms.map((vm, index): VmFacts => {
    const disks = limitedDisks(vm, storageCapacity, storage);
    const overhead = guestOverheadMiB(vm.hypervisor, vm.vcpus, vm.memoryMiB);
    return {
      index,
      vm,
      memoryMiB: (vm.hugepages ? 0 : vm.memoryMiB) + overhead,
      hugepageMiB: vm.hugepages ? vm.memoryMiB : 0,
      overheadMiB: overhead,
      disks,
      passthrough: isPassthrough(vm, migrationPools),
    };
  });
  const vmIndex = new Map(vms.map((v) => [v.vm.name, v.index]));

  const poolCpuModels = new Map<string, string[]>();
  for (const pool of fleet.migrationPools) {
    const models = new Set<string>();
    for (const member of pool.hosts) {
      const index = hostIndex.get(member);
      if (index !== undefined) models.add(hosts[index]!.host.cpuModel ?? 'unknown');
    }
    poolCpuModels.set(pool.name, [...models].sort());
  }

  const label = (h: HostFacts): string | undefined => h.host.labels['securityClass'];
  return {
    fleet,
    hosts,
    vms,
    hostIndex,
    vmIndex,
    migrationPools,
    poolCpuModels,
    storageCapacity,
    sensitiveHostsExist: hosts.some((h) => label(h) === 'sensitive'),
    isolationHostsExist: hosts.some((h) => label(h) === 'isolated' || label(h) === 'sensitive'),
    hybrid: hosts.some((h) => h.host.hypervisor === 'kvm') && hosts.some((h) => h.host.hypervisor === 'xen'),
    largestCapacity: {
      cpu: Math.max(1, ...hosts.map((h) => h.capacity.cpu)),
      memoryMiB: Math.max(1, ...hosts.map((h) => h.capacity.memoryMiB)),
    },
  };
}

/** The planner's context: the fleet's facts (shared by every context of the fleet) with a strategy and a lock. */
export function buildContext(fleet: Fleet, options: ContextOptions = {}): PlanContext {
  const facts = fleetFacts(fleet);
  const lockedHost = new Int32Array(facts.vms.length).fill(-1);
  for (const [vmName, hostName] of Object.entries(options.locked ?? {})) {
    const v = facts.vmIndex.get(vmName);
    const h = facts.hostIndex.get(hostName);
    if (v !== undefined && h !== undefined) lockedHost[v] = h;
  }
  return { ...facts, strategy: options.strategy ?? fleet.defaults.placement.strategy, lockedHost };
}
