/**
 * Maintenance planning: patch a set of hosts in waves. Each wave empties some hosts by live migration
 * (the `virsh migrate` commands `drain` gives, drain.ts), then, with `returnVms`, brings the VMs back.
 * Every migration goes to a host the planner's filters keep (capacity, anti-affinity, security class,
 * tenancy, …) as the ledger stands after the migrations before it, and only adds load to hosts that stay
 * up, so any subset of a step's migrations running at once is as safe as running them one by one.
 *
 * Waves are built greedily (a host joins the current wave when its VMs, and those the wave sent there, still
 * find targets outside it) over four host orders (name, lightest first, heaviest first, fewest refuges for its most
 * constrained VM first); the plan with the fewest
 * waves, then the fewest migrations, wins. A greedy heuristic: fewer waves may exist.
 *
 * Duration: each migration sends the guest's RAM (plus the disks `--copy-storage-all` copies) at
 * `bandwidth`, times DIRTY_PAGE_FACTOR for the pages the guest dirties while pre-copy runs; migrations
 * run in steps of at most `parallel` at once, a step lasts as long as its longest migration, and a wave
 * as long as its steps together.
 */
import { isHostLocal } from '../fleet/guest-devices';
import type { Fleet } from '../fleet/model';
import { buildContext, type PlanContext, type VmFacts } from './context';
import { liveMigration, migrateCommand } from './drain';
import { placedLedger, poolMates, groupReasons } from './failure';
import { admitsOnCandidate, firstFailure, indexedPass } from './filters';
import type { Ledger } from './ledger';
import { totalScore } from './weighers';

/**
 * Pre-copy live migration sends all guest RAM once, then again the pages dirtied meanwhile, until what
 * is left fits the allowed downtime (QEMU docs/devel/migration/main.rst, "precopy"). How much is re-sent
 * depends on the guest's write rate; 1.5 (half the RAM re-sent over the iterations) is our assumption for
 * a moderately busy guest, not a measured value: a write-heavy guest can need far more, or never converge
 * without auto-converge or post-copy.
 */
export const DIRTY_PAGE_FACTOR = 1.5;
/** `--bandwidth` default: 10 Gbit/s per migration. */
export const DEFAULT_BANDWIDTH_BITS = 10e9;
/** Nova's `max_concurrent_live_migrations` default (openstack/nova nova/conf/compute.py). */
export const DEFAULT_PARALLEL = 1;

export type MaintenanceTarget =
  | { readonly kind: 'pool'; readonly pool: string }
  | { readonly kind: 'zone'; readonly zone: string }
  | { readonly kind: 'hosts'; readonly hosts: readonly string[] };

export interface MaintenanceOptions {
  /** Migrations running at once. @default DEFAULT_PARALLEL */
  readonly parallel?: number;
  /** Bits per second one migration gets. @default DEFAULT_BANDWIDTH_BITS */
  readonly bandwidthBits?: number;
  /** Migrate the VMs back once their host is patched. @default false (they stay where they went) */
  readonly returnVms?: boolean;
}

export interface MaintenanceMigration {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
  readonly command: string;
  /** `evacuate` empties a wave's host; `return` brings a VM back after the patch. */
  readonly phase: 'evacuate' | 'return';
  /** Migrations of one step run at once (at most `parallel`); steps run one after another. */
  readonly step: number;
  readonly seconds: number;
}

export interface ColdVm {
  readonly vm: string;
  readonly host: string;
  /** Why it cannot live-migrate: it stays on its host, shut down while the host is patched. */
  readonly reason: string;
}

export interface MaintenanceWave {
  readonly hosts: readonly string[];
  readonly migrations: readonly MaintenanceMigration[];
  readonly cold: readonly ColdVm[];
  readonly seconds: number;
}

export interface MaintenancePlan {
  readonly waves: readonly MaintenanceWave[];
  readonly total: { readonly waves: number; readonly migrations: number; readonly seconds: number };
}

export type MaintenanceResult = { readonly ok: true; readonly plan: MaintenancePlan } | { readonly ok: false; readonly problem: string };

