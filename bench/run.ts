/**
 * `npm run bench`: generates fleets of growing size and measures every stage a user runs on them —
 * load, plan, check, synth, review — plus peak memory, placement quality against a proven lower bound
 * and two baselines, and how many VMs move when one VM is added or one host removed.
 *
 * It also grades the planner against the proven optimum on 20 small fleets (`optimality.ts`, HiGHS) and
 * prints how each stage grows from 1,000 to 5,000 hosts (the exponent log(t5000/t1000)/log 5).
 *
 * Options: `--sizes 10,100` (host counts to run; default all), `--skip-synth` (no synth, no review),
 * `--skip-large` (no 5,000-host size, no growth table), `--skip-oracle` (no small-fleet optimality),
 * `--oracle-seconds N` (HiGHS time limit per small fleet, default 30).
 * A full run writes bench/results.json (committed: the record of a run); a partial run writes
 * bench/out/results.partial.json so the record is only ever replaced by a complete run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleet, loadFleetFromString, type Fleet } from '../fleet/index';
import { serializeLock, type Lock } from '../planner/lock';
import { lowerBound } from '../planner/lower-bound';
import { plan } from '../planner/plan';
import type { PlanResult } from '../planner/types';
import { evaluatePolicies } from '../policies/index';
import { readSynthOutput } from '../review/git';
import { renderMarkdown } from '../review/markdown';
import { buildReview } from '../review/review';
import { indexSynth } from '../review/terraform-json';
import { firstFitDecreasing } from './baselines/ffd';
import { novaGreedy } from './baselines/nova-greedy';
import { BENCH_SEED, generateFleet, renderFleet, type GeneratedFleet, type GeneratedVm } from './generate-fleet';
import { bestBound, isProven, OPTIMALITY_FLEETS, optimalityRow, provenOptimum, printOptimality, summarize, type OptimalityRow, type OptimalitySummary } from './optimality';
import type { SynthChildReport } from './synth-child';
import type { SynthStackChildReport } from './synth-stack-child';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench', 'out');

interface Size {
  readonly hosts: number;
  readonly vms: number;
  /**
   * The growth size: load, plan, check, baselines and the bound as at every size, but synthesis of one
   * stack only (the whole fleet's is out of a CI runner's memory) and no head synthesis, review or moves.
   */
  readonly growth?: boolean;
}

/** Sizes of DESIGN.md's Scale section (up to 1,000 hosts and 20,000 VMs), and 5,000 hosts for growth. */
const SIZES: readonly Size[] = [
  { hosts: 10, vms: 200 },
  { hosts: 100, vms: 2_000 },
  { hosts: 1_000, vms: 20_000 },
  { hosts: 5_000, vms: 100_000, growth: true },
];
/** The size the targets apply to. */
const TARGET_HOSTS = 1_000;
/** The stack synthesized alone at the growth sizes (the Xen stack: ~30% of the hosts). */
const GROWTH_STACK = 'xen';

/** Targets at 1,000 hosts on a quiet 2-core machine (issue #17). */
const TARGETS = { loadSeconds: 1, planSeconds: 1, qualityRatio: 1.05, checkSeconds: 0.5, synthSeconds: 15, peakMemoryMiB: 1024 } as const;

