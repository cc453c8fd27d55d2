/**
 * Closing a host by repacking its neighbourhood, the pack strategy's third local search (ruin and
 * recreate). The first two move or trade one VM at a time, each step already an improvement on its own;
 * they stop where emptying a host needs many VMs of other hosts to change places at once. On the
 * benchmark's small fleets that is what the plans one host above the optimum leave: the KVM-only VMs
 * must fill five KVM hosts to 98% of their CPU, which no greedy order reaches, while the VMs that may run
 * on either hypervisor make room on the Xen hosts.
 *
 * For a used host L (least loaded first, as a share of the largest host; every VM on it movable): its neighbourhood N
 * is the used hosts that can take L's VMs (candidates of more of them first, then the most free room),
 * then the used hosts that can take those hosts' VMs, at most NEIGHBOURHOOD_HOSTS in all. Every movable
 * VM of L and N comes off and goes back on N only, in order of slack (the hosts of N it may use, less the
 * other members of its anti-affinity group), then largest first: each on the host where it leaves the
 * least room, or where it overruns CPU and memory least when it fits nowhere; then a tabu search moves
 * VMs off the most overrun host, or trades them for VMs of another host, taking the step that lowers the
 * total overrun most (or raises it least: a VM just moved stays put for TABU_STEPS steps, so the search
 * leaves a local minimum instead of undoing its last step), until no host is overrun or REPAIR_STEPS
 * run out. Every rule but CPU and memory holds at every step; at the end every VM is checked against
 * every filter and every guarded pool of L and N against its headroom (the guard's verified check). If
 * all pass, L is empty and stays so; otherwise the next attempt shakes the order (sizes scaled by a
 * seeded ±SHAKE/2, seeded by host and attempt), and after ATTEMPTS everything goes back where it was.
 * A repack never opens a host and never moves a VM kept from the lock file or bound by affinity, so the
 * host count only falls and the same fleet gives the same plan.
 *
 * The work (hosts and trade partners looked at, plus the guard's evacuations, EVACUATION_COST each) is
 * charged to a budget, so the search stays bounded on large fleets.
 */
import { admitsOnCandidate, affinityFilter, antiAffinityFilter, hugepagesFilter, numaFilter, tenancyFilter } from './filters';
import type { VmFacts } from './context';
import { poolMembers, RESERVE_HOSTS } from './headroom';
import type { Placer } from './placer';
import { mulberry32 } from './random';
import { holds } from './candidates';
import { EVACUATION_COST, usedHostsLeastLoadedFirst } from './swap-search';

/** Hosts of a neighbourhood besides the host being closed (all of them on a small fleet). */
const NEIGHBOURHOOD_HOSTS = 24;

/** Hosts a neighbourhood takes at least (when that many qualify), whatever their free room. */
const NEIGHBOURHOOD_MIN_HOSTS = 12;
/** How much more free room than the closed host's load a neighbourhood gathers (when that many hosts qualify). */
const ROOM_MARGIN = 2;

/** Orders a repack tries (the first as sorted, the others shaken). */
const ATTEMPTS = 8;
/** How far an attempt shakes a VM's size (± half of this share). */
const SHAKE = 0.5;

/** Steps of the repair's tabu search per attempt. */
const REPAIR_STEPS = 200;
/** Steps without a new least overrun after which an attempt gives up. */
const STALL_STEPS = 40;
/** Steps a VM the repair moved stays where it went. */
const TABU_STEPS = 7;
/** Overrun (shares of the largest host) below which a host counts as within its capacity. */
const OVERRUN_EPSILON = 1e-9;
/** Random noise added to a step's gain to break ties (far below any real difference). */
const TIE_NOISE = 1e-12;