/** Seconds one live migration of `transferMiB` takes at `bandwidthBits`, dirty pages included. */
export function migrationSeconds(transferMiB: number, bandwidthBits: number): number {
  return (transferMiB * 1024 * 1024 * 8 * DIRTY_PAGE_FACTOR) / bandwidthBits;
}

interface Move {
  readonly vm: number;
  readonly from: number;
  readonly to: number;
  readonly command: string;
  readonly transferMiB: number;
}

/** A wave as it grows: its hosts, the migrations that empty them, the VMs that stay cold. */
interface Wave {
  readonly hosts: number[];
  readonly moves: Move[];
  readonly cold: { readonly vm: number; readonly host: number; readonly reason: string }[];
  /** Anti-affinity groups of its cold VMs (two down at once would take the group down). */
  readonly coldGroups: Set<string>;
}

/** The hosts `target` names, in name order, or why it names none. */
function targetHosts(ctx: PlanContext, target: MaintenanceTarget): number[] | string {
  const fleet = ctx.fleet;
  let names: string[];
  if (target.kind === 'pool') {
    const pool = ctx.migrationPools.get(target.pool);
    if (!pool) return `no migration pool named ${target.pool} (pools: ${[...ctx.migrationPools.keys()].sort().join(', ') || 'none'})`;
    names = [...pool.hosts];
  } else if (target.kind === 'zone') {
    names = fleet.hosts.filter((h) => h.zone === target.zone).map((h) => h.name);
    if (names.length === 0) return `no host is in zone ${target.zone}`;
  } else {
    const unknown = target.hosts.filter((h) => !ctx.hostIndex.has(h));
    if (unknown.length > 0) return `no host named ${unknown.join(', ')} in the fleet`;
    names = [...target.hosts];
  }
  return [...new Set(names.flatMap((n) => (ctx.hostIndex.has(n) ? [ctx.hostIndex.get(n)!] : [])))].sort((a, b) => a - b);
}

type Target = { readonly to: number; readonly command: string; readonly transferMiB: number } | { readonly live: boolean; readonly reason: string };
type Live = { readonly ok: true; readonly command: string; readonly transferMiB: number } | { readonly ok: false; readonly reason: string };

