/**
 * `npm run bench:failures`: failure and maintenance planning on the 1,000-host benchmark fleet (20,000 VMs,
 * `BENCH_SEED`, pack). Times what `hyperplan simulate --fail any:1` and `hyperplan maintenance --pool <the
 * largest pool>` do after loading and placing the fleet (and maintenance on the largest pool with a reserve,
 * which has room to move VMs), and the simulation rules (MIG-RESERVE-SURVIVAL, PLC-ZONE-LOSS-ANTI-AFFINITY).
 * Targets (issue 18): simulate < 30 s and maintenance < 5 s, both including load and plan, on two cores.
 * Each stage is timed by the wall clock and by the process's CPU time (user + system), which a machine
 * shared with other work inflates less. Writes bench/out/failures.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleetFromString } from '../fleet/index';
import { plan, planMaintenance, simulateFailures } from '../planner/index';
import { evaluatePolicies } from '../policies/index';
import { migReserveSurvival } from '../policies/rules/migration/mig-reserve-survival';
import { plcZoneLossAntiAffinity } from '../policies/rules/placement/plc-zone-loss-anti-affinity';
import { buildContext } from '../policies/context';
import { DEFAULT_THRESHOLDS } from '../policies/thresholds';
import { BENCH_SEED, generateFleet } from './generate-fleet';

const HOSTS = 1_000;
const VMS = 20_000;
const OUT = join(import.meta.dirname, 'out');
const SIMULATE_TARGET_SECONDS = 30;
const MAINTENANCE_TARGET_SECONDS = 5;

const seconds = (from: number, to: number): number => Math.round((to - from) / 10) / 100;
/** Wall clock (ms) and CPU time (ms) now. */
const now = (): { wall: number; cpu: number } => {
  const usage = process.cpuUsage();
  return { wall: performance.now(), cpu: (usage.user + usage.system) / 1000 };
};
const span = (from: { wall: number; cpu: number }, to: { wall: number; cpu: number }): { wall: number; cpu: number } => ({
  wall: seconds(from.wall, to.wall),
  cpu: seconds(from.cpu, to.cpu),
});

const generated = generateFleet({ hosts: HOSTS, vms: VMS, seed: BENCH_SEED, strategy: 'pack' });
const t0 = now();
const loaded = loadFleetFromString(generated.text, 'bench-failures.yaml');
if (!loaded.ok) throw new Error(`generated fleet does not load: ${loaded.problems[0]?.message}`);
const fleet = loaded.fleet;
const t1 = now();
const placement = plan(fleet);
const t2 = now();

const simulated = simulateFailures(fleet, placement.placements, { kind: 'any', size: 1 });
if (!simulated.ok) throw new Error(simulated.problem);
const json = JSON.stringify(simulated.simulation);
const t3 = now();

const largest = [...fleet.migrationPools].sort((a, b) => b.hosts.length - a.hosts.length || (a.name < b.name ? -1 : 1))[0]!;
const maintained = planMaintenance(fleet, placement.placements, { kind: 'pool', pool: largest.name });
if (!maintained.ok) throw new Error(maintained.problem);
const t4 = now();
const reserved = [...fleet.migrationPools].filter((p) => p.reserve !== 'none').sort((a, b) => b.hosts.length - a.hosts.length || (a.name < b.name ? -1 : 1))[0]!;
const t4a = now();
const reservedPlan = planMaintenance(fleet, placement.placements, { kind: 'pool', pool: reserved.name }, { returnVms: true });
if (!reservedPlan.ok) throw new Error(reservedPlan.problem);
const t4b = now();

const rules = buildContext(fleet, placement, DEFAULT_THRESHOLDS);
const survival = migReserveSurvival.check(rules);
const t5 = now();
const zoneLoss = plcZoneLossAntiAffinity.check(rules);
const t6 = now();
evaluatePolicies(fleet, placement);
const t7 = now();

