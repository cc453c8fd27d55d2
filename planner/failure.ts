/**
 * Failure simulation: when hosts fail, which of their VMs restart where, which cannot and why, and the
 * capacity left. The restarts use the planner's own filters (candidates.ts, filters.ts) and weighers
 * (weighers.ts) on the placement as it stands, so "restarts there" means exactly "the planner would put
 * it there now"; hosts that share a migration pool with the failed host are preferred (they see its
 * shared storage). Pure: the same fleet, placement and failure set give the same scenario.
 *
 * The restarts are a greedy pass (largest VM first, best-scoring host). When that pass loses VMs, a
 * first-fit pass (pool mates first, then hosts in name order, every filter still applied) is tried as well
 * and the one that loses fewer is kept: a failure is reported only when neither finds room.
 *
 * A VM with a disk on host-local storage (a pool not marked shared) cannot restart elsewhere: its data
 * stays on the failed host. It is lost with that reason, as is a VM pinned to a failed host (the `pinned`
 * filter removes every other host); no reserve can cover either, so neither breaks a pool's promise
 * (MIG-VM-LOCAL-DISK warns about the first).
 */
import { isHostLocal } from '../fleet/guest-devices';
import type { Fleet, PoolReserve } from '../fleet/model';
import { nameRecord } from '../fleet/name-record';
import { CandidateIndex, holds } from './candidates';
import { buildContext, type PlanContext, type VmFacts } from './context';
import { admitsOnCandidate, firstFailure } from './filters';
import { poolMembers, RESERVE_HOSTS } from './headroom';
import { Ledger } from './ledger';
import type { HostUsage } from './types';
import { totalScore } from './weighers';

export interface Restart {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
}

export interface LostVm {
  readonly vm: string;
  readonly from: string;
  /** Per filter verdict, the hosts it removed: `<filter>: <why> (<n> host(s): a, b, c …)`. */
  readonly reasons: readonly string[];
}

/**
 * A migration pool whose reserve promised to survive this failure, and the VMs of its failed members that
 * no host took although they could restart elsewhere (not pinned, no host-local disk).
 */
export interface BrokenReserve {
  readonly pool: string;
  readonly reserve: PoolReserve;
  readonly lost: readonly string[];
}

export interface FailureScenario {
  /** The failed hosts, in name order. */
  readonly failed: readonly string[];
  readonly restarted: readonly Restart[];
  readonly lost: readonly LostVm[];
  /** Usage after the restarts of every host that took a restarted VM, in name order. */
  readonly hosts: readonly HostUsage[];
  /** Free capacity left on every surviving host together. */
  readonly spare: { readonly cpu: number; readonly memoryMiB: number };
  /** Pools whose reserve (n+1: any one member, n+2: any two) covered this failure but lost VMs. */
  readonly broken: readonly BrokenReserve[];
}

/** Host names listed in a lost VM's reason before the rest are counted. */
const REASON_HOSTS_LISTED = 3;

/** A ledger holding `placements` (VM name → host name); names unknown to the fleet are skipped. */
export function placedLedger(ctx: PlanContext, placements: Readonly<Record<string, string>>): Ledger {
  const ledger = new Ledger(ctx);
  // The keys rather than `Object.entries` (same order): 20,000 VMs made 20,000 pairs to collect.
  for (const vm of Object.keys(placements)) {
    const v = ctx.vmIndex.get(vm);
    const h = ctx.hostIndex.get(placements[vm]!);
    if (v !== undefined && h !== undefined) ledger.assign(v, h);
  }
  return ledger;
}

export function hostUsageOf(ctx: PlanContext, ledger: Ledger, h: number): HostUsage {
  const facts = ctx.hosts[h]!;
  return {
    name: facts.host.name,
    cpu: { used: ledger.cpuUsed[h]!, capacity: facts.capacity.cpu },
    memoryMiB: { used: ledger.memoryUsed[h]!, capacity: facts.capacity.memoryMiB },
    ...(facts.capacity.hugepageMiB > 0 ? { hugepageMiB: { used: ledger.hugepageUsed[h]!, capacity: facts.capacity.hugepageMiB } } : {}),
  };
}

/** Whether hosts `a` and `b` share a migration pool. */
export function poolMates(ctx: PlanContext, a: number, b: number): boolean {
  const pools = ctx.hosts[b]!.pools;
  return ctx.hosts[a]!.pools.some((p) => pools.includes(p));
}