class WavePlanner {
  private readonly down: Uint8Array;
  /** Hosts still to be patched (no-return plans keep VMs off them when they can). */
  private readonly pending: Uint8Array;
  /** Per host, once asked, the other hosts it shares a migration pool with, in name order. */
  private readonly matesOf: (readonly number[] | undefined)[] = [];
  /** `live` answers by (VM, source, target): they depend on nothing the ledger holds. */
  private readonly liveCache = new Map<number, Live>();
  private readonly storage: ReadonlyMap<string, { readonly shared: boolean }>;

  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
    targets: readonly number[],
    private readonly returnVms: boolean,
  ) {
    this.down = new Uint8Array(ctx.hosts.length);
    this.pending = new Uint8Array(ctx.hosts.length);
    for (const h of targets) this.pending[h] = 1;
    this.storage = new Map(ctx.fleet.pools.map((p) => [p.name, p]));
  }

  /**
   * Adds host `h` to `wave`: takes it down and live-migrates its VMs (largest first, and those an earlier
   * host of the wave sent there) to hosts that stay up. Refused, with nothing changed, when a VM that can
   * live-migrate finds no room or two cold VMs of one anti-affinity group would be down together, unless
   * the wave is empty: a host alone always goes, its VMs without room cold.
   */
  add(wave: Wave, h: number): boolean {
    const { ctx, ledger, down } = this;
    const alone = wave.hosts.length === 0;
    down[h] = 1;
    const vms = [...ledger.vmsOn[h]!].sort((a, b) => ctx.vms[b]!.memoryMiB - ctx.vms[a]!.memoryMiB || ctx.vms[b]!.vm.vcpus - ctx.vms[a]!.vm.vcpus || a - b);
    const moves = wave.moves.length;
    const replaced: { index: number; move: Move }[] = [];
    const cold: Wave['cold'][number][] = [];
    const groups: string[] = [];
    let ok = true;
    for (const v of vms) {
      // A VM an earlier host of this wave sent here moves on from where it started: one migration.
      const earlier = wave.moves.findIndex((m, i) => i < moves && m.vm === v);
      const origin = earlier >= 0 ? wave.moves[earlier]!.from : h;
      const choice = this.target(ctx.vms[v]!, origin, h);
      if ('to' in choice) {
        ledger.unassign(v);
        ledger.assign(v, choice.to);
        const move = { vm: v, from: origin, to: choice.to, command: choice.command, transferMiB: choice.transferMiB };
        if (earlier >= 0) {
          replaced.push({ index: earlier, move: wave.moves[earlier]! });
          wave.moves[earlier] = move;
        } else {
          wave.moves.push(move);
        }
        continue;
      }
      const group = ctx.vms[v]!.vm.antiAffinity;
      if (!alone && (choice.live || (group !== undefined && (wave.coldGroups.has(group) || groups.includes(group))))) {
        ok = false;
        break;
      }
      if (group !== undefined) groups.push(group);
      cold.push({ vm: v, host: h, reason: choice.reason });
    }
    if (!ok) {
      for (let i = wave.moves.length - 1; i >= moves; i--) this.move(wave.moves[i]!.vm, wave.moves[i]!.from);
      wave.moves.length = moves;
      for (const { index, move } of replaced.reverse()) {
        this.move(wave.moves[index]!.vm, move.to);
        wave.moves[index] = move;
      }
      down[h] = 0;
      return false;
    }
    wave.hosts.push(h);
    wave.cold.push(...cold);
    for (const g of groups) wave.coldGroups.add(g);
    return true;
  }

  private mates(h: number): readonly number[] {
    const { ctx } = this;
    let mates = this.matesOf[h];
    if (mates === undefined) {
      const pools = ctx.hosts[h]!.pools.map((p) => ctx.migrationPools.get(p)!);
      mates = [...new Set(pools.flatMap((p) => p.hosts.flatMap((name) => (ctx.hostIndex.has(name) ? [ctx.hostIndex.get(name)!] : []))))]
        .filter((m) => m !== h)
        .sort((a, b) => a - b);
      this.matesOf[h] = mates;
    }
    return mates;
  }

  private move(v: number, to: number): void {
    this.ledger.unassign(v);
    this.ledger.assign(v, to);
  }

  /** Ends a wave: hosts patched and up again; with `returnVms`, the VMs go back (returned as moves). */
  finish(wave: Wave): Move[] {
    for (const h of wave.hosts) {
      this.down[h] = 0;
      this.pending[h] = 0;
    }
    if (!this.returnVms) return [];
    const { ctx, ledger } = this;
    const back: Move[] = [];
    for (const move of wave.moves) {
      const vm = ctx.vms[move.vm]!;
      ledger.unassign(move.vm);
      const failure = firstFailure(ctx, ledger, vm, ctx.hosts[move.from]!);
      ledger.assign(move.vm, move.from);
      // The host held the VM before the wave and took no other VM since: it always admits it back.
      if (failure !== undefined) throw new Error(`maintenance: ${vm.vm.name} cannot return to ${ctx.hosts[move.from]!.host.name}: ${failure}`);
      const live = this.live(move.vm, move.to, move.from);
      back.push({ vm: move.vm, from: move.to, to: move.from, command: live.ok ? live.command : move.command, transferMiB: move.transferMiB });
    }
    return back;
  }

  private live(v: number, from: number, to: number): Live {
    const { ctx } = this;
    const key = (v * ctx.hosts.length + from) * ctx.hosts.length + to;
    const known = this.liveCache.get(key);
    if (known) return known;
    const vm = ctx.vms[v]!.vm;
    const source = ctx.hosts[from]!.host;
    const target = ctx.hosts[to]!.host;
    const migration = liveMigration(ctx.fleet, vm, source, target);
    let answer: Live;
    if (!migration.ok) {
      answer = migration;
    } else {
      const copied = migration.copyStorage ? vm.disks.filter((d) => isHostLocal(d, (pool) => this.storage.get(pool)?.shared === true)).reduce((sum, d) => sum + d.sizeMiB, 0) : 0;
      answer = { ok: true, command: migrateCommand(vm.name, source.uri, target.uri, migration), transferMiB: vm.memoryMiB + copied };
    }
    this.liveCache.set(key, answer);
    return answer;
  }

  /**
   * Where `vm` live-migrates from `origin` (its host before this wave; it sits on `at` now, which goes
   * down): a pool mate of `origin` the filters keep and that is up, preferring (when VMs stay) hosts
   * already patched or outside the plan, then the weighers' best. Otherwise why not, and whether it could
   * live-migrate to some pool mate were that host up and with room (`live`): then the wave, not the VM,
   * is the problem.
   */
  private target(vm: VmFacts, origin: number, at: number): Target {
    const { ctx, ledger, down, pending } = this;
    let best: { to: number; command: string; transferMiB: number } | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestSettled = false;
    let blocked: string | undefined;
    const refused: number[] = [];
    let live = false;
    for (const h of this.mates(origin)) {
      const host = ctx.hosts[h]!;
      if (!indexedPass(ctx, ledger, vm, host)) {
        blocked ??= `${host.host.name}: ${firstFailure(ctx, ledger, vm, host)}`;
        continue;
      }
      const migration = this.live(vm.index, origin, h);
      if (!migration.ok) {
        blocked = `cannot live-migrate to ${host.host.name}: ${migration.reason}`;
        continue;
      }
      live = true;
      if (down[h] || !admitsOnCandidate(ctx, ledger, vm, host)) {
        refused.push(h);
        continue;
      }
      const settled = this.returnVms || !pending[h];
      if (bestSettled && !settled) continue;
      const score = totalScore(ctx, ledger, vm, host);
      if ((settled && !bestSettled) || score > bestScore) {
        best = { to: h, command: migration.command, transferMiB: migration.transferMiB };
        bestScore = score;
        bestSettled = settled;
      }
    }
    if (best) return best;
    const source = ctx.hosts[at]!.host.name;
    if (live) {
      const reasons = new Map<string, string[]>();
      for (const h of refused) {
        const why = down[h] ? 'patched in this wave' : (firstFailure(ctx, ledger, vm, ctx.hosts[h]!) ?? 'refused');
        reasons.set(why, [...(reasons.get(why) ?? []), ctx.hosts[h]!.host.name]);
      }
      return { live, reason: `no host of its migration pools can take it while ${source} is patched: ${groupReasons(reasons).join('; ')}` };
    }
    if (this.mates(origin).length === 0) return { live, reason: `${source} shares no migration pool with another host` };
    return { live, reason: blocked ?? `no host of the migration pools of ${source} can take it` };
  }
}

