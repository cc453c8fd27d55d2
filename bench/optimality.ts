/**
 * Planner vs the proven optimum on 20 seeded small fleets (10–20 hosts, 100–300 VMs, pack strategy):
 * per fleet the exact minimum of hosts from the MIP oracle (`oracle.ts`; its best bound and gap when the
 * time limit stops HiGHS first, never a guess), the planner's hosts, first-fit decreasing and the Nova-like
 * greedy scheduler, and the headroom-aware lower bound (`planner/lower-bound.ts`).
 */
import { loadFleetFromString, type Fleet } from '../fleet/index';
import { lowerBound } from '../planner/lower-bound';
import { headroom, RESERVE_HOSTS } from '../planner/headroom';
import { plan } from '../planner/plan';
import type { PlanResult } from '../planner/types';
import { firstFitDecreasing } from './baselines/ffd';
import { novaGreedy } from './baselines/nova-greedy';
import { BENCH_SEED, generateFleet } from './generate-fleet';
import { exactMinimumHosts, type OracleResult } from './oracle';

export const OPTIMALITY_FLEETS = 20;

/** Seeds tried per fleet before giving up on finding a placeable one. */
const ATTEMPTS = 8;

/** The i-th small fleet's size: hosts 10–20 and VMs 100–300, spread evenly over the 20 fleets; `attempt` picks another seed. */
export function smallFleetSize(i: number, attempt = 0): { hosts: number; vms: number; seed: number } {
  return { hosts: 10 + Math.round((i * 10) / (OPTIMALITY_FLEETS - 1)), vms: 100 + 10 * ((i * 7) % 21), seed: BENCH_SEED + i + 1000 * attempt };
}

/**
 * Whether every anti-affinity group bound to a migration pool has room to spread in it, also after the
 * pool loses its reserve's hosts. The generator draws such groups without looking at the pool's size, so
 * at 10–20 hosts a 5-replica group can land in a 3-host pool; such a fleet has no valid placement at all
 * and says nothing about packing, so another seed is drawn (judged on the fleet alone, not on any plan).
 */
function groupsCanSpread(fleet: Fleet): boolean {
  const size = new Map(fleet.migrationPools.map((p) => [p.name, p.hosts.length - RESERVE_HOSTS[p.reserve]]));
  const members = new Map<string, number>();
  for (const vm of fleet.vms) {
    if (vm.antiAffinity === undefined || vm.migrationPool === undefined) continue;
    const key = `${vm.migrationPool}\u0000${vm.antiAffinity}`;
    members.set(key, (members.get(key) ?? 0) + 1);
    if (members.get(key)! > size.get(vm.migrationPool)!) return false;
  }
  return true;
}

export interface OptimalityRow {
  readonly seed: number;
  readonly hosts: number;
  readonly vms: number;
  /** Pools with reserve n+1 / n+2 (the fleets whose headroom the oracle models). */
  readonly reservePools: number;
  readonly oracle: OracleResult;
  readonly plannerHosts: number;
  readonly plannerUnplaced: number;
  /** Whether the plan keeps every pool's headroom (`plan` reports a pool it could not keep; such a plan is not a valid placement). */
  readonly plannerHeadroomKept: boolean;
  readonly lowerBound: number;
  readonly ffdHosts: number;
  readonly greedyHosts: number;
  readonly planSeconds: number;
}

export interface OptimalitySummary {
  readonly fleets: number;
  /** Fleets where the oracle proved its optimum. */
  readonly proven: number;
  /** Fleets where the planner uses the proven optimum. */
  readonly plannerOptimal: number;
  /** Largest planner hosts − proven optimum (over proven fleets). */
  readonly largestExcess: number;
  /** Largest planner hosts − best proven bound where the oracle stopped at its time limit. */
  readonly largestExcessOverBound: number | null;
  /** Lower bound ≤ proven optimum on every proven fleet (the bound's validity, checked on every run). */
  readonly boundValid: boolean;
  /** Fleets where the planner left a VM unplaced although HiGHS found a placement of every VM. */
  readonly plannerUnplacedButFeasible: number;
  /** Fleets where the plan breaks a pool's headroom (the planner reports it; the plan is then not valid). */
  readonly plannerHeadroomBroken: number;
}