const { scenarios, worst } = simulated.simulation;
const add = (a: { wall: number; cpu: number }, b: { wall: number; cpu: number }) => ({ wall: Math.round((a.wall + b.wall) * 100) / 100, cpu: Math.round((a.cpu + b.cpu) * 100) / 100 });
const loadAndPlan = span(t0, t2);
const result = {
  hosts: HOSTS,
  vms: VMS,
  load: span(t0, t1),
  plan: span(t1, t2),
  simulateAny1: span(t2, t3),
  simulateTotal: span(t0, t3),
  scenarios: scenarios.length,
  restarted: scenarios.reduce((n, s) => n + s.restarted.length, 0),
  lost: scenarios.reduce((n, s) => n + s.lost.length, 0),
  brokenReserves: scenarios.reduce((n, s) => n + s.broken.length, 0),
  worst,
  jsonMiB: Math.round(json.length / 1024 / 102.4) / 10,
  maintenancePool: largest.name,
  maintenancePoolHosts: largest.hosts.length,
  maintenance: span(t3, t4),
  maintenanceTotal: add(loadAndPlan, span(t3, t4)),
  maintenanceWaves: maintained.plan.total.waves,
  maintenanceMigrations: maintained.plan.total.migrations,
  maintenanceCold: maintained.plan.waves.reduce((n, w) => n + w.cold.length, 0),
  reservedPool: reserved.name,
  reservedPoolHosts: reserved.hosts.length,
  reservedMaintenance: span(t4a, t4b),
  reservedWaves: reservedPlan.plan.total.waves,
  reservedMigrations: reservedPlan.plan.total.migrations,
  reservedCold: reservedPlan.plan.waves.reduce((n, w) => n + w.cold.length, 0),
  ruleReserveSurvival: span(t4b, t5),
  ruleReserveSurvivalFindings: survival.length,
  ruleZoneLoss: span(t5, t6),
  ruleZoneLossFindings: zoneLoss.length,
  check: span(t6, t7),
};
const show = (s: { wall: number; cpu: number }): string => `${s.wall} s (CPU ${s.cpu} s)`;
const verdict = (s: { wall: number; cpu: number }, target: number): string => (s.wall < target ? 'ok' : s.cpu < target ? 'ok by CPU time, wall clock MISSED (machine busy)' : 'MISSED');
console.log(
  `load ${show(result.load)}, plan ${show(result.plan)}; simulate any:1 ${show(result.simulateAny1)} ` +
    `(${result.scenarios} scenarios, ${result.restarted} restarts, ${result.lost} lost, JSON ${result.jsonMiB} MiB); ` +
    `with load and plan ${show(result.simulateTotal)} (target < ${SIMULATE_TARGET_SECONDS} s: ${verdict(result.simulateTotal, SIMULATE_TARGET_SECONDS)})`,
);
console.log(
  `maintenance --pool ${largest.name} (${largest.hosts.length} hosts, reserve ${largest.reserve}): ${show(result.maintenance)}, ${result.maintenanceWaves} waves, ` +
    `${result.maintenanceMigrations} migrations, ${result.maintenanceCold} cold; with load and plan ${show(result.maintenanceTotal)} ` +
    `(target < ${MAINTENANCE_TARGET_SECONDS} s: ${verdict(result.maintenanceTotal, MAINTENANCE_TARGET_SECONDS)})`,
);
console.log(
  `maintenance --pool ${reserved.name} --return (${reserved.hosts.length} hosts, reserve ${reserved.reserve}): ${show(result.reservedMaintenance)}, ` +
    `${result.reservedWaves} waves, ${result.reservedMigrations} migrations, ${result.reservedCold} cold`,
);
console.log(
  `rules: MIG-RESERVE-SURVIVAL ${show(result.ruleReserveSurvival)} (${survival.length} findings), PLC-ZONE-LOSS-ANTI-AFFINITY ` +
    `${show(result.ruleZoneLoss)} (${zoneLoss.length} findings); whole check ${show(result.check)}`,
);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'failures.json'), `${JSON.stringify(result, null, 2)}\n`);
