/**
 * The placement planner. Pure: the same fleet and lock give the same result, byte for byte.
 *
 * 1. Keep every locked placement that still passes every filter (VMs in name order); the others move,
 *    with the reason their old host was refused.
 * 2. Order the VMs left by tightness (pinned, isolated, strict NUMA, hard anti-affinity when spreading, fewest candidate hosts in powers of two), then by
 *    size (dominant share of the largest host) descending, then name; members of an affinity group follow
 *    the first one placed.
 * 3. Place each on the best-scoring host the filters keep.
 * 4. Bounded local search (local-search.ts) moves only VMs placed in this run, never a kept one.
 * 5. Migration-pool headroom: a pool with reserve n+1/n+2 that lost it gets its newly placed VMs
 *    re-placed against capacity scaled to (m − k)/m per member and a verified headroom check; VMs that
 *    still cannot go anywhere stay unplaced with the reason.
 */
import type { Fleet, PlacementStrategy } from '../fleet/model';
import { CandidateIndex } from './candidates';
import { buildContext, type HostFacts, type PlanContext, type VmFacts } from './context';
import { admitsOnCandidate, firstFailure } from './filters';
import { evacuate, failureSets, poolHeadroom, poolMembers, poolsHeadroom, agreesFor, RESERVE_HOSTS, type Evacuation } from './headroom';
import { Ledger } from './ledger';
import { nameRecord } from '../fleet/name-record';
import type { Lock } from './lock';
import { localSearch, DEFAULT_LOCAL_SEARCH_BUDGET } from './local-search';
import { lowerBound } from './lower-bound';
import type { HostUsage, Move, PlanResult, UnplacedVm } from './types';
import { totalScore } from './weighers';

export interface PlanOptions {
  /** Overrides `defaults.placement.strategy`. */
  readonly strategy?: PlacementStrategy;
  /** Attempted VM moves the local search may spend. @default DEFAULT_LOCAL_SEARCH_BUDGET */
  readonly localSearchBudget?: number;
}

/** A finished plan with the state it was computed from, for explain and drain. */
export interface PlanRun {
  readonly ctx: PlanContext;
  readonly ledger: Ledger;
  readonly result: PlanResult;
}

function seenCapacity(seen: readonly EmptyHostKey[], host: HostFacts, zone: string | undefined): boolean {
  return seen.some((key) => key.cpu === host.capacity.cpu && key.memoryMiB === host.capacity.memoryMiB && key.zone === zone);
}

/** What an empty host's score depends on: its capacity, and its zone for VMs with an anti-affinity group. */
interface EmptyHostKey {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly zone: string | undefined;
}

interface Displaced {
  readonly from: string;
  readonly reason: string;
}

/** Everything the placement steps share while one plan runs. */
export class Placer {
  readonly candidates: CandidateIndex;
  /** VMs kept from the lock file; nothing moves them. */
  readonly kept: Uint8Array;
  /** Pools whose headroom every later placement must preserve. */
  readonly guarded = new Set<string>();

  constructor(
    readonly ctx: PlanContext,
    readonly ledger: Ledger,
  ) {
    this.candidates = new CandidateIndex(ctx, ledger);
    this.kept = new Uint8Array(ctx.vms.length);
  }