/** Groups per-host reasons by their text: `<reason> (<n> host(s): a, b, c …)`, most hosts first. */
export function groupReasons(reasons: ReadonlyMap<string, readonly string[]>): string[] {
  return [...reasons]
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, hosts]) => {
      const listed = hosts.slice(0, REASON_HOSTS_LISTED).join(', ');
      const more = hosts.length > REASON_HOSTS_LISTED ? ` and ${hosts.length - REASON_HOSTS_LISTED} more` : '';
      return `${reason} (${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${listed}${more})`;
    });
}

interface Pass {
  /** Per VM of the evacuation order, the host it restarted on, -1 when lost. */
  readonly to: Int32Array;
  readonly lost: number;
}

/**
 * Simulates failures against one placement. Builds the planner's context and ledger once; each scenario
 * changes the ledger and puts it back as it was.
 */
export class FailureSimulator {
  readonly ctx: PlanContext;
  private readonly ledger: Ledger;
  private readonly candidates: CandidateIndex;
  private readonly down: Uint8Array;
  /**
   * Per VM, its first disk on host-local storage (it cannot restart on another host whatever the room), or
   * -1; the reason is worded only for a scenario that reports it (`strandedReason`), not for every VM.
   */
  private readonly strandedDisk: Int32Array;
  /** Per host: 0 when it is a member of a pool with a reserve, else 1 (the evacuation order's first key). */
  private readonly reserveRank: Uint8Array;
  /** Per host, `matesOf` once asked. */
  private readonly mates: (Int32Array | undefined)[] = [];
  /** Per reserve pool: its members and how many of them it promised to survive losing. */
  private readonly reserves: { readonly name: string; readonly reserve: PoolReserve; readonly members: readonly number[]; readonly size: number }[];

  constructor(fleet: Fleet, placements: Readonly<Record<string, string>>) {
    this.ctx = buildContext(fleet);
    this.ledger = placedLedger(this.ctx, placements);
    this.candidates = new CandidateIndex(this.ctx, this.ledger);
    this.down = new Uint8Array(this.ctx.hosts.length);
    const pools = new Map(fleet.pools.map((p) => [p.name, p]));
    const sharedPool = (pool: string): boolean => pools.get(pool)?.shared === true;
    // Loops rather than `Int32Array.from` with a mapping function and a `findIndex` closure per VM: the
    // typed array's generic path and 20,000 closures were a third of building the simulator.
    this.strandedDisk = new Int32Array(this.ctx.vms.length).fill(-1);
    for (let v = 0; v < this.ctx.vms.length; v += 1) {
      const disks = this.ctx.vms[v]!.vm.disks;
      for (let d = 0; d < disks.length; d += 1) {
        if (isHostLocal(disks[d]!, sharedPool)) {
          this.strandedDisk[v] = d;
          break;
        }
      }
    }
    this.reserveRank = Uint8Array.from(this.ctx.hosts, (h) => (h.pools.some((p) => this.ctx.migrationPools.get(p)!.reserve !== 'none') ? 0 : 1));
    this.reserves = [...this.ctx.migrationPools.values()]
      .filter((p) => p.reserve !== 'none')
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((p) => ({ name: p.name, reserve: p.reserve, members: poolMembers(this.ctx, p), size: RESERVE_HOSTS[p.reserve] }));
  }

  /** Why VM `v` (with a disk on host-local storage) cannot restart elsewhere. */
  private strandedReason(v: number): string {
    const index = this.strandedDisk[v]!;
    const disk = this.ctx.vms[v]!.vm.disks[index]!;
    const where = disk.pool !== undefined ? `host-local pool ${disk.pool}` : `host-local path ${disk.path}`;
    return `storage: disk ${index} is on ${where}, whose data stays on the failed host`;
  }

  /** Host names of the fleet, in name order. */
  hostNames(): string[] {
    return this.ctx.hosts.map((h) => h.host.name);
  }

  /** The scenario of losing `failedNames` (names not in the fleet are ignored). */
  run(failedNames: readonly string[]): FailureScenario {
    return this.withFailure(failedNames, () => true, (failed, leaving, from, pass) => this.describe(failed, leaving, from, pass));
  }

