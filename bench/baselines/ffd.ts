/**
 * First-fit decreasing: the textbook bin-packing baseline the planner's packing is compared with.
 *
 * VMs are sorted by their dominant resource share (the larger of vCPUs and memory as a fraction of the
 * fleet's usable total, as in Dominant Resource Fairness), largest first; each goes to the first host in
 * fleet order with room. Only hard constraints apply — hypervisor kind, capacity after reservation and
 * overcommit (`hostCapacity`, the planner's own definition) and a pinned host — so FFD solves an easier
 * problem than the planner (no security classes, migration pools, anti-affinity or headroom).
 */
import type { Fleet, Host, Vm } from '../../fleet/model';
import { hostCapacity } from '../../planner/capacity';

export interface BaselineResult {
  /** Hosts that carry at least one VM. */
  readonly hostsUsed: number;
  readonly placed: number;
  /** VMs no host could take. */
  readonly unplaced: number;
}

/** Numeric view of the hosts both baselines share: capacities and running totals. */
export interface HostBins {
  readonly hosts: readonly Host[];
  readonly cpuCapacity: Float64Array;
  readonly memoryCapacity: Float64Array;
  readonly cpuUsed: Float64Array;
  readonly memoryUsed: Float64Array;
  readonly tenants: Int32Array;
  readonly byName: ReadonlyMap<string, number>;
}

export function hostBins(fleet: Fleet): HostBins {
  const n = fleet.hosts.length;
  const bins = {
    hosts: fleet.hosts,
    cpuCapacity: new Float64Array(n),
    memoryCapacity: new Float64Array(n),
    cpuUsed: new Float64Array(n),
    memoryUsed: new Float64Array(n),
    tenants: new Int32Array(n),
    byName: new Map(fleet.hosts.map((h, i) => [h.name, i])),
  };
  fleet.hosts.forEach((host, i) => {
    const capacity = hostCapacity(host);
    bins.cpuCapacity[i] = capacity.cpu;
    bins.memoryCapacity[i] = capacity.memoryMiB;
  });
  return bins;
}

/** The hard constraints both baselines share: kind, pinned host, room. */
export function fits(bins: HostBins, vm: Vm, i: number): boolean {
  const host = bins.hosts[i]!;
  if (vm.hypervisor !== 'auto' && vm.hypervisor !== host.hypervisor) return false;
  if (vm.host !== undefined && vm.host !== host.name) return false;
  return bins.cpuUsed[i]! + vm.vcpus <= bins.cpuCapacity[i]! && bins.memoryUsed[i]! + vm.memoryMiB <= bins.memoryCapacity[i]!;
}

export function assign(bins: HostBins, vm: Vm, i: number): void {
  bins.cpuUsed[i]! += vm.vcpus;
  bins.memoryUsed[i]! += vm.memoryMiB;
  bins.tenants[i]! += 1;
}

export function result(bins: HostBins, placed: number, total: number): BaselineResult {
  let hostsUsed = 0;
  for (const tenants of bins.tenants) if (tenants > 0) hostsUsed += 1;
  return { hostsUsed, placed, unplaced: total - placed };
}

/** Hosts first-fit decreasing needs for the fleet's VMs. */
export function firstFitDecreasing(fleet: Fleet): BaselineResult {
  const bins = hostBins(fleet);
  const totalCpu = bins.cpuCapacity.reduce((a, b) => a + b, 0) || 1;
  const totalMemory = bins.memoryCapacity.reduce((a, b) => a + b, 0) || 1;
  const share = (vm: Vm): number => Math.max(vm.vcpus / totalCpu, vm.memoryMiB / totalMemory);
  const order = fleet.vms
    .map((vm) => ({ vm, share: share(vm) }))
    .sort((a, b) => b.share - a.share || (a.vm.name < b.vm.name ? -1 : a.vm.name > b.vm.name ? 1 : 0));
  let placed = 0;
  for (const { vm } of order) {
    for (let i = 0; i < bins.hosts.length; i++) {
      if (!fits(bins, vm, i)) continue;
      assign(bins, vm, i);
      placed += 1;
      break;
    }
  }
  return result(bins, placed, order.length);
}
