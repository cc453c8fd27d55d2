/**
 * The steps of a plan around the best-host placer, in the order `runPlan` takes them: keep the locked
 * placements, guard the pools they leave satisfied, order and place the rest, restore the headroom of
 * pools that lost it, and say why a VM stayed unplaced.
 */
import type { PlanContext, VmFacts } from './context';
import { firstFailure } from './filters';
import { poolHeadroom, poolMembers, RESERVE_HOSTS } from './headroom';
import type { Ledger } from './ledger';
import type { Lock } from './lock';
import type { Placer } from './placer';
import type { HostUsage } from './types';
import { nameRecord } from '../fleet/name-record';

/** A locked VM that may not stay where the lock put it: its old host and the reason. */
export interface Displaced {
  readonly from: string;
  readonly reason: string;
}

/** Keeps every locked placement that still passes every filter (VMs in name order); returns the others. */
export function keepLocked(placer: Placer, lock: Lock | undefined): Map<number, Displaced> {
  const { ctx, ledger } = placer;
  const displaced = new Map<number, Displaced>();
  if (!lock) return displaced;
  for (const vm of ctx.vms) {
    const from = lock.placements[vm.vm.name];
    if (from === undefined) continue;
    const h = ctx.hostIndex.get(from);
    if (h === undefined) {
      displaced.set(vm.index, { from, reason: `host ${from} no longer in the fleet` });
      continue;
    }
    const failure = firstFailure(ctx, ledger, vm, ctx.hosts[h]!);
    if (failure === undefined) {
      ledger.assign(vm.index, h);
      placer.kept[vm.index] = 1;
    } else {
      displaced.set(vm.index, { from, reason: failure });
    }
  }
  return displaced;
}

/** Unplaced VMs, tightest first (candidate count rounded to a power of two), then largest, then by name. */
export function placementOrder(placer: Placer): VmFacts[] {
  const { ctx, ledger } = placer;
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  const spread = ctx.strategy === 'spread';
  const keyed = ctx.vms
    .filter((v) => ledger.hostOf[v.index] === -1)
    .map((v) => ({
      v,
      pinned: v.vm.host === undefined ? 1 : 0,
      isolated: v.vm.securityClass === 'isolated' ? 0 : 1,
      strict: v.vm.numa === 'strict' ? 0 : 1,
      // Spreading: hard anti-affinity members first, so soft members and zone spread work around them.
      apart: spread && v.vm.antiAffinity !== undefined ? 0 : 1,
      // Candidate count in powers of two: VMs about as flexible go largest first together (a pool of 12
      // hosts and one of 9 are equally tight), which packs better than ordering by the exact count.
      eligible: Math.ceil(Math.log2(placer.candidates.of(v).length + 1)),
      share: Math.max(v.vm.vcpus / maxCpu, v.vm.memoryMiB / maxMemory),
    }));
  keyed.sort(
    (a, b) =>
      a.pinned - b.pinned || a.isolated - b.isolated || a.strict - b.strict || a.apart - b.apart || a.eligible - b.eligible || b.share - a.share || a.v.index - b.v.index,
  );
  return keyed.map((k) => k.v);
}

/** Places VMs in order; affinity-group members follow right after the first one placed. Returns failures. */
export function placeAll(placer: Placer, order: readonly VmFacts[]): VmFacts[] {
  const pendingByGroup = new Map<string, VmFacts[]>();
  for (const v of order) {
    if (v.vm.affinity === undefined) continue;
    const list = pendingByGroup.get(v.vm.affinity);
    if (list) list.push(v);
    else pendingByGroup.set(v.vm.affinity, [v]);
  }
  const done = new Uint8Array(placer.ctx.vms.length);
  const failed: VmFacts[] = [];
  const attempt = (v: VmFacts): boolean => {
    done[v.index] = 1;
    if (placer.place(v)) return true;
    failed.push(v);
    return false;
  };
  for (const v of order) {
    if (done[v.index]) continue;
    if (!attempt(v) || v.vm.affinity === undefined) continue;
    for (const member of pendingByGroup.get(v.vm.affinity) ?? []) if (!done[member.index]) attempt(member);
  }
  return failed;
}

/**
 * Guards, before anything new is placed, every reserve pool the kept placements leave satisfied, so each
 * placement is checked against its headroom right away (the quick verdicts of the headroom guard make
 * that cheap) and no pool has to be evicted and re-placed afterwards.
 */
export function guardSatisfiedPools(placer: Placer): void {
  const { ctx, ledger } = placer;
  for (const pool of ctx.migrationPools.values()) {
    if (pool.reserve !== 'none' && poolHeadroom(ctx, ledger, pool).satisfied) placer.guard.guarded.add(pool.name);
  }
}

/**
 * Restores headroom of every reserve pool that lost it, where only VMs placed in this run are to blame:
 * they leave the pool's hosts and are placed again against capacity scaled to (m − k)/m per member and
 * the verified check. `rank` is each VM's place in the placement order. Returns the VMs that found no
 * host again.
 */
export function enforceHeadroom(placer: Placer, rank: Int32Array): VmFacts[] {
  const { ctx, ledger } = placer;
  const failed: VmFacts[] = [];
  const pools = [...ctx.migrationPools.values()].filter((p) => p.reserve !== 'none').sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const pool of pools) {
    if (poolHeadroom(ctx, ledger, pool).satisfied) {
      placer.guard.guarded.add(pool.name);
      continue;
    }
    const members = poolMembers(ctx, pool);
    const evicted = members
      .flatMap((h) => [...ledger.vmsOn[h]!])
      .filter((v) => !placer.kept[v])
      .sort((a, b) => rank[a]! - rank[b]!);
    const before = evicted.map((v) => ledger.hostOf[v]!);
    for (const v of evicted) ledger.unassign(v);
    if (!poolHeadroom(ctx, ledger, pool).satisfied) {
      // Locked VMs alone break it: nothing placed now can restore it; report it unsatisfied.
      evicted.forEach((v, i) => ledger.assign(v, before[i]!));
      continue;
    }
    const reserve = RESERVE_HOSTS[pool.reserve];
    const scale = members.length > reserve ? (members.length - reserve) / members.length : 0;
    for (const h of members) ledger.scaleCapacity(h, Math.min(ledger.capacityScale[h]!, scale));
    placer.guard.guarded.add(pool.name);
    for (const v of evicted) if (!placer.place(ctx.vms[v]!)) failed.push(ctx.vms[v]!);
  }
  return failed;
}

/** Per host, why an unplaced VM cannot go there: the first filter that removes it, else the headroom guard's refusal. */
export function unplacedReasons(placer: Placer, vm: VmFacts): Record<string, string> {
  const { ctx, ledger } = placer;
  const reasons = nameRecord<string>();
  for (const host of ctx.hosts) {
    reasons[host.host.name] = firstFailure(ctx, ledger, vm, host) ?? placer.guard.refusal(host.index);
  }
  return reasons;
}

export function hostUsage(ctx: PlanContext, ledger: Ledger): HostUsage[] {
  return ctx.hosts.map((h) => ({
    name: h.host.name,
    cpu: { used: ledger.cpuUsed[h.index]!, capacity: h.capacity.cpu },
    memoryMiB: { used: ledger.memoryUsed[h.index]!, capacity: h.capacity.memoryMiB },
    ...(h.capacity.hugepageMiB > 0 ? { hugepageMiB: { used: ledger.hugepageUsed[h.index]!, capacity: h.capacity.hugepageMiB } } : {}),
  }));
}