  /**
   * Which of `vmNames` no host admits when `failedNames` fail and only those VMs restart (the others of the
   * failed hosts stay down): whether they can survive at all, restarted first.
   */
  lostFirst(failedNames: readonly string[], vmNames: ReadonlySet<string>): string[] {
    // The asked VMs by index, looked up once rather than by name for every VM of the failed hosts (a zone's thousands).
    const asked = new Uint8Array(this.ctx.vms.length);
    for (const name of vmNames) {
      const v = this.ctx.vmIndex.get(name);
      if (v !== undefined) asked[v] = 1;
    }
    return this.withFailure(
      failedNames,
      (v) => asked[v] === 1,
      (failed, leaving, _from, pass) => {
        const lost: number[] = [];
        for (const h of failed) for (const v of this.ledger.vmsOn[h]!) if (this.strandedDisk[v]! >= 0 && asked[v] === 1) lost.push(v);
        leaving.forEach((v, k) => {
          if (pass.to[k]! < 0) lost.push(v);
        });
        return lost.map((v) => this.ctx.vms[v]!.vm.name).sort();
      },
    );
  }

  /**
   * The reserve pools (as `run` reports them in `broken`) whose promise losing `failedNames` breaks, without
   * the per-host reasons `run` gathers for every lost VM: what MIG-RESERVE-SURVIVAL asks of every member.
   */
  brokenBy(failedNames: readonly string[]): BrokenReserve[] {
    return this.withFailure(failedNames, () => true, (_failed, leaving, from, pass) => {
      const lost: { vm: string; from: string }[] = [];
      leaving.forEach((v, k) => {
        const vm = this.ctx.vms[v]!.vm;
        if (pass.to[k]! < 0 && vm.host === undefined) lost.push({ vm: vm.name, from: this.ctx.hosts[from[k]!]!.host.name });
      });
      return this.brokenReserves(lost);
    });
  }

  /** Per reserve pool whose promise covers the hosts down now (1 ≤ failed members ≤ its reserve), the `lost` VMs of its failed members. */
  private brokenReserves(lost: readonly { readonly vm: string; readonly from: string }[]): BrokenReserve[] {
    const { ctx, down } = this;
    const lostFrom = nameRecord<string[]>();
    for (const l of lost) (lostFrom[l.from] ??= []).push(l.vm);
    const broken: BrokenReserve[] = [];
    for (const pool of this.reserves) {
      // Counted before any list is made: a failure touches one or two of the pools (MIG-RESERVE-SURVIVAL fails every member of each).
      let hits = 0;
      for (let i = 0; i < pool.members.length; i += 1) if (down[pool.members[i]!]) hits += 1;
      if (hits === 0 || hits > pool.size || hits >= pool.members.length) continue;
      const hit = pool.members.filter((m) => down[m]);
      const lostVms = hit.flatMap((m) => lostFrom[ctx.hosts[m]!.host.name] ?? []).sort();
      if (lostVms.length > 0) broken.push({ pool: pool.name, reserve: pool.reserve, lost: lostVms });
    }
    return broken;
  }

  /**
   * Takes the failed hosts down, restarts their VMs that `restart` selects (the greedy pass, and the
   * first-fit pass when the greedy one loses VMs), lets `read` see the result, and puts everything back.
   */
  private withFailure<T>(
    failedNames: readonly string[],
    restart: (vm: number) => boolean,
    read: (failed: readonly number[], leaving: readonly number[], from: Int32Array, pass: Pass) => T,
  ): T {
    const { ctx, ledger, down } = this;
    const failed = [...new Set(failedNames.flatMap((n) => (ctx.hostIndex.has(n) ? [ctx.hostIndex.get(n)!] : [])))].sort((a, b) => a - b);
    for (const h of failed) down[h] = 1;
    const leaving = this.evacuationOrder(failed, (v) => restart(v) && this.strandedDisk[v]! < 0);
    // A loop rather than `Int32Array.from` with a mapping function, whose generic path is slow.
    const from = new Int32Array(leaving.length);
    for (let k = 0; k < leaving.length; k += 1) from[k] = ledger.hostOf[leaving[k]!]!;
    for (const v of leaving) ledger.unassign(v);

    let pass = this.pass(leaving, from, 'weighted');
    if (pass.lost > 0) {
      this.undo(leaving, pass);
      const firstFit = this.pass(leaving, from, 'first-fit');
      if (firstFit.lost < pass.lost) {
        pass = firstFit;
      } else {
        this.undo(leaving, firstFit);
        this.redo(leaving, pass);
      }
    }
    const result = read(failed, leaving, from, pass);
    this.undo(leaving, pass);
    leaving.forEach((v, k) => ledger.assign(v, from[k]!));
    for (const h of failed) down[h] = 0;
    return result;
  }