function mustLoad(text: string, file: string): Fleet {
  const result = loadFleetFromString(text, file);
  if (!result.ok) throw new Error(`generated fleet ${file} does not load: ${result.problems[0]?.message ?? ''}`);
  return result.fleet;
}

/**
 * The i-th fleet: the first seed whose fleet lets its anti-affinity groups spread and that HiGHS does not
 * prove infeasible (a fleet no placement can hold grades nothing). Neither test looks at the planner.
 */
export async function optimalityRow(i: number, timeLimitSeconds: number): Promise<OptimalityRow> {
  for (let attempt = 0; ; attempt++) {
    const size = smallFleetSize(i, attempt);
    const fleet = mustLoad(generateFleet({ ...size, strategy: 'pack' }).text, `small-${i}.yaml`);
    if (!groupsCanSpread(fleet) && attempt + 1 < ATTEMPTS) continue;
    const started = performance.now();
    const planned = plan(fleet);
    const planSeconds = (performance.now() - started) / 1000;
    const oracle = await solve(fleet, planned, timeLimitSeconds);
    if (oracle.status === 'infeasible' && attempt + 1 < ATTEMPTS) continue;
    return row(size, fleet, oracle, planned, planSeconds);
  }
}

/**
 * Three models, each a third of the time limit, from the smallest to the exact one. First the aggregate
 * relaxation (no evacuation variables: a pool's whole demand fits on its members less the k largest, an
 * anti-affinity group leaves k members of the pool free), then the relaxation with fractional
 * evacuations. Each one's optimum is a lower bound, and when its placement passes the planner's own
 * integral headroom check (a first-fit evacuation per failure set, `headroom()`; every other rule is
 * exact in the relaxations), that placement is valid and the optimum is proven. Otherwise the exact
 * model, seeded with the planner's plan and cut at the best bound known.
 */
async function solve(fleet: Fleet, planned: PlanResult, timeLimitSeconds: number): Promise<OracleResult> {
  let bound = lowerBound(fleet);
  let seconds = 0;
  for (const evacuation of ['aggregate', 'fractional'] as const) {
    const relaxed = await exactMinimumHosts(fleet, { timeLimitSeconds: timeLimitSeconds / 3, start: planned.placements, lowerBoundCut: bound, evacuation });
    seconds += relaxed.seconds;
    if (relaxed.status === 'infeasible') return { ...relaxed, seconds };
    if (relaxed.status === 'optimal' && relaxed.placement !== undefined && headroom(fleet, relaxed.placement).every((p) => p.satisfied)) return { ...relaxed, seconds };
    bound = Math.max(bound, relaxed.bound);
  }
  const exact = await exactMinimumHosts(fleet, { timeLimitSeconds: timeLimitSeconds / 3, start: planned.placements, lowerBoundCut: bound });
  return { ...exact, seconds: seconds + exact.seconds };
}

function row(size: { hosts: number; vms: number; seed: number }, fleet: Fleet, oracle: OracleResult, planned: PlanResult, planSeconds: number): OptimalityRow {
  return {
    seed: size.seed,
    hosts: size.hosts,
    vms: size.vms,
    reservePools: fleet.migrationPools.filter((p) => p.reserve !== 'none').length,
    oracle,
    plannerHosts: planned.hostsUsed,
    plannerUnplaced: planned.unplaced.length,
    plannerHeadroomKept: planned.pools.every((p) => p.satisfied),
    lowerBound: lowerBound(fleet),
    ffdHosts: firstFitDecreasing(fleet).hostsUsed,
    greedyHosts: novaGreedy(fleet, 'pack').hostsUsed,
    planSeconds,
  };
}

/** A plan that places every VM and keeps every pool's headroom: a valid placement of the fleet. */
export function validPlan(r: OptimalityRow): boolean {
  return r.plannerUnplaced === 0 && r.plannerHeadroomKept;
}

/**
 * Proven: HiGHS proved its optimum, or a valid placement (HiGHS's or the planner's) meets the best proven
 * lower bound, which then is the optimum.
 */
export function isProven(r: OptimalityRow): boolean {
  return r.oracle.status === 'optimal' || provenOptimum(r) === bestBound(r);
}

