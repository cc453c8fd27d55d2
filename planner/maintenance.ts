/**
 * Maintenance planning: patch a set of hosts in waves. Each wave empties some hosts by live migration
 * (the `virsh migrate` commands `drain` gives, drain.ts), then, with `returnVms`, brings the VMs back.
 * Every migration goes to a host the planner's filters keep (capacity, anti-affinity, security class,
 * tenancy, …) as the ledger stands after the migrations before it, and only adds load to hosts that stay
 * up, so any subset of a step's migrations running at once is as safe as running them one by one.
 *
 * Waves are built greedily (a host joins the current wave when all of the wave's VMs still find targets
 * outside it) over four host orders (name, lightest first, heaviest first, fewest refuges for its most
 * constrained VM first); the plan with the fewest
 * waves, then the fewest migrations, wins. A greedy heuristic: fewer waves may exist.
 *
 * Duration: each migration sends the guest's RAM (plus the disks `--copy-storage-all` copies) at
 * `bandwidth`, times DIRTY_PAGE_FACTOR for the pages the guest dirties while pre-copy runs; migrations
 * run in steps of at most `parallel` at once, a step lasts as long as its longest migration, and a wave
 * as long as its steps together.
 */
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

interface WaveTrial {
  readonly hosts: readonly number[];
  readonly moves: readonly Move[];
  readonly cold: readonly { readonly vm: number; readonly host: number; readonly reason: string }[];
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

class WavePlanner {
  private readonly down: Uint8Array;
  /** Hosts still to be patched (no-return plans keep VMs off them when they can). */
  private readonly pending: Uint8Array;

  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
    targets: readonly number[],
    private readonly returnVms: boolean,
  ) {
    this.down = new Uint8Array(ctx.hosts.length);
    this.pending = new Uint8Array(ctx.hosts.length);
    for (const h of targets) this.pending[h] = 1;
  }

  /**
   * Empties `hosts` on the ledger (largest VM first) and returns what it did, or undefined when a VM that
   * can live-migrate finds no host and the wave has more than one host (a single host's VMs then go cold).
   * The ledger keeps the moves; `undo` puts it back.
   */
  trial(hosts: readonly number[]): WaveTrial | undefined {
    const { ctx, ledger, down } = this;
    for (const h of hosts) down[h] = 1;
    const vms = hosts.flatMap((h) => [...ledger.vmsOn[h]!]);
    vms.sort((a, b) => ctx.vms[b]!.memoryMiB - ctx.vms[a]!.memoryMiB || ctx.vms[b]!.vm.vcpus - ctx.vms[a]!.vm.vcpus || a - b);
    const moves: Move[] = [];
    const cold: { vm: number; host: number; reason: string }[] = [];
    const coldGroups = new Set<string>();
    let ok = true;
    for (const v of vms) {
      const from = ledger.hostOf[v]!;
      const choice = this.target(ctx.vms[v]!, from);
      if ('to' in choice) {
        ledger.unassign(v);
        ledger.assign(v, choice.to);
        moves.push({ vm: v, from, to: choice.to, command: choice.command, transferMiB: choice.transferMiB });
        continue;
      }
      // A full wave would leave a VM that could live-migrate without a host: the wave is too big.
      if (choice.live && hosts.length > 1) ok = false;
      // Two cold members of one anti-affinity group would be down together: not in one wave.
      const group = ctx.vms[v]!.vm.antiAffinity;
      if (group !== undefined && coldGroups.has(group) && hosts.length > 1) ok = false;
      if (group !== undefined) coldGroups.add(group);
      cold.push({ vm: v, host: from, reason: choice.reason });
      if (!ok) break;
    }
    const trial = { hosts, moves, cold };
    if (!ok) {
      this.undo(trial);
      return undefined;
    }
    return trial;
  }

  undo(trial: WaveTrial): void {
    for (let i = trial.moves.length - 1; i >= 0; i--) {
      const move = trial.moves[i]!;
      this.ledger.unassign(move.vm);
      this.ledger.assign(move.vm, move.from);
    }
    for (const h of trial.hosts) this.down[h] = 0;
  }

  /** Ends a kept wave: hosts patched and up again; with `returnVms`, the VMs go back (returned as moves). */
  finish(trial: WaveTrial): Move[] {
    for (const h of trial.hosts) {
      this.down[h] = 0;
      this.pending[h] = 0;
    }
    if (!this.returnVms) return [];
    const { ctx, ledger } = this;
    const back: Move[] = [];
    for (const move of trial.moves) {
      const vm = ctx.vms[move.vm]!;
      ledger.unassign(move.vm);
      const failure = firstFailure(ctx, ledger, vm, ctx.hosts[move.from]!);
      ledger.assign(move.vm, move.from);
      // The host held the VM before the wave and holds no new VM since: it always admits it back.
      if (failure !== undefined) throw new Error(`maintenance: ${vm.vm.name} cannot return to ${ctx.hosts[move.from]!.host.name}: ${failure}`);
      const live = this.live(vm, move.to, move.from);
      back.push({ vm: move.vm, from: move.to, to: move.from, command: live.ok ? live.command : move.command, transferMiB: move.transferMiB });
    }
    return back;
  }

