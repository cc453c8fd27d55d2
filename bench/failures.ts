/**
 * `npm run bench:failures`: failure and maintenance planning on the 1,000-host benchmark fleet (20,000 VMs,
 * `BENCH_SEED`, pack). Times what `hyperplan simulate --fail any:1` and `hyperplan maintenance --pool <the
 * largest pool>` do after loading and placing the fleet, and `check` with the simulation rules
 * (MIG-RESERVE-SURVIVAL, PLC-ZONE-LOSS-ANTI-AFFINITY) on. Targets (issue 18): simulate < 30 s and
 * maintenance < 5 s, both including load and plan, on two cores. Writes bench/out/failures.json.
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

const generated = generateFleet({ hosts: HOSTS, vms: VMS, seed: BENCH_SEED, strategy: 'pack' });
const t0 = performance.now();
const loaded = loadFleetFromString(generated.text, 'bench-failures.yaml');
if (!loaded.ok) throw new Error(`generated fleet does not load: ${loaded.problems[0]?.message}`);
const fleet = loaded.fleet;
const t1 = performance.now();
const placement = plan(fleet);
const t2 = performance.now();

const simulated = simulateFailures(fleet, placement.placements, { kind: 'any', size: 1 });
if (!simulated.ok) throw new Error(simulated.problem);
const json = JSON.stringify(simulated.simulation);
const t3 = performance.now();

const largest = [...fleet.migrationPools].sort((a, b) => b.hosts.length - a.hosts.length || (a.name < b.name ? -1 : 1))[0]!;
const maintained = planMaintenance(fleet, placement.placements, { kind: 'pool', pool: largest.name });
if (!maintained.ok) throw new Error(maintained.problem);
const t4 = performance.now();

const rules = buildContext(fleet, placement, DEFAULT_THRESHOLDS);
const survival = migReserveSurvival.check(rules);
const t5 = performance.now();
const zoneLoss = plcZoneLossAntiAffinity.check(rules);
const t6 = performance.now();
evaluatePolicies(fleet, placement);
const t7 = performance.now();

const { scenarios, worst } = simulated.simulation;
const result = {
  hosts: HOSTS,
  vms: VMS,
  loadSeconds: seconds(t0, t1),
  planSeconds: seconds(t1, t2),
  simulateAny1Seconds: seconds(t2, t3),
  simulateTotalSeconds: seconds(t0, t3),
  scenarios: scenarios.length,
  restarted: scenarios.reduce((n, s) => n + s.restarted.length, 0),
  lost: scenarios.reduce((n, s) => n + s.lost.length, 0),
  brokenReserves: scenarios.reduce((n, s) => n + s.broken.length, 0),
  worst,
  jsonMiB: Math.round(json.length / 1024 / 102.4) / 10,
  maintenancePool: largest.name,
  maintenancePoolHosts: largest.hosts.length,
  maintenanceSeconds: seconds(t3, t4),
  maintenanceTotalSeconds: seconds(t0, t2) + seconds(t3, t4),
  maintenanceWaves: maintained.plan.total.waves,
  maintenanceMigrations: maintained.plan.total.migrations,
  maintenanceCold: maintained.plan.waves.reduce((n, w) => n + w.cold.length, 0),
  ruleReserveSurvivalSeconds: seconds(t4, t5),
  ruleReserveSurvivalFindings: survival.length,
  ruleZoneLossSeconds: seconds(t5, t6),
  ruleZoneLossFindings: zoneLoss.length,
  checkSeconds: seconds(t6, t7),
};
console.log(
  `load ${result.loadSeconds} s, plan ${result.planSeconds} s; simulate any:1 ${result.simulateAny1Seconds} s ` +
    `(${result.scenarios} scenarios, ${result.restarted} restarts, ${result.lost} lost, JSON ${result.jsonMiB} MiB); ` +
    `with load and plan ${result.simulateTotalSeconds} s (target < ${SIMULATE_TARGET_SECONDS} s: ${result.simulateTotalSeconds < SIMULATE_TARGET_SECONDS ? 'ok' : 'MISSED'})`,
);
console.log(
  `maintenance --pool ${largest.name} (${largest.hosts.length} hosts): ${result.maintenanceSeconds} s, ${result.maintenanceWaves} waves, ` +
    `${result.maintenanceMigrations} migrations, ${result.maintenanceCold} cold; with load and plan ${result.maintenanceTotalSeconds.toFixed(2)} s ` +
    `(target < ${MAINTENANCE_TARGET_SECONDS} s: ${result.maintenanceTotalSeconds < MAINTENANCE_TARGET_SECONDS ? 'ok' : 'MISSED'})`,
);
console.log(
  `rules: MIG-RESERVE-SURVIVAL ${result.ruleReserveSurvivalSeconds} s (${survival.length} findings), PLC-ZONE-LOSS-ANTI-AFFINITY ` +
    `${result.ruleZoneLossSeconds} s (${zoneLoss.length} findings); whole check ${result.checkSeconds} s`,
);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'failures.json'), `${JSON.stringify(result, null, 2)}\n`);