  /**
   * Best host for an unplaced VM among its candidates, or -1. `exclude` skips one host; `usedOnly`
   * considers only hosts that already carry a VM (local search must not open hosts).
   */
  bestHost(vm: VmFacts, exclude = -1, usedOnly = false, refused?: ReadonlySet<number>): number {
    const { ctx, ledger } = this;
    const { cpuUsed, memoryUsed, capacityScale, tenants } = ledger;
    const vcpus = vm.vm.vcpus;
    const memoryMiB = vm.memoryMiB;
    const locked = ctx.lockedHost[vm.index]!;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    // An empty host's score depends only on its capacity, its zone for grouped VMs (zone spread), and on
    // whether it is the locked host: of empty hosts alike only the first (lowest index, which wins ties
    // anyway) is scored.
    const emptySeen: EmptyHostKey[] = [];
    const zoned = ctx.strategy === 'spread' && (vm.vm.antiAffinity !== undefined || vm.vm.softAntiAffinity !== undefined);
    for (const h of this.candidates.of(vm)) {
      if (h === exclude) continue;
      const empty = tenants[h] === 0;
      const zone = zoned ? ctx.hosts[h]!.host.zone : undefined;
      if (empty && (usedOnly || (h !== locked && seenCapacity(emptySeen, ctx.hosts[h]!, zone)))) continue;
      const host = ctx.hosts[h]!;
      // The capacity filter's numbers first, inline: most hosts of a big plan are full.
      const scale = capacityScale[h]!;
      if (cpuUsed[h]! + vcpus > host.capacity.cpu * scale || memoryUsed[h]! + memoryMiB > host.capacity.memoryMiB * scale) continue;
      if (refused?.has(h) || !admitsOnCandidate(ctx, ledger, vm, host)) continue;
      const score = totalScore(ctx, ledger, vm, host);
      if (empty && h !== locked) emptySeen.push({ cpu: host.capacity.cpu, memoryMiB: host.capacity.memoryMiB, zone });
      if (score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }

  /** Whether placing `vm` on `h` keeps every guarded pool of `h` satisfied. */
  keepsHeadroom(vm: number, h: number): boolean {
    const pools = this.ctx.hosts[h]!.pools;
    if (pools.length === 0 || this.guarded.size === 0) return true;
    let ok = true;
    let assigned = false;
    for (const p of pools) {
      if (!this.guarded.has(p)) continue;
      const facts = this.poolFacts(p);
      if (!this.spareSuffices(facts, vm)) {
        ok = false;
        break;
      }
      if (!assigned) {
        this.ledger.assign(vm, h);
        assigned = true;
      }
      if (facts.reserve === 1 && facts.members.length > 1 && this.eachHasRefuge(facts.members)) continue;
      if (!this.evacuationsHold(p, facts.members, facts.reserve, h)) {
        ok = false;
        break;
      }
    }
    if (assigned) this.ledger.unassign(vm);
    return ok;
  }

  /**
   * Per guarded pool, per failure set, its first-fit evacuation as last computed and the pool's contents
   * then (per member, the ledger's content hash, low and high halves).
   */
  private readonly evacuations = new Map<string, { evacuation: Evacuation; low: Int32Array; high: Int32Array }[]>();
  /** Per pool and member (index into the members) receiving a VM, the failure set whose evacuation failed last. */
  private readonly lastFailedSet = new Map<string, Int32Array>();
  /** Per pool, its failure sets, the survivors of each and, per member, whether it is in each set. */
  private readonly splits = new Map<string, { sets: number[][]; survivors: number[][]; failing: Uint8Array[] }>();

  /**
   * The verified check (`poolHeadroom`'s verdict: every failure set's first-fit evacuation succeeds) for
   * pool `p` as the ledger stands; `h` is the member that just received a VM (-1 when none did), whose
   * last failing set goes first. A set's remembered evacuation stands for the one `evacuate` would
   * compute now when its failed members carry the same VMs and every survivor whose contents changed
   * answers first-fit's questions as before (`agreesFor`); the other sets run `evacuate` again from the
   * remembered evacuation, asking only the survivors whose answers may differ.
   */
  private evacuationsHold(p: string, members: readonly number[], reserve: number, h: number): boolean {
    const { ctx, ledger } = this;
    let split = this.splits.get(p);
    if (!split) {
      const sets = failureSets(members, reserve);
      split = {
        sets,
        survivors: sets.map((failed) => members.filter((m) => !failed.includes(m))),
        failing: sets.map((failed) => Uint8Array.from(members, (m) => (failed.includes(m) ? 1 : 0))),
      };
      this.splits.set(p, split);
    }
    const { sets, survivors: survivorsOf, failing } = split;
    let known = this.evacuations.get(p);
    if (!known) this.evacuations.set(p, (known = new Array(sets.length)));
    const { contentLow, contentHigh } = ledger;
    const index = members.indexOf(h);
    // The verdict is the same in any order: every set must succeed. A set that failed last time for this
    // pool and receiving member usually fails again, so it goes first: a failing trial costs one evacuation.
    const first = index < 0 ? 0 : (this.lastFailedSet.get(p)?.[index] ?? 0);
    for (let k = 0; k < sets.length; k++) {
      const i = k === 0 ? first : k <= first ? k - 1 : k;
      const before = known[i];
      const changed = before === undefined ? undefined : this.changedSurvivors(members, failing[i]!, survivorsOf[i]!, before);
      let ok: boolean;
      if (changed === null) {
        ok = before!.evacuation.ok;
      } else {
        const evacuation = evacuate(ctx, ledger, survivorsOf[i]!, sets[i]!, before?.evacuation, changed);
        const low = new Int32Array(members.length);
        const high = new Int32Array(members.length);
        for (let j = 0; j < members.length; j++) {
          low[j] = contentLow[members[j]!]!;
          high[j] = contentHigh[members[j]!]!;
        }
        known[i] = { evacuation, low, high };
        ok = evacuation.ok;
      }
      if (!ok) {
        if (index >= 0) {
          let last = this.lastFailedSet.get(p);
          if (!last) this.lastFailedSet.set(p, (last = new Int32Array(members.length)));
          last[index] = i;
        }
        return false;
      }
    }
    return true;
  }

  /**
   * Null when a remembered evacuation is the one first-fit computes on the ledger as it stands (the failed
   * members carry the same VMs and every survivor whose contents changed answers as then, `agreesFor`;
   * its remembered contents then become the ledger's); otherwise the survivors whose contents changed,
   * for `evacuate` to start from the remembered evacuation.
   */
  private changedSurvivors(
    members: readonly number[],
    failing: Uint8Array,
    survivors: readonly number[],
    before: { evacuation: Evacuation; low: Int32Array; high: Int32Array },
  ): Uint8Array | null {
    const { ctx, ledger } = this;
    const { contentLow, contentHigh } = ledger;
    const changed = new Uint8Array(survivors.length);
    const length = before.evacuation.leaving.length;
    let whole = true;
    let s = 0;
    for (let j = 0; j < members.length; j++) {
      const m = members[j]!;
      const same = contentLow[m] === before.low[j] && contentHigh[m] === before.high[j];
      if (failing[j]) {
        if (!same) whole = false;
        continue;
      }
      if (!same) {
        changed[s] = 1;
        if (whole && agreesFor(ctx, ledger, survivors, before.evacuation, s, length) < length) whole = false;
      }
      s++;
    }
    if (!whole) return changed;
    for (let j = 0; j < members.length; j++) {
      before.low[j] = contentLow[members[j]!]!;
      before.high[j] = contentHigh[members[j]!]!;
    }
    return null;
  }

  private readonly membersOf = new Map<string, { members: number[]; reserve: number; largest: [number, number] }>();

  private poolFacts(p: string): { members: number[]; reserve: number; largest: [number, number] } {
    let facts = this.membersOf.get(p);
    if (!facts) {
      const pool = this.ctx.migrationPools.get(p)!;
      const members = poolMembers(this.ctx, pool);
      const reserve = RESERVE_HOSTS[pool.reserve];
      const top = (values: number[]): number => [...values].sort((a, b) => b - a).slice(0, reserve).reduce((a, b) => a + b, 0);
      const largest: [number, number] = [
        top(members.map((m) => this.ctx.hosts[m]!.capacity.cpu)),
        top(members.map((m) => this.ctx.hosts[m]!.capacity.memoryMiB)),
      ];
      facts = { members, reserve, largest };
      this.membersOf.set(p, facts);
    }
    return facts;
  }

  /**
   * A necessary condition for the pool's headroom with `vm` added to member `h`: any evacuation of failed
   * hosts F needs the survivors' free capacity ≥ what F carries, i.e. the pool's total free capacity ≥
   * the capacity of F; the k largest members are the hardest F. (True when the pool is too small to
   * judge this way; the verified check decides then.)
   */
  private spareSuffices(facts: { members: number[]; reserve: number; largest: [number, number] }, vm: number): boolean {
    const { ctx, ledger } = this;
    if (facts.members.length <= facts.reserve) return true;
    const v = ctx.vms[vm]!;
    let freeCpu = -v.vm.vcpus;
    let freeMemory = -v.memoryMiB;
    for (const m of facts.members) {
      freeCpu += ctx.hosts[m]!.capacity.cpu - ledger.cpuUsed[m]!;
      freeMemory += ctx.hosts[m]!.capacity.memoryMiB - ledger.memoryUsed[m]!;
    }
    return freeCpu >= facts.largest[0] && freeMemory >= facts.largest[1];
  }

  /**
   * A sufficient condition for n+1 headroom, on the ledger as it stands: every member F that carries VMs
   * has a refuge, another member E whose free capacity holds all of F's load, that runs no VM of an
   * anti-affinity group of F's VMs, and that is empty when F runs an isolated VM (which then runs alone)
   * or runs no isolated VM otherwise. When F fails, `evacuate` tries E for every VM of F that found no
   * earlier host; E receives only F's VMs, whose sum fits its free room, whose groups are pairwise
   * distinct (checked) and absent from E, so E admits each one. First-fit thus succeeds for every F,
   * exactly what `poolHeadroom` (the verified check) would report.
   */
  private eachHasRefuge(members: readonly number[]): boolean {
    const { ctx, ledger } = this;
    const groups: string[] = [];
    for (const f of members) {
      if (ledger.tenants[f] === 0) continue;
      groups.length = 0;
      for (const v of ledger.vmsOn[f]!) {
        const g = ctx.vms[v]!.vm.antiAffinity;
        if (g === undefined) continue;
        if (groups.includes(g)) return false;
        groups.push(g);
      }
      const cpu = ledger.cpuUsed[f]!;
      const memory = ledger.memoryUsed[f]!;
      const hugepages = ledger.hugepageUsed[f]!;
      const isolated = ledger.isolated[f]! > 0;
      let refuge = false;
      for (const e of members) {
        if (e === f) continue;
        const cap = ctx.hosts[e]!.capacity;
        if (cap.cpu - ledger.cpuUsed[e]! < cpu || cap.memoryMiB - ledger.memoryUsed[e]! < memory) continue;
        // Hugepage guests of F fit E's pool when it has F's page size and room for all of them.
        if (hugepages > 0 && (ctx.hosts[e]!.host.hugepages?.sizeKiB !== ctx.hosts[f]!.host.hugepages?.sizeKiB || cap.hugepageMiB - ledger.hugepageUsed[e]! < hugepages)) continue;
        if (isolated ? ledger.tenants[e] !== 0 : ledger.isolated[e] !== 0) continue;
        if (groups.some((g) => ledger.antiAffinity.get(g)?.has(e))) continue;
        refuge = true;
        break;
      }
      if (!refuge) return false;
    }
    return true;
  }

  /** Best host for an unplaced VM (as `bestHost`) that also keeps guarded headroom, or -1. */
  bestKeeping(vm: VmFacts, exclude = -1, usedOnly = false): number {
    const first = this.bestHost(vm, exclude, usedOnly);
    if (first < 0 || this.keepsHeadroom(vm.index, first)) return first;
    // Refused: rank every admitted host once (score, then index, as bestHost) instead of rescanning
    // the candidates after each refusal.
    const { ctx, ledger } = this;
    const ranked: { h: number; score: number }[] = [];
    for (const h of this.candidates.of(vm)) {
      if (h === exclude || h === first || (usedOnly && ledger.tenants[h] === 0)) continue;
      const host = ctx.hosts[h]!;
      if (!admitsOnCandidate(ctx, ledger, vm, host)) continue;
      ranked.push({ h, score: totalScore(ctx, ledger, vm, host) });
    }
    ranked.sort((a, b) => b.score - a.score || a.h - b.h);
    for (const { h } of ranked) if (this.keepsHeadroom(vm.index, h)) return h;
    return -1;
  }

  /** Whether every guarded pool of host `h` is satisfied as the ledger stands (the verified check). */
  poolsHold(h: number): boolean {
    return this.ctx.hosts[h]!.pools.every((p) => {
      if (!this.guarded.has(p)) return true;
      const facts = this.poolFacts(p);
      return this.evacuationsHold(p, facts.members, facts.reserve, -1);
    });
  }

  /** Places an unplaced VM on its best host that keeps guarded headroom; false when there is none. */
  place(vm: VmFacts): boolean {
    const h = this.bestKeeping(vm);
    if (h < 0) return false;
    this.ledger.assign(vm.index, h);
    return true;
  }
}

function keepLocked(placer: Placer, lock: Lock | undefined): Map<number, Displaced> {
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
function placementOrder(placer: Placer): VmFacts[] {
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
function placeAll(placer: Placer, order: readonly VmFacts[]): VmFacts[] {
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
 * placement is checked against its headroom right away (the quick verdicts in `keepsHeadroom` make that
 * cheap) and no pool has to be evicted and re-placed afterwards.
 */
function guardSatisfiedPools(placer: Placer): void {
  const { ctx, ledger } = placer;
  for (const pool of ctx.migrationPools.values()) {
    if (pool.reserve !== 'none' && poolHeadroom(ctx, ledger, pool).satisfied) placer.guarded.add(pool.name);
  }
}

/**
 * Restores headroom of every reserve pool that lost it, where only VMs placed in this run are to blame:
 * they leave the pool's hosts and are placed again against scaled capacity and the verified check.
 * Returns the VMs that found no host again.
 */
function enforceHeadroom(placer: Placer, rank: Int32Array): VmFacts[] {
  const { ctx, ledger } = placer;
  const failed: VmFacts[] = [];
  const pools = [...ctx.migrationPools.values()].filter((p) => p.reserve !== 'none').sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const pool of pools) {
    if (poolHeadroom(ctx, ledger, pool).satisfied) {
      placer.guarded.add(pool.name);
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
    for (const h of members) ledger.capacityScale[h] = Math.min(ledger.capacityScale[h]!, scale);
    placer.guarded.add(pool.name);
    for (const v of evicted) if (!placer.place(ctx.vms[v]!)) failed.push(ctx.vms[v]!);
  }
  return failed;
}

function headroomReason(ctx: PlanContext, placer: Placer, h: number): string {
  const pools = ctx.hosts[h]!.pools.filter((p) => placer.guarded.has(p));
  return pools.map((p) => `headroom: migration pool ${p} would lose its ${ctx.migrationPools.get(p)!.reserve} headroom`).join('; ');
}

function unplacedReasons(placer: Placer, vm: VmFacts): Record<string, string> {
  const { ctx, ledger } = placer;
  const reasons = nameRecord<string>();
  for (const host of ctx.hosts) {
    reasons[host.host.name] = firstFailure(ctx, ledger, vm, host) ?? headroomReason(ctx, placer, host.index);
  }
  return reasons;
}

function hostUsage(ctx: PlanContext, ledger: Ledger): HostUsage[] {
  return ctx.hosts.map((h) => ({
    name: h.host.name,
    cpu: { used: ledger.cpuUsed[h.index]!, capacity: h.capacity.cpu },
    memoryMiB: { used: ledger.memoryUsed[h.index]!, capacity: h.capacity.memoryMiB },
    ...(h.capacity.hugepageMiB > 0 ? { hugepageMiB: { used: ledger.hugepageUsed[h.index]!, capacity: h.capacity.hugepageMiB } } : {}),
  }));
}

export function runPlan(fleet: Fleet, lock?: Lock, options: PlanOptions = {}): PlanRun {
  const ctx = buildContext(fleet, { ...(options.strategy ? { strategy: options.strategy } : {}), ...(lock ? { locked: lock.placements } : {}) });
  const ledger = new Ledger(ctx);
  const placer = new Placer(ctx, ledger);
  const displaced = keepLocked(placer, lock);
  guardSatisfiedPools(placer);
  const order = placementOrder(placer);
  const failedFirst = placeAll(placer, order);
  localSearch(placer, options.localSearchBudget ?? DEFAULT_LOCAL_SEARCH_BUDGET);
  const rank = new Int32Array(ctx.vms.length);
  order.forEach((v, i) => (rank[v.index] = i));
  const failedHeadroom = enforceHeadroom(placer, rank);
  // One more try for everything left out: local search and eviction may have freed room. The scaled
  // capacity was a quick way to leave headroom; the verified check alone decides from here on.
  ledger.capacityScale.fill(1);
  const retry = [...failedFirst, ...failedHeadroom].sort((a, b) => rank[a.index]! - rank[b.index]!);
  const unplaced: UnplacedVm[] = [];
  for (const v of retry) if (ledger.hostOf[v.index] === -1 && !placer.place(v)) unplaced.push({ vm: v.vm.name, reasons: {} });
  const unplacedVms: UnplacedVm[] = unplaced
    .map((u) => ({ vm: u.vm, reasons: unplacedReasons(placer, ctx.vms[ctx.vmIndex.get(u.vm)!]!) }))
    .sort((a, b) => (a.vm < b.vm ? -1 : 1));

  const placements = nameRecord<string>();
  const moves: Move[] = [];
  for (const v of ctx.vms) {
    const h = ledger.hostOf[v.index]!;
    if (h < 0) continue;
    const to = ctx.hosts[h]!.host.name;
    placements[v.vm.name] = to;
    const moved = displaced.get(v.index);
    if (moved && moved.from !== to) moves.push({ vm: v.vm.name, from: moved.from, to, reason: moved.reason });
  }
  const result: PlanResult = {
    placements,
    unplaced: unplacedVms,
    moves,
    hosts: hostUsage(ctx, ledger),
    pools: poolsHeadroom(ctx, ledger),
    hostsUsed: ledger.tenants.reduce((n, t) => n + (t > 0 ? 1 : 0), 0),
    lowerBound: lowerBound(fleet),
  };
  return { ctx, ledger, result };
}

/** Places the fleet's VMs; a lock keeps earlier placements that are still valid. */
export function plan(fleet: Fleet, lock?: Lock, options: PlanOptions = {}): PlanResult {
  return runPlan(fleet, lock, options).result;
}
