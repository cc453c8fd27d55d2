/**
 * `npm run bench:headroom`: how migration-pool headroom scales with the reserve. The 100-host bench fleet
 * with 2,300 VMs, every pool set to `reserve: n+1`, then to `n+2`; times load, plan and check (the stages
 * of `hyperplan check`) by the wall clock and by CPU time (user + system of the process, which a machine
 * shared with other work inflates less) and prints whether n+2 stayed within twice the n+1 CPU time
 * (issue 21's target), after an untimed warm-up run. Writes bench/out/headroom.json.
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
  readonly loadCpuSeconds: number;
  readonly planCpuSeconds: number;
  readonly checkCpuSeconds: number;
  readonly unplaced: number;
  readonly poolsSatisfied: number;
  readonly pools: number;
}

const seconds = (from: number, to: number): number => Math.round((to - from) / 10) / 100;
/** CPU time of this process so far (user + system), in milliseconds. */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function run(reserve: HeadroomRun['reserve']): HeadroomRun {
  const generated = generateFleet({ hosts: HOSTS, vms: VMS, seed: BENCH_SEED, strategy: 'pack' });
  const text = renderFleet({ ...generated, pools: generated.pools.map((p) => ({ ...p, reserve: reserve as 'n+1' })) }, 'pack');
  const [t0, c0] = [performance.now(), cpuMs()];
  const loaded = loadFleetFromString(text, 'bench-headroom.yaml');
  if (!loaded.ok) throw new Error(`generated fleet does not load: ${loaded.problems[0]?.message}`);
  const [t1, c1] = [performance.now(), cpuMs()];
  const placement = plan(loaded.fleet);
  const [t2, c2] = [performance.now(), cpuMs()];
  evaluatePolicies(loaded.fleet, placement);
  const [t3, c3] = [performance.now(), cpuMs()];
  return {
    reserve,
    loadSeconds: seconds(t0, t1),
    planSeconds: seconds(t1, t2),
    checkSeconds: seconds(t2, t3),
    loadCpuSeconds: seconds(c0, c1),
    planCpuSeconds: seconds(c1, c2),
    checkCpuSeconds: seconds(c2, c3),
    unplaced: placement.unplaced.length,
    poolsSatisfied: placement.pools.filter((p) => p.satisfied).length,
    pools: placement.pools.length,
  };
}

// A first, untimed run compiles the code both measured runs share: otherwise n+1 alone would pay for it.
run('n+1');
const runs = [run('n+1'), run('n+2')];
for (const r of runs) {
  console.log(
    `${r.reserve}: load ${r.loadSeconds} s (CPU ${r.loadCpuSeconds} s), plan ${r.planSeconds} s (CPU ${r.planCpuSeconds} s), ` +
      `check ${r.checkSeconds} s (CPU ${r.checkCpuSeconds} s), ${r.unplaced} unplaced, ${r.poolsSatisfied}/${r.pools} pools satisfied`,
  );
}
const total = (r: HeadroomRun): number => r.loadSeconds + r.planSeconds + r.checkSeconds;
const totalCpu = (r: HeadroomRun): number => r.loadCpuSeconds + r.planCpuSeconds + r.checkCpuSeconds;
const ratio = totalCpu(runs[1]!) / totalCpu(runs[0]!);
const wallRatio = total(runs[1]!) / total(runs[0]!);
const planRatio = runs[1]!.planCpuSeconds / runs[0]!.planCpuSeconds;
console.log(`n+2 / n+1 = ${ratio.toFixed(2)} by CPU time, ${wallRatio.toFixed(2)} by the wall clock (target ≤ 2 by CPU time: ${ratio <= 2 ? 'ok' : 'MISSED'}); plan alone ${planRatio.toFixed(2)} by CPU time`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'headroom.json'), `${JSON.stringify({ hosts: HOSTS, vms: VMS, runs, ratio, wallRatio, planRatio }, null, 2)}\n`);