/** One row of bench/results.json; the keys are a contract (CI and the README read them). */
export interface BenchResult {
  readonly hosts: number;
  readonly vms: number;
  readonly loadSeconds: number;
  readonly planSeconds: number;
  readonly checkSeconds: number;
  /** CPU time of the same three stages (user + system; includes the garbage collector's threads). */
  readonly loadCpuSeconds: number;
  readonly planCpuSeconds: number;
  readonly checkCpuSeconds: number;
  /** null only in partial runs with --skip-synth. */
  readonly synthSeconds: number | null;
  readonly reviewSeconds: number | null;
  /** The larger of the benchmark process's peak RSS and the synth children's. */
  readonly peakMemoryMiB: number;
  /** Peak RSS of `synthesizeFleet` in its own process (the larger of base and head), the figure the 1 GiB target is about; null when synth is skipped. */
  readonly synthPeakMiB: number | null;
  readonly hostsUsed: number;
  readonly lowerBound: number;
  readonly qualityRatio: number;
  readonly ffdHostsUsed: number;
  readonly greedyHostsUsed: number;
  /** null at the growth size (not measured there). */
  readonly movesAddOne: number | null;
  readonly movesRemoveHost: number | null;
  /** In-run baseline: first-fit decreasing's time on the same fleet, and the stages' ratios to it. */
  readonly ffdSeconds: number;
  readonly planVsFfdTime: number;
  readonly checkVsFfdTime: number;
  /** `lowerBound(fleet)` alone (plan() also computes it today). */
  readonly lowerBoundSeconds: number;
  /** One stack (`xen`) synthesized alone in a child process: seconds, peak RSS and its VMs (1,000 and 5,000 hosts). */
  readonly synthStackSeconds: number | null;
  readonly synthStackPeakMiB: number | null;
  readonly synthStackVms: number | null;
  /** The benchmark process's heap after load, plan and check (MiB; includes garbage not yet collected). */
  readonly heapAfterLoadMiB: number;
  readonly heapAfterPlanMiB: number;
  readonly heapAfterCheckMiB: number;
}

/** What the table shows beyond results.json. */
interface Extras {
  readonly unplaced: number;
  readonly ffdUnplaced: number;
  readonly greedyUnplaced: number;
  readonly greedySpreadHostsUsed: number;
  readonly findings: number;
  readonly parentPeakMiB: number;
  readonly synthPeakMiB: number | null;
  readonly removedHost: string | null;
  readonly removedHostVms: number | null;
  readonly fill: GeneratedFleet['fill'];
}

let sampledRssMiB = 0;

/** RSS sampled after each stage (timers cannot fire inside synchronous stages, so sampling is explicit). */
function sampleMemory(): void {
  sampledRssMiB = Math.max(sampledRssMiB, process.memoryUsage().rss / 2 ** 20);
}

/**
 * Wall time and this process's CPU time of a synchronous stage. On a shared machine the CPU time leaves out
 * the time the stage waited for a core, so the two together tell a slow stage from a busy machine.
 */