/** CPU and memory a host may be filled to. */
interface Limit {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Per host index, how many of the VMs looked at it serves (0: none), and the hosts counted, in the order first counted. */
interface Coverage {
  readonly counts: Float64Array;
  readonly hosts: number[];
}

/** Used hosts (not `light`, not isolated) that are candidates of the VMs of `vms`, with how many of them each serves. */
function coverageOf(placer: Placer, light: number, vms: Iterable<number>, into: Coverage): void {
  const { ctx, ledger } = placer;
  const { counts, hosts } = into;
  // VMs sharing a candidate list are counted once per list, weighted by how many share it.
  const lists = new Map<Int32Array, number>();
  for (const v of vms) {
    const list = placer.candidates.of(ctx.vms[v]!);
    lists.set(list, (lists.get(list) ?? 0) + 1);
  }
  for (const [list, count] of lists) {
    for (const h of list) {
      if (h === light || ledger.tenants[h] === 0 || ledger.isolated[h] !== 0) continue;
      if (counts[h] === 0) hosts.push(h);
      counts[h]! += count;
    }
  }
}

/** A host of a coverage as `neighbourhood` ranks them. */
interface RankedHost {
  readonly h: number;
  readonly c: number;
  readonly free: number;
}

/**
 * The used hosts other than `light` worth repacking with it, best first: those that can take its VMs
 * (candidates of more of them first, then the most free room), then those that can take their VMs (a
 * pool VM of L may only go where a VM of another pool host leaves for a host outside the pool). Of each
 * ranking only the first NEIGHBOURHOOD_HOSTS can be taken, so only those are sorted out (a full sort of
 * every candidate of a VM of no pool cost O(hosts log hosts) per repack on large fleets).
 */
function neighbourhood(placer: Placer, light: number): number[] {
  const { ctx, ledger } = placer;
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  const cpuFree = (h: number): number => ctx.hosts[h]!.capacity.cpu - ledger.cpuUsed[h]!;
  const memoryFree = (h: number): number => ctx.hosts[h]!.capacity.memoryMiB - ledger.memoryUsed[h]!;
  const before = (a: RankedHost, b: RankedHost): boolean => b.c - a.c < 0 || (b.c === a.c && (b.free - a.free < 0 || (b.free === a.free && a.h < b.h)));
  /** The first `k` hosts of a coverage not in `skip`, by count, then free room, then index. */
  const ranked = ({ counts, hosts }: Coverage, skip: readonly number[], k: number): number[] => {
    const top: RankedHost[] = [];
    if (k <= 0) return [];
    for (const h of hosts) {
      if (skip.includes(h)) continue;
      const entry = { h, c: counts[h]!, free: cpuFree(h) / maxCpu + memoryFree(h) / maxMemory };
      if (top.length === k && !before(entry, top[k - 1]!)) continue;
      let at = top.length;
      while (at > 0 && before(entry, top[at - 1]!)) at--;
      top.splice(at, 0, entry);
      if (top.length > k) top.pop();
    }
    return top.map(({ h }) => h);
  };
  const coverage = (): Coverage => ({ counts: new Float64Array(ctx.hosts.length), hosts: [] });
  const first = coverage();
  coverageOf(placer, light, ledger.vmsOn[light]!, first);
  const near = ranked(first, [], NEIGHBOURHOOD_HOSTS);
  const second = coverage();
  if (near.length < NEIGHBOURHOOD_HOSTS) for (const h of near) coverageOf(placer, light, ledger.vmsOn[h]!, second);
  const all = [...near, ...ranked(second, near, NEIGHBOURHOOD_HOSTS - near.length)];
  // Enough hosts that their free room holds ROOM_MARGIN times L's load, CPU and memory both.
  const out: number[] = [];
  let cpu = 0;
  let memory = 0;
  for (const h of all) {
    if (out.length >= NEIGHBOURHOOD_HOSTS || (out.length >= NEIGHBOURHOOD_MIN_HOSTS && cpu >= ROOM_MARGIN * ledger.cpuUsed[light]! && memory >= ROOM_MARGIN * ledger.memoryUsed[light]!)) break;
    out.push(h);
    cpu += cpuFree(h);
    memory += memoryFree(h);
  }
  return out;
}

/**
 * Per host of the neighbourhood, the CPU and memory the repack may fill it to: its capacity, but on a
 * member of a guarded pool with reserve n+k that keeps fewer than k members empty (L counted empty), no
 * more than it carries now. Such a pool keeps its headroom through the free room its members share, and
 * filling a member further can leave a failed member's VMs nowhere to go (on the 1,000-host fleet: an
 * n+1 pool of eight hosts each 87.5% full); the repack may still trade VMs there. Not a proof: the guard's
 * verified check decides at the end.
 */
function fillLimits(placer: Placer, light: number, hosts: readonly number[]): Map<number, Limit> {
  const { ctx, ledger, guard } = placer;
  const limits = new Map<number, Limit>();
  for (const h of hosts) {
    const { cpu, memoryMiB } = ctx.hosts[h]!.capacity;
    const tight = ctx.hosts[h]!.pools.some((p) => {
      const pool = ctx.migrationPools.get(p);
      if (pool === undefined || !guard.guarded.has(p)) return false;
      const empty = poolMembers(ctx, pool).filter((m) => m === light || ledger.tenants[m] === 0).length;
      return empty < RESERVE_HOSTS[pool.reserve];
    });
    limits.set(h, tight ? { cpu: Math.min(cpu, ledger.cpuUsed[h]!), memoryMiB: Math.min(memoryMiB, ledger.memoryUsed[h]!) } : { cpu, memoryMiB });
  }
  return limits;
}

/** Tries to empty `light` by repacking it with its neighbourhood; returns the work spent. */
function repack(placer: Placer, light: number, budget: number): number {
  const { ctx, ledger } = placer;
  const movable = (v: number): boolean => !placer.kept[v] && ctx.vms[v]!.vm.affinity === undefined;
  const own = [...ledger.vmsOn[light]!];
  // An isolated VM needs an empty host, which a repack never opens.
  if (own.length === 0 || !own.every(movable) || ledger.isolated[light] !== 0) return 1;
  const hosts = neighbourhood(placer, light);
  if (hosts.length === 0) return 1;
  const evacuationsBefore = placer.guard.evacuationsRun;
  const limits = fillLimits(placer, light, hosts);
  // The neighbourhood's room within its limits must hold L's load, CPU and memory each, or no repack can
  // succeed: skip it before moving anything (on pools kept n+2, most neighbourhoods).
  let cpuRoom = 0;
  let memoryRoom = 0;
  for (const h of hosts) {
    cpuRoom += limits.get(h)!.cpu - ledger.cpuUsed[h]!;
    memoryRoom += limits.get(h)!.memoryMiB - ledger.memoryUsed[h]!;
  }
  if (cpuRoom < ledger.cpuUsed[light]! || memoryRoom < ledger.memoryUsed[light]!) return hosts.length;
  const home: [vm: number, host: number][] = [];
  for (const h of [light, ...hosts]) for (const v of ledger.vmsOn[h]!) if (movable(v)) home.push([v, h]);
  const vms = home.map(([v]) => v);
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  const size = (v: number): number => Math.max(ctx.vms[v]!.vm.vcpus / maxCpu, ctx.vms[v]!.memoryMiB / maxMemory);
  // A VM's slack: the hosts of the neighbourhood it may use, less the other members of its anti-affinity
  // group being put back (each takes one of them).
  const members = new Map<string, number>();
  for (const v of vms) {
    const group = ctx.vms[v]!.vm.antiAffinity;
    if (group !== undefined) members.set(group, (members.get(group) ?? 0) + 1);
  }
  const slack = new Map<number, number>();
  for (const v of vms) {
    const list = placer.candidates.of(ctx.vms[v]!);
    const group = ctx.vms[v]!.vm.antiAffinity;
    slack.set(v, hosts.reduce((n, h) => n + (holds(list, h) ? 1 : 0), 0) - (group === undefined ? 0 : members.get(group)! - 1));
  }
  let spent = home.length;
  let ok = false;
  for (let attempt = 0; attempt < ATTEMPTS && !ok && spent < budget; attempt++) {
    for (const v of vms) ledger.unassign(v);
    // Attempt 0 puts the VMs back in order (least slack, then largest first); the others shake the sizes
    // (seeded by host and attempt, so the same fleet gives the same plan).
    const random = mulberry32(light * ATTEMPTS + attempt);
    const key = new Map(vms.map((v) => [v, attempt === 0 ? size(v) : size(v) * (1 + SHAKE * (random() - 0.5))]));
    const order = [...vms].sort((a, b) => slack.get(a)! - slack.get(b)! || key.get(b)! - key.get(a)! || a - b);
    const result = fill(placer, order, hosts, limits, light * ATTEMPTS + attempt, budget - spent);
    spent += result.spent;
    ok = result.placed && [light, ...hosts].every((h) => placer.guard.poolsHold(h));
  }
  if (!ok) {
    for (const v of vms) ledger.unassign(v);
    for (const [v, h] of home) ledger.assign(v, h);
  }
  return spent + EVACUATION_COST * (placer.guard.evacuationsRun - evacuationsBefore);
}

/** Whether `h` admits `facts` by every rule but CPU and memory (those the repair below may overrun for a while). */
function admitsBesidesCapacity(placer: Placer, facts: VmFacts, h: number): boolean {
  const { ctx, ledger } = placer;
  const host = ctx.hosts[h]!;
  return (
    hugepagesFilter.test(ctx, ledger, facts, host) &&
    antiAffinityFilter.test(ctx, ledger, facts, host) &&
    tenancyFilter.test(ctx, ledger, facts, host) &&
    affinityFilter.test(ctx, ledger, facts, host) &&
    numaFilter.test(ctx, ledger, facts, host)
  );
}

/**
 * Puts the unplaced VMs of `order` on `hosts`: each, in that order, where it leaves the least room (the
 * larger of the CPU and memory shares left), or, where it fits nowhere, where it overruns CPU and memory
 * least; then a tabu search moves or trades VMs between the hosts until no host is overrun (success) or
 * its steps run out. Every rule but CPU and memory holds at every step, and every VM is checked against
 * every filter at the end, so a success is a valid placement.
 */
function fill(placer: Placer, order: readonly number[], hosts: readonly number[], limits: ReadonlyMap<number, Limit>, seed: number, budget: number): { placed: boolean; spent: number } {
  const { ctx, ledger } = placer;
  const { cpu: maxCpu, memoryMiB: maxMemory } = ctx.largestCapacity;
  let spent = 0;
  const over = (h: number, cpu: number, memory: number): number => {
    const limit = limits.get(h)!;
    return Math.max(0, ledger.cpuUsed[h]! + cpu - limit.cpu) / maxCpu + Math.max(0, ledger.memoryUsed[h]! + memory - limit.memoryMiB) / maxMemory;
  };
  const allowed = new Map<number, number[]>();
  for (const v of order) {
    const list = placer.candidates.of(ctx.vms[v]!);
    allowed.set(v, hosts.filter((h) => holds(list, h)));
  }
  for (const v of order) {
    const facts = ctx.vms[v]!;
    let best = -1;
    let bestRoom = Number.POSITIVE_INFINITY;
    let overrun = -1;
    let leastOver = Number.POSITIVE_INFINITY;
    for (const h of allowed.get(v)!) {
      spent += 1;
      if (!admitsBesidesCapacity(placer, facts, h)) continue;
      const added = over(h, facts.vm.vcpus, facts.memoryMiB) - over(h, 0, 0);
      if (added <= 0) {
        const limit = limits.get(h)!;
        const room = Math.max((limit.cpu - ledger.cpuUsed[h]! - facts.vm.vcpus) / maxCpu, (limit.memoryMiB - ledger.memoryUsed[h]! - facts.memoryMiB) / maxMemory);
        if (room < bestRoom) {
          best = h;
          bestRoom = room;
        }
      } else if (best < 0) {
        if (added < leastOver) {
          overrun = h;
          leastOver = added;
        }
      }
    }
    const to = best >= 0 ? best : overrun;
    if (to < 0) return { placed: false, spent };
    ledger.assign(v, to);
  }
  const random = mulberry32(seed);
  const tabuUntil = new Map<number, number>();
  const overAt = (h: number, cpu: number, memory: number): number => over(h, cpu, memory);
  // Whether `v` may join host `h` as `w` (or nothing, -1) leaves it, by the rules the repair checks itself:
  // hard anti-affinity (v's group on h, w not counted); VMs with hugepages, isolated VMs and strict NUMA
  // VMs that fit no node stay where the first pass put them.
  const joins = (v: number, h: number, w: number): boolean => {
    const fv = ctx.vms[v]!;
    if (fv.hugepageMiB > 0 || fv.vm.securityClass === 'isolated' || ledger.isolated[h] !== 0 || !numaFilter.test(ctx, ledger, fv, ctx.hosts[h]!)) return false;
    const group = fv.vm.antiAffinity;
    if (group === undefined) return true;
    const there = ledger.antiAffinity.get(group)?.get(h) ?? 0;
    return there - (w >= 0 && ctx.vms[w]!.vm.antiAffinity === group ? 1 : 0) === 0;
  };
  let total = hosts.reduce((sum, h) => sum + over(h, 0, 0), 0);
  let least = total;
  let lastGain = 0;
  for (let step = 0; total > OVERRUN_EPSILON && step < REPAIR_STEPS && step - lastGain < STALL_STEPS && spent < budget; step++) {
    // The most overrun host; a VM of it moves to, or trades places with a VM of, another host.
    let source = hosts[0]!;
    for (const h of hosts) if (over(h, 0, 0) > over(source, 0, 0)) source = h;
    let bestDelta = Number.POSITIVE_INFINITY;
    let move: [v: number, to: number, w: number] | undefined;
    const sourceBefore = over(source, 0, 0);
    for (const v of ledger.vmsOn[source]!) {
      const targets = allowed.get(v);
      if (targets === undefined) continue;
      const fv = ctx.vms[v]!;
      const vTabu = (tabuUntil.get(v) ?? -1) > step;
      for (const h of targets) {
        if (h === source) continue;
        spent += 1;
        const hBefore = over(h, 0, 0);
        if (!vTabu && joins(v, h, -1)) {
          const delta = overAt(source, -fv.vm.vcpus, -fv.memoryMiB) - sourceBefore + overAt(h, fv.vm.vcpus, fv.memoryMiB) - hBefore;
          const noisy = delta + TIE_NOISE * random();
          if (noisy < bestDelta) {
            bestDelta = noisy;
            move = [v, h, -1];
          }
        }
        for (const w of ledger.vmsOn[h]!) {
          spent += 1;
          const fw = ctx.vms[w]!;
          const back = allowed.get(w);
          if (back === undefined || fw.vm.vcpus === fv.vm.vcpus && fw.memoryMiB === fv.memoryMiB) continue;
          const dc = fw.vm.vcpus - fv.vm.vcpus;
          const dm = fw.memoryMiB - fv.memoryMiB;
          const delta = overAt(source, dc, dm) - sourceBefore + overAt(h, -dc, -dm) - hBefore;
          const tabu = vTabu || (tabuUntil.get(w) ?? -1) > step;
          // Aspiration: a tabu trade is taken when it removes every overrun.
          if (tabu && total + delta > OVERRUN_EPSILON) continue;
          const noisy = delta + TIE_NOISE * random();
          if (noisy >= bestDelta || !back.includes(source) || !joins(v, h, w) || !joins(w, source, v)) continue;
          bestDelta = noisy;
          move = [v, h, w];
        }
      }
    }
    if (move === undefined) break;
    const [v, to, w] = move;
    ledger.unassign(v);
    if (w >= 0) {
      ledger.unassign(w);
      ledger.assign(w, source);
      tabuUntil.set(w, step + TABU_STEPS);
    }
    ledger.assign(v, to);
    tabuUntil.set(v, step + TABU_STEPS);
    total = hosts.reduce((sum, h) => sum + over(h, 0, 0), 0);
    if (total < least - OVERRUN_EPSILON) {
      least = total;
      lastGain = step;
    }
  }
  if (total > OVERRUN_EPSILON) return { placed: false, spent };
  // Every filter, VM by VM, as the ledger stands.
  for (const v of order) {
    const h = ledger.hostOf[v]!;
    ledger.unassign(v);
    const ok = admitsOnCandidate(ctx, ledger, ctx.vms[v]!, ctx.hosts[h]!);
    ledger.assign(v, h);
    if (!ok) return { placed: false, spent };
  }
  return { placed: true, spent };
}

/** Tries to close the used hosts, least loaded first, until the budget of work is spent. */
export function repackSearch(placer: Placer, budget: number): void {
  const { ledger } = placer;
  for (const h of usedHostsLeastLoadedFirst(placer)) {
    if (budget <= 0) return;
    if (ledger.tenants[h] === 0) continue;
    budget -= repack(placer, h, budget);
  }
}