/** The least valid host count known: HiGHS's best placement or the planner's valid plan. */
export function provenOptimum(r: OptimalityRow): number {
  if (r.oracle.status === 'optimal') return r.oracle.hosts!;
  return Math.min(r.oracle.hosts ?? Number.POSITIVE_INFINITY, validPlan(r) ? r.plannerHosts : Number.POSITIVE_INFINITY);
}

/** The best proven lower bound on the optimum: HiGHS's or the planner's lower bound, whichever is larger. */
export function bestBound(r: OptimalityRow): number {
  return Math.max(r.oracle.bound, r.lowerBound);
}

export function summarize(rows: readonly OptimalityRow[]): OptimalitySummary {
  const proven = rows.filter(isProven);
  const open = rows.filter((r) => !isProven(r) && r.oracle.status === 'limit');
  // The planner is optimal only if its plan is valid (every VM placed, every pool's headroom kept) and as small.
  const optimal = (r: OptimalityRow): boolean => validPlan(r) && r.plannerHosts === provenOptimum(r);
  return {
    fleets: rows.length,
    proven: proven.length,
    plannerOptimal: proven.filter(optimal).length,
    largestExcess: Math.max(0, ...proven.filter(validPlan).map((r) => r.plannerHosts - provenOptimum(r))),
    largestExcessOverBound: open.length === 0 ? null : Math.max(...open.map((r) => r.plannerHosts - bestBound(r))),
    boundValid: proven.every((r) => r.lowerBound <= provenOptimum(r)),
    plannerUnplacedButFeasible: rows.filter((r) => r.plannerUnplaced > 0 && r.oracle.hosts !== null).length,
    plannerHeadroomBroken: rows.filter((r) => !r.plannerHeadroomKept).length,
  };
}

export function printOptimality(rows: readonly OptimalityRow[], summary: OptimalitySummary): void {
  console.log('\n== planner vs proven optimum (small fleets, pack) ==');
  const header = ['seed', 'hosts', 'VMs', 'n+k pools', 'optimum', 'planner', 'excess', 'lower bound', 'FFD', 'greedy', 'MIP vars', 'MIP s'];
  const lines = rows.map((r) => {
    const o = r.oracle;
    const best = bestBound(r);
    const known = provenOptimum(r);
    const gap = Number.isFinite(known) ? ` (gap ${(((known - best) / known) * 100).toFixed(0)}%)` : '';
    const optimum = isProven(r) ? `${known}${o.status === 'optimal' ? '' : ' (= bound)'}` : o.status === 'infeasible' ? 'infeasible' : `${best}..${Number.isFinite(known) ? known : '?'}${gap}`;
    const excess = isProven(r) ? String(r.plannerHosts - known) : `≤ ${r.plannerHosts - best}`;
    const flaws = [...(r.plannerUnplaced > 0 ? [`${r.plannerUnplaced} unplaced`] : []), ...(r.plannerHeadroomKept ? [] : ['headroom broken'])];
    return [String(r.seed), String(r.hosts), String(r.vms), String(r.reservePools), optimum, `${r.plannerHosts}${flaws.length > 0 ? ` (${flaws.join(', ')})` : ''}`, excess, String(r.lowerBound), String(r.ffdHosts), String(r.greedyHosts), String(o.variables), o.seconds.toFixed(1)];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
  console.log(
    `optimum: proven by HiGHS (with the lower bound as a cut), or "= bound" when a valid placement (HiGHS's or the planner's) meets the best proven bound;\n` +
      `a..b: not proven, a = the best proven bound (HiGHS's or the lower bound), b = the smallest valid placement known (HiGHS's or the planner's)\n` +
      `planner optimal on ${summary.plannerOptimal} of ${summary.proven} proven fleets (of ${summary.fleets}; target ≥ 18 of 20), largest excess ${summary.largestExcess} host(s) (target ≤ 1)` +
      (summary.largestExcessOverBound === null ? '' : `; unproven fleets: planner at most ${summary.largestExcessOverBound} above the best bound`) +
      `; planner left VMs unplaced on ${summary.plannerUnplacedButFeasible} fleet(s) HiGHS places fully, broke a pool's headroom on ${summary.plannerHeadroomBroken}` +
      `; lower bound ≤ optimum on every proven fleet: ${summary.boundValid ? 'yes' : 'NO'}`,
  );
}