function timed<T>(work: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  sampleMemory();
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function mustLoad(text: string, file: string): Fleet {
  const result = loadFleetFromString(text, file);
  if (!result.ok) throw new Error(`generated fleet ${file} does not load:\n${result.problems.slice(0, 5).map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n')}`);
  return result.fleet;
}

function lockOf(result: PlanResult): Lock {
  return { version: 1, placements: result.placements };
}

/** VMs of `before` whose host differs in `after` (a VM that became unplaced counts as moved). */
function movedVms(before: PlanResult, after: PlanResult): number {
  let moved = 0;
  for (const [vm, host] of Object.entries(before.placements)) if (after.placements[vm] !== host) moved += 1;
  return moved;
}

function synthInChild(fleetFile: string, outDir: string, lockFile: string): SynthChildReport {
  return runChild<SynthChildReport>('synth-child.ts', [fleetFile, outDir, lockFile]);
}

function synthStackInChild(fleetFile: string, outDir: string, lockFile: string, stack: string): SynthStackChildReport {
  return runChild<SynthStackChildReport>('synth-stack-child.ts', [fleetFile, outDir, lockFile, stack]);
}

function runChild<T>(script: string, args: readonly string[]): T {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 64 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = output.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

const ADDED_VM: GeneratedVm = {
  name: 'vm-added',
  vcpus: 2,
  memoryGiB: 4,
  hypervisor: 'auto',
  securityClass: 'general',
  workload: 'general',
  networks: ['prod'],
  sshKey: false,
};

/**
 * The host to remove: the busiest one no VM is pinned to (a pinned VM would make the fleet invalid),
 * so the measurement moves as many VMs as possible.
 */
function hostToRemove(generated: GeneratedFleet, result: PlanResult): { name: string; vms: number } {
  const pinned = new Set(generated.vms.flatMap((vm) => (vm.host === undefined ? [] : [vm.host])));
  const count = new Map<string, number>();
  for (const host of Object.values(result.placements)) count.set(host, (count.get(host) ?? 0) + 1);
  let best = { name: '', vms: -1 };
  for (const host of generated.hosts) {
    const vms = count.get(host.name) ?? 0;
    if (!pinned.has(host.name) && vms > best.vms) best = { name: host.name, vms };
  }
  return best;
}

function withoutHost(generated: GeneratedFleet, name: string): string {
  return renderFleet(
    {
      hosts: generated.hosts.filter((h) => h.name !== name),
      pools: generated.pools.map((p) => ({ ...p, hosts: p.hosts.filter((h) => h !== name) })).filter((p) => p.hosts.length > 0),
      vms: generated.vms,
    },
    'pack',
  );
}

function progress(size: number, stage: string): void {
  process.stderr.write(`[${size} hosts] ${stage}\n`);
}

const heapMiB = (): number => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

async function benchSize(spec: Size, skipSynth: boolean): Promise<{ result: BenchResult; extras: Extras }> {
  const dir = join(OUT, String(spec.hosts));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  progress(spec.hosts, `generating ${spec.vms} VMs`);
  const generated = generateFleet({ hosts: spec.hosts, vms: spec.vms, seed: BENCH_SEED, strategy: 'pack' });
  const fleetFile = join(dir, 'fleet.yaml');
  writeFileSync(fleetFile, generated.text);

  progress(spec.hosts, 'load');
  const load = timed(() => loadFleet(fleetFile));
  if (!load.value.ok) throw new Error(`${fleetFile} does not load: ${load.value.problems[0]?.message ?? ''}`);
  const fleet = load.value.fleet;
  const heapAfterLoadMiB = heapMiB();

  progress(spec.hosts, 'plan');
  const planned = timed(() => plan(fleet));
  const base = planned.value;
  const heapAfterPlanMiB = heapMiB();
  const lockFile = join(dir, 'hyperplan.lock.json');
  writeFileSync(lockFile, serializeLock(base));

  progress(spec.hosts, 'check');
  const check = timed(() => evaluatePolicies(fleet, base));
  const heapAfterCheckMiB = heapMiB();

  progress(spec.hosts, 'baselines and lower bound');
  const ffd = timed(() => firstFitDecreasing(fleet));
  const greedyPack = novaGreedy(fleet, 'pack');
  const greedySpread = novaGreedy(fleet, 'spread');
  const bound = timed(() => lowerBound(fleet));

  let synthStack: SynthStackChildReport | null = null;
  if (!skipSynth && spec.hosts >= TARGET_HOSTS) {
    progress(spec.hosts, `synth of the ${GROWTH_STACK} stack alone (child process)`);
    synthStack = synthStackInChild(fleetFile, join(dir, `cdktf.out.${GROWTH_STACK}`), lockFile, GROWTH_STACK);
  }
  if (spec.growth) {
    const parentPeakMiB = Math.max(sampledRssMiB, process.resourceUsage().maxRSS / 1024);
    return {
      result: resultOf(spec, load, planned, check, null, null, Math.max(parentPeakMiB, synthStack?.maxRssMiB ?? 0), null, base, bound, ffd, greedyPack.hostsUsed, null, null, synthStack, [heapAfterLoadMiB, heapAfterPlanMiB, heapAfterCheckMiB]),
      extras: extrasOf(base, ffd.value, greedyPack, greedySpread.hostsUsed, check.value.length, parentPeakMiB, null, null, generated.fill),
    };
  }

  progress(spec.hosts, 'moves: add one VM');
  const headText = renderFleet({ ...generated, vms: [...generated.vms, ADDED_VM] }, 'pack');
  const headFile = join(dir, 'head', 'fleet.yaml');
  mkdirSync(join(dir, 'head'), { recursive: true });
  writeFileSync(headFile, headText);
  const headFleet = mustLoad(headText, headFile);
  const afterAdd = plan(headFleet, lockOf(base));

  progress(spec.hosts, 'moves: remove one host');
  const removed = hostToRemove(generated, base);
  const afterRemove = plan(mustLoad(withoutHost(generated, removed.name), join(dir, 'fleet-minus-host.yaml')), lockOf(base));
  sampleMemory();

  let synthSeconds: number | null = null;
  let reviewSeconds: number | null = null;
  let synthPeakMiB: number | null = null;
  if (!skipSynth) {
    progress(spec.hosts, 'synth (child process)');
    const baseOut = join(dir, 'cdktf.out');
    const synth = synthInChild(fleetFile, baseOut, lockFile);
    synthSeconds = synth.seconds;
    progress(spec.hosts, 'synth of head (base + 1 VM) for review');
    const headOut = join(dir, 'head', 'cdktf.out');
    const headSynth = synthInChild(headFile, headOut, lockFile);
    synthPeakMiB = Math.max(synth.maxRssMiB, headSynth.maxRssMiB);
    progress(spec.hosts, 'review');
    // What `hyperplan review --base-dir --head-dir` does: read both outputs, diff per resource, render.
    reviewSeconds = timed(() =>
      renderMarkdown(
        buildReview({
          base: { index: indexSynth(readSynthOutput(baseOut)), fleet, placement: base },
          head: { index: indexSynth(readSynthOutput(headOut)), fleet: headFleet, placement: afterAdd },
        }),
      ),
    ).seconds;
  }

  const parentPeakMiB = Math.max(sampledRssMiB, process.resourceUsage().maxRSS / 1024);
  return {
    result: resultOf(spec, load, planned, check, synthSeconds, reviewSeconds, Math.max(parentPeakMiB, synthPeakMiB ?? 0), synthPeakMiB, base, bound, ffd, greedyPack.hostsUsed, movedVms(base, afterAdd), movedVms(base, afterRemove), synthStack, [heapAfterLoadMiB, heapAfterPlanMiB, heapAfterCheckMiB]),
    extras: extrasOf(base, ffd.value, greedyPack, greedySpread.hostsUsed, check.value.length, parentPeakMiB, synthPeakMiB, removed, generated.fill),
  };
}

/** A timed stage's wall and CPU seconds. */
type Stage = Pick<ReturnType<typeof timed>, 'seconds' | 'cpuSeconds'>;

function resultOf(
  spec: Size,
  load: Stage,
  planned: Stage,
  check: Stage,
  synthSeconds: number | null,
  reviewSeconds: number | null,
  peakMiB: number,
  synthPeakMiB: number | null,
  base: PlanResult,
  bound: { value: number; seconds: number },
  ffd: { value: { hostsUsed: number }; seconds: number },
  greedyHostsUsed: number,
  movesAddOne: number | null,
  movesRemoveHost: number | null,
  synthStack: SynthStackChildReport | null,
  heap: readonly [number, number, number],
): BenchResult {
  return {
    hosts: spec.hosts,
    vms: spec.vms,
    loadSeconds: round(load.seconds),
    planSeconds: round(planned.seconds),
    checkSeconds: round(check.seconds),
    loadCpuSeconds: round(load.cpuSeconds),
    planCpuSeconds: round(planned.cpuSeconds),
    checkCpuSeconds: round(check.cpuSeconds),
    synthSeconds: synthSeconds === null ? null : round(synthSeconds),
    reviewSeconds: reviewSeconds === null ? null : round(reviewSeconds),
    peakMemoryMiB: Math.round(peakMiB),
    synthPeakMiB: synthPeakMiB === null ? null : Math.round(synthPeakMiB),
    hostsUsed: base.hostsUsed,
    lowerBound: bound.value,
    qualityRatio: round(base.hostsUsed / Math.max(1, bound.value)),
    ffdHostsUsed: ffd.value.hostsUsed,
    greedyHostsUsed,
    movesAddOne,
    movesRemoveHost,
    ffdSeconds: round(ffd.seconds),
    planVsFfdTime: round(planned.seconds / Math.max(1e-6, ffd.seconds)),
    checkVsFfdTime: round(check.seconds / Math.max(1e-6, ffd.seconds)),
    lowerBoundSeconds: round(bound.seconds),
    synthStackSeconds: synthStack === null ? null : round(synthStack.seconds),
    synthStackPeakMiB: synthStack === null ? null : Math.round(synthStack.maxRssMiB),
    synthStackVms: synthStack?.vms ?? null,
    heapAfterLoadMiB: heap[0],
    heapAfterPlanMiB: heap[1],
    heapAfterCheckMiB: heap[2],
  };
}

function extrasOf(
  base: PlanResult,
  ffd: { unplaced: number },
  greedyPack: { unplaced: number },
  greedySpreadHostsUsed: number,
  findings: number,
  parentPeakMiB: number,
  synthPeakMiB: number | null,
  removed: { name: string; vms: number } | null,
  fill: GeneratedFleet['fill'],
): Extras {
  return {
    unplaced: base.unplaced.length,
    ffdUnplaced: ffd.unplaced,
    greedyUnplaced: greedyPack.unplaced,
    greedySpreadHostsUsed,
    findings,
    parentPeakMiB: Math.round(parentPeakMiB),
    synthPeakMiB: synthPeakMiB === null ? null : Math.round(synthPeakMiB),
    removedHost: removed?.name ?? null,
    removedHostVms: removed?.vms ?? null,
    fill,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function verdict(value: number | null, target: number): string {
  if (value === null) return 'skipped';
  return value <= target ? 'ok' : 'MISSED';
}

function printTable({ result: r, extras: x }: { result: BenchResult; extras: Extras }): void {
  const targeted = r.hosts === TARGET_HOSTS;
  const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(3) : 'n/a');
  const target = (value: number | null, limit: number): string => (targeted ? `<= ${limit}  ${verdict(value, limit)}` : '');
  const seconds = (value: number | null): string => (value === null ? 'skipped' : `${value.toFixed(3)} s`);
  const rows: [string, string, string][] = [
    ['fleet', `${r.hosts} hosts, ${r.vms} VMs (demand ${(100 * x.fill.cpu).toFixed(0)}% CPU, ${(100 * x.fill.memory).toFixed(0)}% memory)`, ''],
    ['load', `${seconds(r.loadSeconds)} (CPU ${seconds(r.loadCpuSeconds)})`, target(r.loadSeconds, TARGETS.loadSeconds)],
    ['plan (pack)', `${seconds(r.planSeconds)} (CPU ${seconds(r.planCpuSeconds)}; ${r.planVsFfdTime.toFixed(1)} x FFD's time)`, target(r.planSeconds, TARGETS.planSeconds)],
    ['check', `${seconds(r.checkSeconds)} (CPU ${seconds(r.checkCpuSeconds)}; ${r.checkVsFfdTime.toFixed(1)} x FFD's time; ${x.findings} findings)`, target(r.checkSeconds, TARGETS.checkSeconds)],
    ['FFD (in-run baseline)', seconds(r.ffdSeconds), ''],
    ['lower bound alone', seconds(r.lowerBoundSeconds), ''],
    ['synth', `${seconds(r.synthSeconds)}${r.synthSeconds === null ? '' : ` (${(r.synthSeconds / Math.max(1e-6, r.ffdSeconds)).toFixed(0)} x FFD's time)`}`, target(r.synthSeconds, TARGETS.synthSeconds)],
    [`synth of the ${GROWTH_STACK} stack alone`, r.synthStackSeconds === null ? 'skipped' : `${seconds(r.synthStackSeconds)}, peak ${r.synthStackPeakMiB} MiB (${r.synthStackVms} VMs)`, ''],
    ['review (base vs +1 VM)', seconds(r.reviewSeconds), ''],
    ['peak memory', `${r.peakMemoryMiB} MiB (bench ${x.parentPeakMiB}, synth ${x.synthPeakMiB ?? 'skipped'})`, targeted ? `synth <= ${TARGETS.peakMemoryMiB}  ${verdict(x.synthPeakMiB, TARGETS.peakMemoryMiB)}` : ''],
    ['hosts used / lower bound', `${r.hostsUsed} / ${r.lowerBound} (${x.unplaced} unplaced)`, ''],
    ['quality ratio', r.qualityRatio.toFixed(3), targeted ? `<= ${TARGETS.qualityRatio}  ${verdict(r.qualityRatio, TARGETS.qualityRatio)}` : ''],
    ['FFD hosts used', `${r.ffdHostsUsed} (${x.ffdUnplaced} unplaced)`, ''],
    ['planner vs FFD', ratio(r.hostsUsed, r.ffdHostsUsed), ''],
    ['greedy (RAM weigher, pack)', `${r.greedyHostsUsed} (${x.greedyUnplaced} unplaced)`, ''],
    ['planner vs greedy', ratio(r.hostsUsed, r.greedyHostsUsed), ''],
    ['greedy (RAM weigher, spread)', String(x.greedySpreadHostsUsed), ''],
    ['moves: add one VM', r.movesAddOne === null ? 'not measured' : String(r.movesAddOne), r.movesAddOne === null ? '' : 'expect 0'],
    ['moves: remove a host', r.movesRemoveHost === null ? 'not measured' : `${r.movesRemoveHost} (${x.removedHost} ran ${x.removedHostVms})`, r.movesRemoveHost === null ? '' : `expect ${x.removedHostVms}`],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => row[1].length));
  console.log(`\n== ${r.hosts} hosts / ${r.vms} VMs ==`);
  for (const [name, value, note] of rows) console.log(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${note}`.trimEnd());
}

/** How a quantity grows from the smaller size to the larger: t_large = t_small × (n_large / n_small)^exponent. */
export interface GrowthRow {
  readonly stage: string;
  readonly at1000: number;
  readonly at5000: number;
  readonly exponent: number;
}

function growthOf(small: BenchResult, large: BenchResult): GrowthRow[] {
  const scale = Math.log(large.hosts / small.hosts);
  const row = (stage: string, a: number | null, b: number | null): GrowthRow[] =>
    a === null || b === null || a <= 0 || b <= 0 ? [] : [{ stage, at1000: a, at5000: b, exponent: round(Math.log(b / a) / scale) }];
  return [
    ...row('load (s)', small.loadSeconds, large.loadSeconds),
    ...row('plan (s)', small.planSeconds, large.planSeconds),
    ...row('check (s)', small.checkSeconds, large.checkSeconds),
    ...row('lower bound (s)', small.lowerBoundSeconds, large.lowerBoundSeconds),
    ...row('FFD baseline (s)', small.ffdSeconds, large.ffdSeconds),
    ...row(`synth, ${GROWTH_STACK} stack (s)`, small.synthStackSeconds, large.synthStackSeconds),
    ...row('heap after load (MiB)', small.heapAfterLoadMiB, large.heapAfterLoadMiB),
    ...row('heap after plan (MiB)', small.heapAfterPlanMiB, large.heapAfterPlanMiB),
    ...row('heap after check (MiB)', small.heapAfterCheckMiB, large.heapAfterCheckMiB),
    ...row(`synth peak, ${GROWTH_STACK} stack (MiB)`, small.synthStackPeakMiB, large.synthStackPeakMiB),
  ];
}

function printGrowth(rows: readonly GrowthRow[], small: BenchResult, large: BenchResult): void {
  console.log(`\n== growth from ${small.hosts} to ${large.hosts} hosts (x${large.hosts / small.hosts}); exponent = log(t${large.hosts}/t${small.hosts}) / log ${large.hosts / small.hosts}, 1 = linear ==`);
  const w = Math.max(...rows.map((r) => r.stage.length));
  for (const r of rows) {
    const note = r.exponent > 1.25 ? '  superlinear' : '';
    console.log(`${r.stage.padEnd(w)}  ${String(r.at1000).padStart(9)}  ${String(r.at5000).padStart(9)}  exponent ${r.exponent.toFixed(2)}${note}`);
  }
}

/** What bench/results.json holds. */
interface BenchRecord {
  readonly sizes: readonly BenchResult[];
  readonly optimality: (OptimalitySummary & { readonly oracleSecondsLimit: number; readonly rows: readonly OptimalityRecordRow[] }) | null;
  readonly growth: readonly GrowthRow[] | null;
  readonly runSeconds: number;
  /** What the run had to itself: the targets are for a quiet two-core machine. */
  readonly machine: MachineRecord;
}

/** The machine a run measured on: its cores and its 1-minute load average before and after the run. */
interface MachineRecord {
  readonly cpus: number;
  readonly loadAverageBefore: number;
  readonly loadAverageAfter: number;
}

interface OptimalityRecordRow {
  readonly seed: number;
  readonly hosts: number;
  readonly vms: number;
  /** HiGHS's status; `proven` also counts a valid placement meeting the best proven bound. */
  readonly status: string;
  readonly proven: boolean;
  readonly optimum: number | null;
  /** The best proven lower bound: HiGHS's or `lowerBound`'s, whichever is larger. */
  readonly bound: number;
  readonly highsBound: number;
  readonly highsHosts: number | null;
  readonly plannerUnplaced: number;
  readonly plannerHeadroomKept: boolean;
  readonly gap: number | null;
  readonly plannerHosts: number;
  readonly lowerBound: number;
  readonly ffdHosts: number;
  readonly greedyHosts: number;
}

function recordRow(r: OptimalityRow): OptimalityRecordRow {
  return {
    seed: r.seed,
    hosts: r.hosts,
    vms: r.vms,
    status: r.oracle.status,
    proven: isProven(r),
    optimum: isProven(r) ? provenOptimum(r) : null,
    bound: bestBound(r),
    highsBound: r.oracle.bound,
    highsHosts: r.oracle.hosts,
    plannerUnplaced: r.plannerUnplaced,
    plannerHeadroomKept: r.plannerHeadroomKept,
    gap: Number.isFinite(provenOptimum(r)) ? round((provenOptimum(r) - bestBound(r)) / provenOptimum(r)) : null,
    plannerHosts: r.plannerHosts,
    lowerBound: r.lowerBound,
    ffdHosts: r.ffdHosts,
    greedyHosts: r.greedyHosts,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAverageBefore = round(loadavg()[0]!);
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      'skip-synth': { type: 'boolean', default: false },
      'skip-large': { type: 'boolean', default: false },
      'skip-oracle': { type: 'boolean', default: false },
      'oracle-seconds': { type: 'string', default: '30' },
    },
  });
  const wanted = values.sizes === undefined ? undefined : new Set(values.sizes.split(',').map((s) => Number(s.trim())));
  const sizes = SIZES.filter((s) => (wanted === undefined || wanted.has(s.hosts)) && !(values['skip-large'] && s.growth));
  if (sizes.length === 0) throw new Error(`--sizes: choose from ${SIZES.map((s) => s.hosts).join(', ')}`);
  const skipSynth = values['skip-synth'] === true;
  const oracleSeconds = Number(values['oracle-seconds']);
  let optimality: BenchRecord['optimality'] = null;
  if (!values['skip-oracle']) {
    const rows: OptimalityRow[] = [];
    for (let i = 0; i < OPTIMALITY_FLEETS; i++) {
      process.stderr.write(`[optimality] small fleet ${i + 1} of ${OPTIMALITY_FLEETS}\n`);
      rows.push(await optimalityRow(i, oracleSeconds));
    }
    const summary = summarize(rows);
    printOptimality(rows, summary);
    optimality = { ...summary, oracleSecondsLimit: oracleSeconds, rows: rows.map(recordRow) };
  }
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const measured = await benchSize(size, skipSynth);
    printTable(measured);
    results.push(measured.result);
  }
  const small = results.find((r) => r.hosts === TARGET_HOSTS);
  const large = results.find((r) => SIZES.some((s) => s.growth && s.hosts === r.hosts));
  const growth = small && large ? growthOf(small, large) : null;
  if (growth && small && large) printGrowth(growth, small, large);
  const runSeconds = round((performance.now() - started) / 1000);
  const complete = sizes.length === SIZES.length && !skipSynth && optimality !== null;
  const file = complete ? join(ROOT, 'bench', 'results.json') : join(OUT, 'results.partial.json');
  const machine: MachineRecord = { cpus: availableParallelism(), loadAverageBefore, loadAverageAfter: round(loadavg()[0]!) };
  console.log(`\nmachine: ${machine.cpus} cores, load average ${machine.loadAverageBefore} before the run, ${machine.loadAverageAfter} after`);
  const record: BenchRecord = { sizes: results, optimality, growth, runSeconds, machine };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nwrote ${relative(ROOT, file)} (run took ${(runSeconds / 60).toFixed(1)} min)`);
}

await main();
