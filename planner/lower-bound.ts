/**
 * A true lower bound on the hosts any valid placement of the fleet's VMs uses, to grade a plan
 * (quality = hostsUsed / lowerBound, 1 is optimal). Two relaxations, the larger wins:
 *
 * 1. Volume per hypervisor kind. Any hk KVM hosts offer at most P_K,r(hk), the sum of the hk largest KVM
 *    capacities of resource r (CPU, memory); likewise P_X,r for Xen. VMs forced to KVM need hk with
 *    P_K,r(hk) ≥ Σ KVM demand_r for every r (likewise Xen), and all VMs (incl. `auto`) need
 *    P_K,r(hk) + P_X,r(hx) ≥ Σ demand_r. The bound is the least hk + hx meeting these, found by trying
 *    every hk. Every valid placement meets them, so the bound never exceeds its host count.
 * 2. Isolation. Each isolated VM occupies a host alone, so at least (#isolated) + (hosts needed by the
 *    others' volume over all hosts, as above) hosts are needed.
 * VMs that no host of their kind could hold are left out (they stay unplaced in every plan).
 */
import type { Fleet, Hypervisor } from '../fleet/model';
import { hostCapacity } from './capacity';

type Pair = [cpu: number, memory: number];
/** Per resource, prefix sums of capacities sorted largest first: prefix[r][k] = sum of the k largest. */
type Prefix = [number[], number[]];

function prefixSums(fleet: Fleet, kind: Hypervisor | undefined): Prefix {
  const capacities = fleet.hosts.filter((h) => kind === undefined || h.hypervisor === kind).map(hostCapacity);
  const sums = (values: number[]): number[] => {
    const sorted = [...values].sort((a, b) => b - a);
    const out = [0];
    for (const v of sorted) out.push(out[out.length - 1]! + v);
    return out;
  };
  return [sums(capacities.map((c) => c.cpu)), sums(capacities.map((c) => c.memoryMiB))];
}

/** Fewest hosts whose largest capacities cover `total` in every resource; Infinity when all do not. */
function hostsFor(total: Pair, prefix: Prefix): number {
  let needed = 0;
  for (let r = 0; r < 2; r++) {
    if (total[r]! <= 0) continue;
    const k = prefix[r]!.findIndex((sum) => sum >= total[r]!);
    if (k < 0) return Number.POSITIVE_INFINITY;
    needed = Math.max(needed, k);
  }
  return needed;
}

const largest = (prefix: Prefix): Pair => [prefix[0][1] ?? 0, prefix[1][1] ?? 0];
const fitsIn = (vcpus: number, memoryMiB: number, cap: Pair): boolean => vcpus <= cap[0] && memoryMiB <= cap[1];

export function lowerBound(fleet: Fleet): number {
  const prefixK = prefixSums(fleet, 'kvm');
  const prefixX = prefixSums(fleet, 'xen');
  const prefixAny = prefixSums(fleet, undefined);
  const capK = largest(prefixK);
  const capX = largest(prefixX);
  const forcedK: Pair = [0, 0];
  const forcedX: Pair = [0, 0];
  const all: Pair = [0, 0];
  const shared: Pair = [0, 0];
  let isolated = 0;
  for (const vm of fleet.vms) {
    const inK = fitsIn(vm.vcpus, vm.memoryMiB, capK);
    const inX = fitsIn(vm.vcpus, vm.memoryMiB, capX);
    const placeable = vm.hypervisor === 'kvm' ? inK : vm.hypervisor === 'xen' ? inX : inK || inX;
    if (!placeable) continue;
    const target = vm.hypervisor === 'kvm' ? forcedK : vm.hypervisor === 'xen' ? forcedX : undefined;
    const d: Pair = [vm.vcpus, vm.memoryMiB];
    for (let r = 0; r < 2; r++) {
      if (target) target[r]! += d[r]!;
      all[r]! += d[r]!;
      if (vm.securityClass !== 'isolated') shared[r]! += d[r]!;
    }
    if (vm.securityClass === 'isolated') isolated += 1;
  }
  const a = hostsFor(forcedK, prefixK);
  const b = hostsFor(forcedX, prefixX);
  let volume = Number.POSITIVE_INFINITY;
  const kvmHosts = prefixK[0].length - 1;
  for (let hk = Number.isFinite(a) ? a : kvmHosts + 1; hk <= kvmHosts; hk++) {
    const rest: Pair = [all[0] - prefixK[0][hk]!, all[1] - prefixK[1][hk]!];
    volume = Math.min(volume, hk + Math.max(b, hostsFor(rest, prefixX)));
  }
  const isolation = isolated + hostsFor(shared, prefixAny);
  const bound = Math.max(volume, isolation);
  // Infinity: the fleet cannot hold its VMs at all; every host is then a valid (and the best known) bound.
  return Number.isFinite(bound) ? bound : fleet.hosts.length;
}
