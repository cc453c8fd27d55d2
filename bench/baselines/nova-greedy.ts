/**
 * A Nova-like scheduler: requests arrive one at a time (fleet order) and each is placed for good, as
 * OpenStack Nova's FilterScheduler does. Filters: hypervisor kind and pinned host (Nova's
 * ComputeFilter/AggregateInstanceExtraSpecsFilter), capacity after reservation and overcommit
 * (RAM/Core filters, placement allocation ratios) and anti-affinity (ServerGroupAntiAffinityFilter).
 * Weigher: Nova's RAMWeigher, which by default (`ram_weight_multiplier = 1.0`) prefers the host with the
 * most free RAM and so spreads; a negative multiplier stacks (packs), the fair comparison with the
 * planner's pack strategy. Ties go to the first host in fleet order (Nova picks at random among
 * `host_subset_size`, default 1, best hosts).
 */
import type { Fleet } from '../../fleet/model';
import { assign, fits, hostBins, result, type BaselineResult } from './ffd';

export type RamWeigher = 'spread' | 'pack';

export function novaGreedy(fleet: Fleet, weigher: RamWeigher = 'spread'): BaselineResult {
  const bins = hostBins(fleet);
  const sign = weigher === 'spread' ? 1 : -1;
  const groupHosts = new Map<string, Set<number>>();
  let placed = 0;
  for (const vm of fleet.vms) {
    const taken = vm.antiAffinity === undefined ? undefined : groupHosts.get(vm.antiAffinity);
    let best = -1;
    let bestWeight = -Infinity;
    for (let i = 0; i < bins.hosts.length; i++) {
      if (taken?.has(i) || !fits(bins, vm, i)) continue;
      const weight = sign * (bins.memoryCapacity[i]! - bins.memoryUsed[i]!);
      if (weight > bestWeight) {
        best = i;
        bestWeight = weight;
      }
    }
    if (best < 0) continue;
    assign(bins, vm, best);
    placed += 1;
    if (vm.antiAffinity !== undefined) {
      const hosts = groupHosts.get(vm.antiAffinity) ?? new Set<number>();
      hosts.add(best);
      groupHosts.set(vm.antiAffinity, hosts);
    }
  }
  return result(bins, placed, fleet.vms.length);
}
