/**
 * Bounded local search after the first placement, toward the strategy. It only moves VMs placed in this
 * run (never one kept from the lock file), each move passes every filter, and the work is capped by a
 * budget of attempted VM moves, so the result stays deterministic and fast.
 *
 * pack:   try to empty the hosts carrying the least (as a share of the largest host, so small and nearly
 *         empty hosts first; only hosts whose VMs are all movable) into other hosts already in use, each
 *         move keeping every guarded pool's headroom; a host is emptied completely or left as it was.
 * spread: repeatedly take the most-loaded host and move one of its VMs to where it lowers the larger of
 *         the two hosts' loads, until no VM of it can go anywhere better (then it is left as it is).
 * pack may also make room: a VM with few candidate hosts (≤ EJECTION_MAX_CANDIDATES, e.g. a pool
 * member's) takes the place of a more flexible VM on a used host, which moves on to another used host.
 * pack then lightens hosts by swaps (swap-search.ts): a VM of a light host trades places with a smaller
 * VM of a used host, until the light host's VMs can move out; last it closes hosts by repacking them
 * with their neighbourhood (repack-search.ts).
 */
import { admitsOnCandidate } from './filters';
import { SOFT_ANTI_AFFINITY_WEIGHT, softAntiAffinityWeigher, ZONE_SPREAD_WEIGHT, zoneSpreadWeigher } from './weighers';
import type { Placer } from './placer';
import { repackSearch } from './repack-search';
import { swapSearch } from './swap-search';

/**
 * Attempted placements (a host search or one ejection trial each). On the 1,000-host bench (20,000 VMs)
 * 2,000 already reach what 20,000 do (681 → 674 hosts); 3,000 leaves a little room for other fleets.
 */
export const DEFAULT_LOCAL_SEARCH_BUDGET = 3_000;
/**
 * The swap search's budget per unit of this one's: it counts every VM it looks at as a trade partner,
 * where this one counts a host search. Measured: with the repack search after it, 5 reaches the optimum
 * on as many of the benchmark's small fleets as 20 (19 of 20; the repack search finishes what the swaps
 * leave) in 70% of the time, and the same 680 hosts at 1,000 hosts; without any swaps, 18.
 */
const SWAP_BUDGET_PER_MOVE = 5;
/**
 * The repack search's budget per unit of this one's: it counts every host and trade partner its repair
 * looks at. Measured on the benchmark's small fleets: 20 closes the last host above the optimum on three
 * of them (19 of 20 optimal instead of 16; 10: 18, 5: 17); 100 and 300 close no more. On the 1,000-host
 * fleet it closes none (a repack there needs most of a host's room gathered from a dozen hosts ~94%
 * full) and spends its budget in ~60–100 ms of CPU.
 */
const REPACK_BUDGET_PER_MOVE = 20;
/** A move must lower the peak load by more than this to count, so float noise cannot cycle. */
const MIN_GAIN = 1e-9;

function movableOn(placer: Placer, h: number): number[] {
  const vms = [...placer.ledger.vmsOn[h]!];
  const vmOf = (v: number) => placer.ctx.vms[v]!.vm;
  return vms
    .filter((v) => !placer.kept[v])
    .sort((a, b) => vmOf(b).memoryMiB - vmOf(a).memoryMiB || vmOf(b).vcpus - vmOf(a).vcpus || a - b);
}

/** VMs with more candidate hosts than this are not placed by ejecting another VM. */
const EJECTION_MAX_CANDIDATES = 64;

/**
 * A VM with at most this many candidate hosts may also eject a VM exactly as flexible as itself. Measured:
 * on the benchmark's small fleets this empties a pool host whose last VM only traded with its peers; on
 * the 1,000-host fleet allowing it for 16-host pools spends the budget on pool VMs trading places (683
 * hosts instead of 680).
 */
const EJECTION_EQUAL_MAX_CANDIDATES = 12;

/** Undo log of one attempt: each VM with the host it left (-1: it was unplaced). */
type Log = [vm: number, from: number][];

