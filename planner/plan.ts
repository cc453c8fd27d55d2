/**
 * The placement planner. Pure: the same fleet and lock give the same result, byte for byte.
 *
 * 1. Keep every locked placement that still passes every filter (VMs in name order); the others move,
 *    with the reason their old host was refused (placement-steps.ts).
 * 2. Order the VMs left by tightness (pinned, isolated, strict NUMA, hard anti-affinity when spreading, fewest candidate hosts in powers of two), then by
 *    size (dominant share of the largest host) descending, then name; members of an affinity group follow
 *    the first one placed.
 * 3. Place each on the best-scoring host the filters keep and the headroom guard allows (placer.ts,
 *    headroom-guard.ts).
 * 4. Bounded local search (local-search.ts) moves only VMs placed in this run, never a kept one.
 * 5. Migration-pool headroom: a pool with reserve n+1/n+2 that lost it gets its newly placed VMs
 *    re-placed against capacity scaled to (m − k)/m per member and a verified headroom check; VMs that
 *    still cannot go anywhere stay unplaced with the reason.
 * 6. Every VM still unplaced is tried once more at full capacity.
 * 7. pack, when steps 5–6 placed anything: the local search once more, the headroom guard now on; then
 *    the VMs still unplaced are tried again (the searches move VMs, which can make room), and when that
 *    places any, the local search once more.
 *
 * `place()` stops there; `plan()` adds the lower bound, which only the `plan` command and the benchmark
 * report.
 */
import type { Fleet, PlacementStrategy } from '../fleet/model';
import type { CandidateIndex } from './candidates';
import { nameRecord } from '../fleet/name-record';
import { buildContext, type PlanContext } from './context';
import { poolsHeadroom } from './headroom';
import { Ledger } from './ledger';
import type { Lock } from './lock';
import { localSearch, DEFAULT_LOCAL_SEARCH_BUDGET } from './local-search';
import { lowerBound } from './lower-bound';
import { enforceHeadroom, guardSatisfiedPools, hostUsage, keepLocked, placeAll, placementOrder, unplacedReasons } from './placement-steps';
import { Placer } from './placer';
import type { Move, PlaceResult, PlanResult, UnplacedVm } from './types';

export interface PlanOptions {
  /** Overrides `defaults.placement.strategy`. */
  readonly strategy?: PlacementStrategy;
  /** Attempted VM moves the local search may spend. @default DEFAULT_LOCAL_SEARCH_BUDGET */
  readonly localSearchBudget?: number;
}

/** A finished placement with the state it was computed from, for explain and drain. */
export interface PlanRun {
  readonly ctx: PlanContext;
  readonly ledger: Ledger;
  readonly result: PlaceResult;
  /** The candidate lists the placement used (the lower bound reads them too). */
  readonly candidates: CandidateIndex;
}

export function runPlan(fleet: Fleet, lock?: Lock, options: PlanOptions = {}): PlanRun {
  const ctx = buildContext(fleet, { ...(options.strategy ? { strategy: options.strategy } : {}), ...(lock ? { locked: lock.placements } : {}) });
  const ledger = new Ledger(ctx);
  const placer = new Placer(ctx, ledger);
  const displaced = keepLocked(placer, lock);
  guardSatisfiedPools(placer);
  const order = placementOrder(placer);
  const failedFirst = placeAll(placer, order);
  const localSearchBudget = options.localSearchBudget ?? DEFAULT_LOCAL_SEARCH_BUDGET;
  localSearch(placer, localSearchBudget);
  const rank = new Int32Array(ctx.vms.length);
  order.forEach((v, i) => (rank[v.index] = i));
  const failedHeadroom = enforceHeadroom(placer, rank);
  // One more try for everything left out: local search and eviction may have freed room. The scaled
  // capacity was a quick way to leave headroom; the verified check alone decides from here on.
  // enforceHeadroom scales the capacity of the pools whose VMs it placed again.
  const replacedPools = ledger.capacityScale.some((scale) => scale < 1);
  ledger.resetCapacityScale();
  const retry = [...failedFirst, ...failedHeadroom].sort((a, b) => rank[a.index]! - rank[b.index]!);
  const unplaced: UnplacedVm[] = [];
  for (const v of retry) if (ledger.hostOf[v.index] === -1 && !placer.place(v)) unplaced.push({ vm: v.vm.name, reasons: {} });
  // Packing again when steps 5–6 placed anything: a pool's VMs placed again against scaled capacity, or
  // a VM the guard refused at first placed now, may have opened hosts the first search never saw (on the
  // benchmark's small fleets, a pool host carrying two 1-vCPU VMs).
  if (ctx.strategy === 'pack' && (replacedPools || unplaced.length < retry.length)) localSearch(placer, localSearchBudget);
  // The searches move VMs between hosts, which may have made room for one left out.
  const left = unplaced.filter((u) => !placer.place(ctx.vms[ctx.vmIndex.get(u.vm)!]!));
  if (ctx.strategy === 'pack' && left.length < unplaced.length) localSearch(placer, localSearchBudget);
  const unplacedVms: UnplacedVm[] = left
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
  const result: PlaceResult = {
    placements,
    unplaced: unplacedVms,
    moves,
    hosts: hostUsage(ctx, ledger),
    pools: poolsHeadroom(ctx, ledger),
    hostsUsed: ledger.tenants.reduce((n, t) => n + (t > 0 ? 1 : 0), 0),
  };
  return { ctx, ledger, result, candidates: placer.candidates };
}

/**
 * Places the fleet's VMs; a lock keeps earlier placements that are still valid. What synth, check and
 * review need: the placement without the lower bound.
 */
export function place(fleet: Fleet, lock?: Lock, options: PlanOptions = {}): PlaceResult {
  return runPlan(fleet, lock, options).result;
}

/** Places the fleet's VMs (as `place`) and adds the lower bound the `plan` command and the benchmark report. */
export function plan(fleet: Fleet, lock?: Lock, options: PlanOptions = {}): PlanResult {
  const { ctx, result, candidates } = runPlan(fleet, lock, options);
  return { ...result, lowerBound: lowerBound(fleet, ctx, candidates) };
}
