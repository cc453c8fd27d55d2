/**
 * Running totals of a plan in progress: what each host carries, which groups sit where. Placing or
 * removing a VM updates them in O(disks + groups), so filters are numeric comparisons, never rescans.
 * The ledger is the only mutable state of the planner and never leaves it.
 */
import type { PlanContext } from './context';

type GroupHosts = Map<string, Map<number, number>>;

function bump(groups: GroupHosts, group: string | undefined, host: number, delta: number): void {
  if (group === undefined) return;
  let hosts = groups.get(group);
  if (!hosts) {
    hosts = new Map();
    groups.set(group, hosts);
  }
  const count = (hosts.get(host) ?? 0) + delta;
  if (count === 0) hosts.delete(host);
  else hosts.set(host, count);
}

/** A 32-bit integer hash (lowbias32 by Chris Wellons); fixed, so plans stay deterministic. */
export function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x | 0;
}

/** The content-hash key of a VM, low (half 0) or high (half 1) 32 bits. */
export function contentKey(vmIndex: number, half: 0 | 1): number {
  return mix(vmIndex * 2 + 1 + half);
}

/** The change ring holds at least this many changes, and this many per host (rounded up to a power of two). */
const CHANGE_RING_MIN = 1024;
const CHANGE_RING_PER_HOST = 4;

export class Ledger {
  readonly cpuUsed: Float64Array;
  readonly memoryUsed: Float64Array;
  /** MiB of each host's hugepage pool taken by hugepage-backed VMs. */
  readonly hugepageUsed: Float64Array;
  readonly tenants: Int32Array;
  /** Isolated-class VMs per host. */
  readonly isolated: Int32Array;
  /** Host index of each VM, -1 when unplaced. */
  readonly hostOf: Int32Array;
  /** Scale applied to a host's capacity while placing (below 1 keeps migration-pool headroom free). */
  readonly capacityScale: Float64Array;
  /** Per local limited storage pool, MiB used on each host. */
  readonly localDisk = new Map<string, Float64Array>();
  /** Per shared limited storage pool, MiB used fleet-wide. */
  readonly sharedDisk = new Map<string, number>();
  readonly affinity: GroupHosts = new Map();
  readonly antiAffinity: GroupHosts = new Map();
  readonly softAntiAffinity: GroupHosts = new Map();
  /** VMs per host, in placement order. */
  readonly vmsOn: Set<number>[];
  /**
   * Per host, a 64-bit (two halves) hash of the set of VMs it carries: the XOR of a fixed per-VM key
   * (Zobrist hashing), so equal sets give equal hashes whatever the order of assignments. Lets the
   * headroom check recognise a pool it has seen before without comparing VM lists.
   */
  readonly contentLow: Int32Array;
  readonly contentHigh: Int32Array;
  /**
   * The hosts whose contents or capacity scale changed, oldest first, in a ring of the last
   * `changedHosts.length` changes; `changes` counts every change so far. Lets a reader that kept
   * something per host (the placer's host rankings) bring it up to date by looking at those hosts only,
   * or at every host when more changed than the ring holds. Its length is a power of two.
   */
  readonly changedHosts: Int32Array;
  changes = 0;

  constructor(private readonly ctx: PlanContext) {
    const n = ctx.hosts.length;
    this.cpuUsed = new Float64Array(n);
    this.memoryUsed = new Float64Array(n);
    this.hugepageUsed = new Float64Array(n);
    this.tenants = new Int32Array(n);
    this.isolated = new Int32Array(n);
    this.capacityScale = new Float64Array(n).fill(1);
    this.hostOf = new Int32Array(ctx.vms.length).fill(-1);
    this.vmsOn = Array.from({ length: n }, () => new Set<number>());
    this.contentLow = new Int32Array(n);
    this.contentHigh = new Int32Array(n);
    let ring = CHANGE_RING_MIN;
    while (ring < CHANGE_RING_PER_HOST * n) ring *= 2;
    this.changedHosts = new Int32Array(ring);
  }

  /** Sets a host's capacity scale (below 1 keeps migration-pool headroom free while placing). */
  scaleCapacity(hostIndex: number, scale: number): void {
    this.capacityScale[hostIndex] = scale;
    this.noteChange(hostIndex);
  }

  /** Every host back to its full capacity. */
  resetCapacityScale(): void {
    for (let h = 0; h < this.capacityScale.length; h++) if (this.capacityScale[h] !== 1) this.scaleCapacity(h, 1);
  }

  private noteChange(hostIndex: number): void {
    this.changedHosts[this.changes & (this.changedHosts.length - 1)] = hostIndex;
    this.changes += 1;
  }

  assign(vmIndex: number, hostIndex: number): void {
    this.apply(vmIndex, hostIndex, 1);
    this.hostOf[vmIndex] = hostIndex;
    this.vmsOn[hostIndex]!.add(vmIndex);
  }

  unassign(vmIndex: number): void {
    const hostIndex = this.hostOf[vmIndex]!;
    if (hostIndex < 0) return;
    this.apply(vmIndex, hostIndex, -1);
    this.hostOf[vmIndex] = -1;
    this.vmsOn[hostIndex]!.delete(vmIndex);
  }

  private apply(vmIndex: number, hostIndex: number, sign: 1 | -1): void {
    const facts = this.ctx.vms[vmIndex]!;
    const vm = facts.vm;
    this.noteChange(hostIndex);
    this.cpuUsed[hostIndex]! += sign * vm.vcpus;
    this.memoryUsed[hostIndex]! += sign * facts.memoryMiB;
    this.hugepageUsed[hostIndex]! += sign * facts.hugepageMiB;
    this.tenants[hostIndex]! += sign;
    this.contentLow[hostIndex]! ^= contentKey(vmIndex, 0);
    this.contentHigh[hostIndex]! ^= contentKey(vmIndex, 1);
    if (vm.securityClass === 'isolated') this.isolated[hostIndex]! += sign;
    for (const disk of facts.disks) {
      if (disk.shared) {
        this.sharedDisk.set(disk.pool, (this.sharedDisk.get(disk.pool) ?? 0) + sign * disk.sizeMiB);
      } else {
        let perHost = this.localDisk.get(disk.pool);
        if (!perHost) {
          perHost = new Float64Array(this.ctx.hosts.length);
          this.localDisk.set(disk.pool, perHost);
        }
        perHost[hostIndex]! += sign * disk.sizeMiB;
      }
    }
    bump(this.affinity, vm.affinity, hostIndex, sign);
    bump(this.antiAffinity, vm.antiAffinity, hostIndex, sign);
    bump(this.softAntiAffinity, vm.softAntiAffinity, hostIndex, sign);
  }

  /** Load of a host as the larger of its CPU and memory fractions (0 when it has no capacity). */
  load(hostIndex: number): number {
    const capacity = this.ctx.hosts[hostIndex]!.capacity;
    const cpu = capacity.cpu > 0 ? this.cpuUsed[hostIndex]! / capacity.cpu : 0;
    const memory = capacity.memoryMiB > 0 ? this.memoryUsed[hostIndex]! / capacity.memoryMiB : 0;
    return Math.max(cpu, memory);
  }
}
