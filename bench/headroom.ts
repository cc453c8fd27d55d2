/**
 * `npm run bench:headroom`: how migration-pool headroom scales with the reserve. The 100-host bench fleet
 * with 2,300 VMs, every pool set to `reserve: n+1`, then to `n+2`; times load, plan and check (the stages
 * of `hyperplan check`) and prints whether n+2 stayed within twice the n+1 time (issue 21's target).
 * Writes bench/out/headroom.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleetFromString } from '../fleet/index';
import { plan } from '../planner/plan';
import { evaluatePolicies } from '../policies/index';
import { BENCH_SEED, generateFleet, renderFleet } from './generate-fleet';

const HOSTS = 100;
const VMS = 2_300;
const OUT = join(import.meta.dirname, 'out');

interface HeadroomRun {
  readonly reserve: 'n+1' | 'n+2';
  readonly loadSeconds: number;
  readonly planSeconds: number;
  readonly checkSeconds: number;
  readonly unplaced: number;
  readonly poolsSatisfied: number;
  readonly pools: number;
}

const seconds = (from: number, to: number): number => Math.round((to - from) / 10) / 100;

function run(reserve: HeadroomRun['reserve']): HeadroomRun {
  const generated = generateFleet({ hosts: HOSTS, vms: VMS, seed: BENCH_SEED, strategy: 'pack' });
  const text = renderFleet({ ...generated, pools: generated.pools.map((p) => ({ ...p, reserve: reserve as 'n+1' })) }, 'pack');
  const t0 = performance.now();
  const loaded = loadFleetFromString(text, 'bench-headroom.yaml');
  if (!loaded.ok) throw new Error(`generated fleet does not load: ${loaded.problems[0]?.message}`);
  const t1 = performance.now();
  const placement = plan(loaded.fleet);
  const t2 = performance.now();
  evaluatePolicies(loaded.fleet, placement);
  const t3 = performance.now();
  return {
    reserve,
    loadSeconds: seconds(t0, t1),
    planSeconds: seconds(t1, t2),
    checkSeconds: seconds(t2, t3),
    unplaced: placement.unplaced.length,
    poolsSatisfied: placement.pools.filter((p) => p.satisfied).length,
    pools: placement.pools.length,
  };
}

const runs = [run('n+1'), run('n+2')];
for (const r of runs) {
  console.log(`${r.reserve}: load ${r.loadSeconds} s, plan ${r.planSeconds} s, check ${r.checkSeconds} s, ${r.unplaced} unplaced, ${r.poolsSatisfied}/${r.pools} pools satisfied`);
}
const total = (r: HeadroomRun): number => r.loadSeconds + r.planSeconds + r.checkSeconds;
const ratio = total(runs[1]!) / total(runs[0]!);
console.log(`n+2 / n+1 = ${ratio.toFixed(1)} (target ≤ 2: ${ratio <= 2 ? 'ok' : 'MISSED'})`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'headroom.json'), `${JSON.stringify({ hosts: HOSTS, vms: VMS, runs, ratio }, null, 2)}\n`);