  /**
   * The VMs of the failed hosts that `restart` selects: those of reserve pools' members first (their promise
   * is at stake), then largest first. Selected before they are sorted: a zone's failure takes thousands of
   * VMs down, of which PLC-ZONE-LOSS-ANTI-AFFINITY restarts a few.
   */
  private evacuationOrder(failed: readonly number[], restart: (vm: number) => boolean): number[] {
    const { ctx, ledger, reserveRank } = this;
    const vms: number[] = [];
    for (const h of failed) for (const v of ledger.vmsOn[h]!) if (restart(v)) vms.push(v);
    const key = (v: number): VmFacts => ctx.vms[v]!;
    return vms.sort(
      (a, b) =>
        reserveRank[ledger.hostOf[a]!]! - reserveRank[ledger.hostOf[b]!]! ||
        key(b).memoryMiB - key(a).memoryMiB ||
        key(b).vm.vcpus - key(a).vm.vcpus ||
        a - b,
    );
  }

  private pass(leaving: readonly number[], from: Int32Array, mode: 'weighted' | 'first-fit'): Pass {
    const to = new Int32Array(leaving.length).fill(-1);
    let lost = 0;
    leaving.forEach((v, k) => {
      const h = mode === 'weighted' ? this.bestHost(this.ctx.vms[v]!, from[k]!) : this.firstHost(this.ctx.vms[v]!, from[k]!);
      if (h < 0) {
        lost++;
        return;
      }
      this.ledger.assign(v, h);
      to[k] = h;
    });
    return { to, lost };
  }

  private undo(leaving: readonly number[], pass: Pass): void {
    leaving.forEach((v, k) => {
      if (pass.to[k]! >= 0) this.ledger.unassign(v);
    });
  }

  private redo(leaving: readonly number[], pass: Pass): void {
    leaving.forEach((v, k) => {
      if (pass.to[k]! >= 0) this.ledger.assign(v, pass.to[k]!);
    });
  }

