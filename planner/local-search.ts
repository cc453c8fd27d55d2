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
 * Swaps (exchanging two VMs) are not tried.
 */
import { admitsOnCandidate } from './filters';
import type { Placer } from './plan';

/** Enough for a few hundred hosts' worth of attempts; keeps 20,000-VM plans well under a second. */
export const DEFAULT_LOCAL_SEARCH_BUDGET = 20_000;
/** A move must lower the peak load by more than this to count, so float noise cannot cycle. */
const MIN_GAIN = 1e-9;

function movableOn(placer: Placer, h: number): number[] {
  const vms = [...placer.ledger.vmsOn[h]!];
  const vmOf = (v: number) => placer.ctx.vms[v]!.vm;
  return vms
    .filter((v) => !placer.kept[v])
    .sort((a, b) => vmOf(b).memoryMiB - vmOf(a).memoryMiB || vmOf(b).vcpus - vmOf(a).vcpus || a - b);
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
    for (const v of vms) ledger.unassign(v);
    const moved: number[] = [];
    for (const v of vms) {
      budget -= 1;
      const target = placer.bestKeeping(ctx.vms[v]!, h, true);
      if (target < 0) break;
      ledger.assign(v, target);
      moved.push(v);
    }
    // The emptied host's own pools lost VMs; first-fit evacuation is not monotone, so verify them too.
    if (moved.length < vms.length || !placer.poolsHold(h)) {
      for (const v of moved) ledger.unassign(v);
      for (const v of vms) ledger.assign(v, h);
    }
  }
}

/** Load of `h` with `v` added (sign 1) or taken away (sign −1). */
function loadWith(placer: Placer, h: number, v: number, sign: 1 | -1): number {
  const { ctx, ledger } = placer;
  const capacity = ctx.hosts[h]!.capacity;
  const vm = ctx.vms[v]!.vm;
  const cpu = capacity.cpu > 0 ? (ledger.cpuUsed[h]! + sign * vm.vcpus) / capacity.cpu : 0;
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
    let best = -1;
    let bestPeak = peak - MIN_GAIN;
    for (const h of placer.candidates.of(ctx.vms[v]!)) {
      if (h === source) continue;
      const after = Math.max(remaining, loadWith(placer, h, v, 1));
      if (after < bestPeak && admitsOnCandidate(ctx, ledger, ctx.vms[v]!, ctx.hosts[h]!) && placer.keepsHeadroom(v, h)) {
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
  if (placer.ctx.strategy === 'pack') packSearch(placer, budget);
  else spreadSearch(placer, budget);
}