interface PlannedWave {
  readonly wave: Wave;
  readonly back: readonly Move[];
}

function planWaves(ctx: PlanContext, placements: Readonly<Record<string, string>>, targets: readonly number[], order: readonly number[], returnVms: boolean): PlannedWave[] {
  const ledger = placedLedger(ctx, placements);
  const planner = new WavePlanner(ctx, ledger, targets, returnVms);
  const left = [...order];
  const waves: PlannedWave[] = [];
  while (left.length > 0) {
    const wave: Wave = { hosts: [], moves: [], cold: [], coldGroups: new Set() };
    for (const h of left) planner.add(wave, h);
    waves.push({ wave, back: planner.finish(wave) });
    for (const h of wave.hosts) left.splice(left.indexOf(h), 1);
  }
  return waves;
}

/** Lays out a wave's migrations in steps of at most `parallel`, largest first; returns them and the seconds. */
function schedule(ctx: PlanContext, moves: readonly Move[], phase: MaintenanceMigration['phase'], firstStep: number, options: Required<Pick<MaintenanceOptions, 'parallel' | 'bandwidthBits'>>) {
  const name = (h: number): string => ctx.hosts[h]!.host.name;
  const migrations: MaintenanceMigration[] = [];
  let seconds = 0;
  let step = firstStep;
  for (let i = 0; i < moves.length; i += options.parallel) {
    const batch = moves.slice(i, i + options.parallel);
    let longest = 0;
    for (const move of batch) {
      const time = migrationSeconds(move.transferMiB, options.bandwidthBits);
      longest = Math.max(longest, time);
      migrations.push({ vm: ctx.vms[move.vm]!.vm.name, from: name(move.from), to: name(move.to), command: move.command, phase, step, seconds: Math.round(time * 10) / 10 });
    }
    seconds += longest;
    step++;
  }
  return { migrations, seconds, nextStep: step };
}