function undo(ledger: Placer['ledger'], log: Log): void {
  for (let i = log.length - 1; i >= 0; i--) {
    const [v, from] = log[i]!;
    ledger.unassign(v);
    if (from >= 0) ledger.assign(v, from);
  }
}

/**
 * Finds `v` a used host other than `source`, directly or by making room: on a used candidate T where `v`
 * would fit without one movable VM w, w moves to another used host first (a one-step ejection chain).
 * Every placement passes the filters and the headroom check. Returns the budget spent, or -1 on failure
 * (the ledger is then as before the call).
 */
function relocate(placer: Placer, v: number, source: number, log: Log, budget: number): number {
  const { ctx, ledger } = placer;
  const facts = ctx.vms[v]!;
  let spent = 1;
  const direct = placer.bestKeeping(facts, source, true);
  if (direct >= 0) {
    log.push([v, -1]);
    ledger.assign(v, direct);
    return spent;
  }
  const { vcpus } = facts.vm;
  const { memoryMiB } = facts;
  const candidates = placer.candidates.of(facts);
  // Ejection only for VMs with few candidate hosts (pool members, labelled hosts): they are what keeps a
  // small pool host from being emptied, and the search over their hosts' VMs stays short.
  if (candidates.length > EJECTION_MAX_CANDIDATES) return -1;
  for (const t of candidates) {
    if (t === source || ledger.tenants[t] === 0 || ledger.isolated[t] !== 0) continue;
    const cap = ctx.hosts[t]!.capacity;
    const cpuFree = cap.cpu - ledger.cpuUsed[t]!;
    const memoryFree = cap.memoryMiB - ledger.memoryUsed[t]!;
    for (const w of [...ledger.vmsOn[t]!]) {
      if (spent >= budget) return -1;
      const wvm = ctx.vms[w]!.vm;
      if (placer.kept[w] || wvm.affinity !== undefined) continue;
      if (cpuFree + wvm.vcpus < vcpus || memoryFree + ctx.vms[w]!.memoryMiB < memoryMiB) continue;
      // w must be easier to place elsewhere than v: more candidate hosts.
      // (As flexible will do for a VM with very few hosts, e.g. in a small pool.)
      const flexibility = placer.candidates.of(ctx.vms[w]!).length;
      if (flexibility < candidates.length || (flexibility === candidates.length && candidates.length > EJECTION_EQUAL_MAX_CANDIDATES)) continue;
      spent += 1;
      ledger.unassign(w);
      if (!admitsOnCandidate(ctx, ledger, facts, ctx.hosts[t]!)) {
        ledger.assign(w, t);
        continue;
      }
      // v takes w's room; w may not return to t (v did not fit beside it) nor go to the host being emptied.
      // Where w would go is asked before whether v on t keeps headroom: w rarely finds a host, and that
      // headroom check is the costlier question (on a pool kept n+2, most of the search's time). Both are
      // asked of the ledgers they were always asked of, so the answer is the same in either order.
      ledger.assign(v, t);
      const u = placer.bestKeeping(ctx.vms[w]!, source, true);
      ledger.unassign(v);
      if (u >= 0 && u !== t && placer.guard.keepsHeadroom(v, t)) {
        log.push([w, t], [v, -1]);
        ledger.assign(v, t);
        ledger.assign(w, u);
        return spent;
      }
      ledger.assign(w, t);
    }
  }
  return -1;
}

function packSearch(placer: Placer, budget: number): void {
  const { ctx, ledger } = placer;
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  // Smallest absolute load first (a share of the largest host, not of the host itself): a small host or
  // a host with little on it is the cheapest to empty into the others' free room.
  const size = (h: number): number => Math.max(ledger.cpuUsed[h]! / maxCpu, ledger.memoryUsed[h]! / maxMemory);
  const hosts = ctx.hosts
    .map((h) => h.index)
    .filter((h) => ledger.tenants[h]! > 0 && movableOn(placer, h).length === ledger.tenants[h])
    .map((h) => ({ h, size: size(h) }))
    .sort((a, b) => a.size - b.size || a.h - b.h)
    .map(({ h }) => h);
  for (const h of hosts) {
    if (budget <= 0) return;
    if (ledger.tenants[h] === 0) continue;
    const vms = movableOn(placer, h);
    if (vms.length !== ledger.tenants[h]) continue;
    const log: Log = [];
    for (const v of vms) {
      log.push([v, h]);
      ledger.unassign(v);
    }
    let ok = true;
    for (const v of vms) {
      const spent = relocate(placer, v, h, log, budget);
      if (spent < 0) {
        budget -= 1;
        ok = false;
        break;
      }
      budget -= spent;
    }
    // Hosts that lost VMs were not checked (first-fit evacuation is not monotone): verify every touched pool.
    if (ok) {
      const touched = new Set<number>([h]);
      for (const [v, from] of log) {
        if (from >= 0) touched.add(from);
        touched.add(ledger.hostOf[v]!);
      }
      ok = [...touched].every((t) => placer.guard.poolsHold(t));
    }
    if (!ok) undo(ledger, log);
  }
}

