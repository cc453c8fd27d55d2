/**
 * Emptying a host by swaps, the pack strategy's second local search: where moving a host's VMs away one
 * at a time fails (every other used host too full for the next one), a VM of the host can still trade
 * places with a smaller VM of a used host. Each swap leaves the host lighter and the other host fuller,
 * so after a few swaps the moves that failed succeed and the host empties; if it does not, the swaps
 * still only concentrate load on hosts already in use and the plan uses no more hosts than before.
 * On the benchmark's small fleets the plans that need one host more than the proven optimum leave
 * exactly this: one lightly loaded host, and its VMs' room scattered over the others in pieces that a
 * trade puts together.
 *
 * For each used host L, least loaded first, whose VMs may all move (none kept from the lock file, none an
 * affinity member): repeatedly take L's VMs largest first and move the first one that can go to another
 * used host (the placer's best host, `usedOnly`), else swap it with the first smaller VM w (size: CPU plus
 * memory as shares of the largest host) on a used host T where v fits once w left and w fits on L once v
 * left, else chain: v takes the place of a VM w of a used host T, and w moves on to its best used host
 * other than L and T. Every placement passes every filter and the headroom guard, and every touched
 * pool is verified after, as the first search does. Stop at the first round without a step. L's total
 * size falls with every step, so this ends; a budget of attempted trades bounds the work on large fleets.
 * (Swaps are tried before chains: on the benchmark's small fleets chains first reach the optimum on one
 * fleet fewer.)
 */
import { holds } from './candidates';
import { admitsOnCandidate } from './filters';
import type { Placer } from './placer';

/** What one first-fit evacuation of the headroom guard costs of a search budget (a host or trade partner looked at costs 1). */
export const EVACUATION_COST = 20;

/** A swap must make the host lighter by more than this, so float noise cannot cycle. */
const MIN_GAIN = 1e-9;

/** Empties `light` as far as moves and swaps go; returns the budget spent. */
function lighten(placer: Placer, light: number, budget: number): number {
  const { ctx, ledger } = placer;
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  const size = (v: number): number => ctx.vms[v]!.vm.vcpus / maxCpu + ctx.vms[v]!.memoryMiB / maxMemory;
  const movable = (v: number): boolean => !placer.kept[v] && ctx.vms[v]!.vm.affinity === undefined;
  let spent = 0;
  // The work spent: steps and partners looked at, plus every evacuation the headroom guard ran for them,
  // each as much as a move of the first search (on an n+2 pool a trade's guard questions cost far more
  // than looking at its partners: without this, n+2 planning took 15 times n+1's time).
  const evacuationsBefore = placer.guard.evacuationsRun;
  const used = (): number => spent + EVACUATION_COST * (placer.guard.evacuationsRun - evacuationsBefore);
  for (;;) {
    const vms = [...ledger.vmsOn[light]!].sort((a, b) => size(b) - size(a) || a - b);
    if (vms.length === 0 || !vms.every(movable)) return used();
    let changed = false;
    for (const v of vms) {
      if (used() >= budget) return used();
      spent += 1;
      const facts = ctx.vms[v]!;
      ledger.unassign(v);
      const direct = placer.bestKeeping(facts, light, true);
      if (direct >= 0) {
        ledger.assign(v, direct);
        if (placer.guard.poolsHold(light)) {
          changed = true;
          break;
        }
        ledger.unassign(v);
      }
      ledger.assign(v, light);
      const trade = swap(placer, v, light, size, movable, false);
      spent += trade.examined;
      if (trade.swapped) {
        changed = true;
        break;
      }
      const chained = swap(placer, v, light, size, movable, true);
      spent += chained.examined;
      if (chained.swapped) {
        changed = true;
        break;
      }
    }
    if (!changed) return used();
  }
}