  /**
   * The best-scoring host the filters keep, a pool mate of `source` when one admits the VM; -1 when none:
   * of the mates that admit it the best (the first in name order among equals), else of the other hosts.
   * The mates are judged first and the others only when none admits the VM, which is what judging every
   * candidate in name order gives (a mate that admits it outranks every other host), without scoring the
   * hundreds of candidates of a VM outside any migration pool.
   */
  private bestHost(vm: VmFacts, source: number): number {
    const { ctx, ledger } = this;
    const candidates = this.candidates.of(vm);
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    // Indexed loops over the typed arrays: a `for…of` loop not yet optimized makes an iteration result per
    // host, and the second loop can pass every host of the fleet for each VM.
    const mates = this.matesOf(source);
    for (let i = 0; i < mates.length; i += 1) {
      const h = mates[i]!;
      if (!this.restartsOn(candidates, source, h) || !admitsOnCandidate(ctx, ledger, vm, ctx.hosts[h]!)) continue;
      // The first mate that admits the VM is taken whatever its score; a later one only with a higher one.
      const score = totalScore(ctx, ledger, vm, ctx.hosts[h]!);
      if (best < 0 || score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    if (best >= 0) return best;
    for (let i = 0; i < candidates.length; i += 1) {
      const h = candidates[i]!;
      if (this.down[h] || !this.sameKind(source, h) || poolMates(ctx, source, h)) continue;
      const host = ctx.hosts[h]!;
      if (!admitsOnCandidate(ctx, ledger, vm, host)) continue;
      const score = totalScore(ctx, ledger, vm, host);
      if (score > bestScore) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }

  /** The first host (pool mates of `source` first, then name order) the filters keep; -1 when none. */
  private firstHost(vm: VmFacts, source: number): number {
    const { ctx, ledger } = this;
    const candidates = this.candidates.of(vm);
    // Indexed loops: see `bestHost`.
    const mates = this.matesOf(source);
    for (let i = 0; i < mates.length; i += 1) {
      const h = mates[i]!;
      if (this.restartsOn(candidates, source, h) && admitsOnCandidate(ctx, ledger, vm, ctx.hosts[h]!)) return h;
    }
    for (let i = 0; i < candidates.length; i += 1) {
      const h = candidates[i]!;
      if (this.down[h] || !this.sameKind(source, h) || poolMates(ctx, source, h)) continue;
      if (admitsOnCandidate(ctx, ledger, vm, ctx.hosts[h]!)) return h;
    }
    return -1;
  }

  /** Whether `h`, a candidate of the VM (in `candidates`, ascending), is up and of the failed host's kind. */
  private restartsOn(candidates: Int32Array, source: number, h: number): boolean {
    return !this.down[h] && this.sameKind(source, h) && holds(candidates, h);
  }

  /** Hosts that share a migration pool with `host` (itself included when it is in one), ascending; made on first use. */
  private matesOf(host: number): Int32Array {
    let mates = this.mates[host];
    if (mates === undefined) {
      const marked = new Set<number>();
      for (const pool of this.ctx.hosts[host]!.pools) for (const member of poolMembers(this.ctx, this.ctx.migrationPools.get(pool)!)) marked.add(member);
      mates = Int32Array.from(marked).sort();
      this.mates[host] = mates;
    }
    return mates;
  }

  /**
   * A restart stays on the failed host's hypervisor: a VM the planner was free to put on either kind
   * (`auto`) still has a domain, disks and drivers of the kind it ran on, and moving it is a rebuild
   * (what `drain` lists apart), not a restart.
   */
  private sameKind(source: number, h: number): boolean {
    return this.ctx.hosts[source]!.host.hypervisor === this.ctx.hosts[h]!.host.hypervisor;
  }

  private lostReasons(vm: VmFacts, source: number): string[] {
    const { ctx, ledger, down } = this;
    const byReason = new Map<string, string[]>();
    const kind = ctx.hosts[source]!.host.hypervisor;
    const failed: string[] = [];
    for (const host of ctx.hosts) {
      if (down[host.index]) {
        failed.push(host.host.name);
        continue;
      }
      const reason =
        firstFailure(ctx, ledger, vm, host) ??
        (this.sameKind(source, host.index)
          ? 'admits it only without the restarts placed before it'
          : `hypervisor: the VM ran on ${kind}, host runs ${host.host.hypervisor}; moving it there is a rebuild, not a restart`);
      const list = byReason.get(reason);
      if (list) list.push(host.host.name);
      else byReason.set(reason, [host.host.name]);
    }
    // The failed hosts last: the filters' reasons are what an operator can act on.
    return [...groupReasons(byReason), ...groupReasons(new Map([['host failed', failed]]))];
  }

  private describe(failed: readonly number[], leaving: readonly number[], from: Int32Array, pass: Pass): FailureScenario {
    const { ctx, ledger, down } = this;
    const name = (h: number): string => ctx.hosts[h]!.host.name;
    const restarted: Restart[] = [];
    const lost: LostVm[] = [];
    const receivers = new Set<number>();
    /** Lost whatever the reserve: pinned to a failed host, or holding data on its local storage. */
    const uncovered = new Set<string>();
    for (const h of failed) {
      for (const v of ledger.vmsOn[h]!) {
        if (this.strandedDisk[v]! < 0) continue;
        lost.push({ vm: ctx.vms[v]!.vm.name, from: name(h), reasons: [this.strandedReason(v)] });
        uncovered.add(ctx.vms[v]!.vm.name);
      }
    }
    leaving.forEach((v, k) => {
      const vm = ctx.vms[v]!;
      const to = pass.to[k]!;
      if (to >= 0) {
        restarted.push({ vm: vm.vm.name, from: name(from[k]!), to: name(to) });
        receivers.add(to);
      } else {
        lost.push({ vm: vm.vm.name, from: name(from[k]!), reasons: this.lostReasons(vm, from[k]!) });
        if (vm.vm.host !== undefined) uncovered.add(vm.vm.name);
      }
    });
    const byVm = (a: { vm: string }, b: { vm: string }): number => (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0);
    restarted.sort(byVm);
    lost.sort(byVm);
    let cpu = 0;
    let memoryMiB = 0;
    for (const host of ctx.hosts) {
      if (down[host.index]) continue;
      cpu += host.capacity.cpu - ledger.cpuUsed[host.index]!;
      memoryMiB += host.capacity.memoryMiB - ledger.memoryUsed[host.index]!;
    }
    const broken = this.brokenReserves(lost.filter((l) => !uncovered.has(l.vm)));
    return {
      failed: failed.map(name),
      restarted,
      lost,
      hosts: [...receivers].sort((a, b) => a - b).map((h) => hostUsageOf(ctx, ledger, h)),
      spare: { cpu, memoryMiB },
      broken,
    };
  }
}