/** Load of `h` with `v` added (sign 1) or taken away (sign −1). */
function loadWith(placer: Placer, h: number, v: number, sign: 1 | -1): number {
  const { ctx, ledger } = placer;
  const capacity = ctx.hosts[h]!.capacity;
  const vm = ctx.vms[v]!;
  const cpu = capacity.cpu > 0 ? (ledger.cpuUsed[h]! + sign * vm.vm.vcpus) / capacity.cpu : 0;
  const memory = capacity.memoryMiB > 0 ? (ledger.memoryUsed[h]! + sign * vm.memoryMiB) / capacity.memoryMiB : 0;
  return Math.max(cpu, memory);
}

/** Moves one movable VM off `source` to the host that lowers the peak most; false when none helps. */
function relieve(placer: Placer, source: number): { moved: boolean; attempts: number } {
  const { ctx, ledger } = placer;
  const peak = ledger.load(source);
  let attempts = 0;
  for (const v of movableOn(placer, source)) {
    attempts += 1;
    const remaining = loadWith(placer, source, v, -1);
    ledger.unassign(v);
    const facts = ctx.vms[v]!;
    // Spreading load never costs anti-affinity preferences: a move may not bring the VM closer to its
    // group, on a host or in a zone.
    const apart = (h: number): number =>
      SOFT_ANTI_AFFINITY_WEIGHT * softAntiAffinityWeigher.score(ctx, ledger, facts, ctx.hosts[h]!) +
      ZONE_SPREAD_WEIGHT * zoneSpreadWeigher.score(ctx, ledger, facts, ctx.hosts[h]!);
    const groupAtSource = apart(source);
    let best = -1;
    let bestPeak = peak - MIN_GAIN;
    for (const h of placer.candidates.of(facts)) {
      if (h === source) continue;
      const after = Math.max(remaining, loadWith(placer, h, v, 1));
      if (
        after < bestPeak &&
        apart(h) >= groupAtSource &&
        admitsOnCandidate(ctx, ledger, facts, ctx.hosts[h]!) &&
        placer.guard.keepsHeadroom(v, h)
      ) {
        best = h;
        bestPeak = after;
      }
    }
    ledger.assign(v, best >= 0 ? best : source);
    if (best >= 0) return { moved: true, attempts };
  }
  return { moved: false, attempts };
}

function spreadSearch(placer: Placer, budget: number): void {
  const { ctx, ledger } = placer;
  const stuck = new Uint8Array(ctx.hosts.length);
  while (budget > 0) {
    let source = -1;
    for (const h of ctx.hosts) {
      if (stuck[h.index] || ledger.tenants[h.index] === 0) continue;
      if (source < 0 || ledger.load(h.index) > ledger.load(source)) source = h.index;
    }
    if (source < 0) return;
    const { moved, attempts } = relieve(placer, source);
    budget -= Math.max(1, attempts);
    if (!moved) stuck[source] = 1;
  }
}

export function localSearch(placer: Placer, budget: number): void {
  if (placer.ctx.strategy === 'pack') {
    packSearch(placer, budget);
    swapSearch(placer, SWAP_BUDGET_PER_MOVE * budget);
    repackSearch(placer, REPACK_BUDGET_PER_MOVE * budget);
  } else spreadSearch(placer, budget);
}