/** Swaps `v` (on `light`) with a smaller movable VM of another used host, if one qualifies; `examined` counts the VMs looked at. */
function swap(placer: Placer, v: number, light: number, size: (v: number) => number, movable: (v: number) => boolean, chain: boolean): { swapped: boolean; examined: number } {
  let examined = 0;
  const { ctx, ledger } = placer;
  const facts = ctx.vms[v]!;
  const vSize = size(v);
  const lightCap = ctx.hosts[light]!.capacity;
  // Room on `light` once v left, for w.
  const lightCpu = lightCap.cpu - ledger.cpuUsed[light]! + facts.vm.vcpus;
  const lightMemory = lightCap.memoryMiB - ledger.memoryUsed[light]! + facts.memoryMiB;
  for (const t of placer.candidates.of(facts)) {
    if (t === light || ledger.tenants[t] === 0 || ledger.isolated[t] !== 0) continue;
    const cap = ctx.hosts[t]!.capacity;
    const cpuFree = cap.cpu - ledger.cpuUsed[t]!;
    const memoryFree = cap.memoryMiB - ledger.memoryUsed[t]!;
    // A copy: a refused trade takes w off t and puts it back, which a Set iterates again.
    for (const w of [...ledger.vmsOn[t]!]) {
      examined += 1;
      const wFacts = ctx.vms[w]!;
      if (!movable(w)) continue;
      if (cpuFree + wFacts.vm.vcpus < facts.vm.vcpus || memoryFree + wFacts.memoryMiB < facts.memoryMiB) continue;
      const smaller = size(w) < vSize - MIN_GAIN;
      const fitsLight = smaller && lightCpu >= wFacts.vm.vcpus && lightMemory >= wFacts.memoryMiB && holds(placer.candidates.of(wFacts), light);
      ledger.unassign(v);
      ledger.unassign(w);
      if (admitsOnCandidate(ctx, ledger, facts, ctx.hosts[t]!) && placer.guard.keepsHeadroom(v, t)) {
        ledger.assign(v, t);
        // A chain: w moves on to a third used host, and the light host is one VM lighter.
        if (chain) examined += placer.candidates.of(wFacts).length;
        const onward = chain ? placer.bestKeeping(wFacts, light, true) : -1;
        if (onward >= 0 && onward !== t) {
          ledger.assign(w, onward);
          if (placer.guard.poolsHold(t) && placer.guard.poolsHold(light)) return { swapped: true, examined };
          ledger.unassign(w);
        }
        if (!chain && fitsLight && admitsOnCandidate(ctx, ledger, wFacts, ctx.hosts[light]!) && placer.guard.keepsHeadroom(w, light)) {
          ledger.assign(w, light);
          if (placer.guard.poolsHold(t) && placer.guard.poolsHold(light)) return { swapped: true, examined };
          ledger.unassign(w);
        }
        ledger.unassign(v);
      }
      ledger.assign(w, t);
      ledger.assign(v, light);
    }
  }
  return { swapped: false, examined };
}

/**
 * The used hosts, least loaded first (load: the larger of CPU and memory in use, against the fleet's largest
 * host, so that a small full host does not look as empty as a large one), ties by index: the order in which
 * the searches try to close hosts.
 */
export function usedHostsLeastLoadedFirst(placer: Placer): number[] {
  const { ctx, ledger } = placer;
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  const load = (h: number): number => Math.max(ledger.cpuUsed[h]! / maxCpu, ledger.memoryUsed[h]! / maxMemory);
  return ctx.hosts
    .map((h) => h.index)
    .filter((h) => ledger.tenants[h]! > 0)
    .map((h) => ({ h, load: load(h) }))
    .sort((a, b) => a.load - b.load || a.h - b.h)
    .map(({ h }) => h);
}

/** Lightens the used hosts, least loaded first, until the budget of attempted moves and trades is spent. */
export function swapSearch(placer: Placer, budget: number): void {
  const { ledger } = placer;
  for (const h of usedHostsLeastLoadedFirst(placer)) {
    if (budget <= 0) return;
    if (ledger.tenants[h] === 0) continue;
    budget -= Math.max(1, lighten(placer, h, budget));
  }
}