  private live(vm: VmFacts, from: number, to: number): { ok: true; command: string; transferMiB: number } | { ok: false; reason: string } {
    const { ctx } = this;
    const source = ctx.hosts[from]!.host;
    const target = ctx.hosts[to]!.host;
    const migration = liveMigration(ctx.fleet, vm.vm, source, target);
    if (!migration.ok) return migration;
    const pools = new Map(ctx.fleet.pools.map((p) => [p.name, p]));
    const copied = migration.copyStorage ? vm.vm.disks.filter((d) => pools.get(d.pool)?.shared !== true).reduce((sum, d) => sum + d.sizeMiB, 0) : 0;
    return { ok: true, command: migrateCommand(vm.vm.name, source.uri, target.uri, migration), transferMiB: vm.vm.memoryMiB + copied };
  }

  /**
   * Where `vm` live-migrates from `from`: a pool mate the filters keep, not down, preferring (when VMs
   * stay) hosts already patched or outside the plan, then the weighers' best. Otherwise why not, and
   * whether it could live-migrate to some pool mate were that host up and with room (`live`): then the
   * wave, not the VM, is the problem.
   */
  private target(vm: VmFacts, from: number): { to: number; command: string; transferMiB: number } | { live: boolean; reason: string } {
    const { ctx, ledger, down, pending } = this;
    let best: { to: number; command: string; transferMiB: number } | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestSettled = false;
    let blocked: string | undefined;
    const refused = new Map<string, string[]>();
    let mates = 0;
    let live = false;
    for (const host of ctx.hosts) {
      const h = host.index;
      if (h === from || !poolMates(ctx, from, h)) continue;
      mates++;
      if (!indexedPass(ctx, ledger, vm, host)) {
        blocked ??= `${host.host.name}: ${firstFailure(ctx, ledger, vm, host)}`;
        continue;
      }
      const migration = this.live(vm, from, h);
      if (!migration.ok) {
        blocked = `cannot live-migrate to ${host.host.name}: ${migration.reason}`;
        continue;
      }
      live = true;
      if (down[h]) {
        refused.set('patched in this wave', [...(refused.get('patched in this wave') ?? []), host.host.name]);
        continue;
      }
      if (!admitsOnCandidate(ctx, ledger, vm, host)) {
        const why = firstFailure(ctx, ledger, vm, host) ?? 'refused';
        refused.set(why, [...(refused.get(why) ?? []), host.host.name]);
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
    const source = ctx.hosts[from]!.host.name;
    if (live) return { live, reason: `no host of its migration pools can take it while ${source} is patched: ${groupReasons(refused).join('; ')}` };
    if (mates === 0) return { live, reason: `${source} shares no migration pool with another host` };
    return { live, reason: blocked ?? `no host of the migration pools of ${source} can take it` };
  }
}

interface PlannedWave {
  readonly trial: WaveTrial;
  readonly back: readonly Move[];
}

function planWaves(ctx: PlanContext, placements: Readonly<Record<string, string>>, targets: readonly number[], order: readonly number[], returnVms: boolean): PlannedWave[] {
  const ledger = placedLedger(ctx, placements);
  const planner = new WavePlanner(ctx, ledger, targets, returnVms);
  const left = [...order];
  const waves: PlannedWave[] = [];
  while (left.length > 0) {
    const wave: number[] = [];
    for (const h of left) {
      const trial = planner.trial([...wave, h]);
      if (!trial) continue;
      planner.undo(trial);
      wave.push(h);
    }
    // A single host always yields a trial (its VMs without room go cold), so the wave is never empty.
    const final = planner.trial(wave)!;
    waves.push({ trial: final, back: planner.finish(final) });
    for (const h of wave) left.splice(left.indexOf(h), 1);
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
  const count = (waves: readonly PlannedWave[]): number => waves.reduce((n, w) => n + w.trial.moves.length + w.back.length, 0);
  for (const order of orders) {
    const waves = planWaves(ctx, placements, targets, order, returnVms);
    if (!best || waves.length < best.length || (waves.length === best.length && count(waves) < count(best))) best = waves;
  }
  const name = (h: number): string => ctx.hosts[h]!.host.name;
  const waves: MaintenanceWave[] = best!.map(({ trial, back }) => {
    const out = schedule(ctx, trial.moves, 'evacuate', 1, { parallel, bandwidthBits });
    const home = schedule(ctx, back, 'return', out.nextStep, { parallel, bandwidthBits });
    return {
      hosts: [...trial.hosts].sort((a, b) => a - b).map(name),
      migrations: [...out.migrations, ...home.migrations],
      cold: trial.cold.map((c) => ({ vm: ctx.vms[c.vm]!.vm.name, host: name(c.host), reason: c.reason })),
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