/** Plans patching the hosts `target` names against `placements` (VM name → host, the current plan). */
export function planMaintenance(fleet: Fleet, placements: Readonly<Record<string, string>>, target: MaintenanceTarget, options: MaintenanceOptions = {}): MaintenanceResult {
  const ctx = buildContext(fleet);
  const targets = targetHosts(ctx, target);
  if (typeof targets === 'string') return { ok: false, problem: targets };
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  const bandwidthBits = options.bandwidthBits ?? DEFAULT_BANDWIDTH_BITS;
  if (!Number.isInteger(parallel) || parallel < 1) return { ok: false, problem: `parallel must be a whole number ≥ 1, got ${parallel}` };
  if (!(bandwidthBits > 0)) return { ok: false, problem: `bandwidth must be positive, got ${bandwidthBits}` };
  const returnVms = options.returnVms ?? false;
  const current = placedLedger(ctx, placements);
  const loads = new Map(targets.map((h) => [h, current.load(h)]));
  // Per host, the fewest pool mates any of its VMs may run on (indexed filters only): hosts whose VMs
  // have one refuge go first, each opening a wave the others can join.
  const refuges = new Map(
    targets.map((h) => {
      const mates = ctx.hosts.filter((o) => o.index !== h && poolMates(ctx, h, o.index));
      const counts = [...current.vmsOn[h]!].map((v) => mates.filter((o) => indexedPass(ctx, current, ctx.vms[v]!, o)).length);
      return [h, Math.min(Number.POSITIVE_INFINITY, ...counts)];
    }),
  );
  const orders = [
    targets,
    [...targets].sort((a, b) => loads.get(a)! - loads.get(b)! || a - b),
    [...targets].sort((a, b) => loads.get(b)! - loads.get(a)! || a - b),
    [...targets].sort((a, b) => refuges.get(a)! - refuges.get(b)! || a - b),
  ];
  let best: PlannedWave[] | undefined;
  const count = (waves: readonly PlannedWave[]): number => waves.reduce((n, w) => n + w.wave.moves.length + w.back.length, 0);
  for (const order of orders) {
    const waves = planWaves(ctx, placements, targets, order, returnVms);
    if (!best || waves.length < best.length || (waves.length === best.length && count(waves) < count(best))) best = waves;
  }
  const name = (h: number): string => ctx.hosts[h]!.host.name;
  const waves: MaintenanceWave[] = best!.map(({ wave, back }) => {
    const out = schedule(ctx, wave.moves, 'evacuate', 1, { parallel, bandwidthBits });
    const home = schedule(ctx, back, 'return', out.nextStep, { parallel, bandwidthBits });
    return {
      hosts: [...wave.hosts].sort((a, b) => a - b).map(name),
      migrations: [...out.migrations, ...home.migrations],
      cold: wave.cold.map((c) => ({ vm: ctx.vms[c.vm]!.vm.name, host: name(c.host), reason: c.reason })),
      seconds: Math.ceil(out.seconds + home.seconds),
    };
  });
  return {
    ok: true,
    plan: {
      waves,
      total: { waves: waves.length, migrations: waves.reduce((n, w) => n + w.migrations.length, 0), seconds: waves.reduce((n, w) => n + w.seconds, 0) },
    },
  };
}
