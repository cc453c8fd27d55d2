/**
 * `npm run bench`: generates fleets of growing size and measures every stage a user runs on them —
 * load, plan, check, synth, review — plus peak memory, placement quality against a proven lower bound
 * and two baselines, and how many VMs move when one VM is added or one host removed.
 *
 * Options: `--sizes 10,100` (host counts to run; default all), `--skip-synth` (no synth, no review).
 * A full run writes bench/results.json (committed: the record of a run); a partial run writes
 * bench/out/results.partial.json so the record is only ever replaced by a complete run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleet, loadFleetFromString, type Fleet } from '../fleet/index';
import { serializeLock, type Lock } from '../planner/lock';
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
import type { SynthChildReport } from './synth-child';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench', 'out');

/** Sizes of DESIGN.md's Scale section: up to 1,000 hosts and 20,000 VMs. */
const SIZES: readonly { readonly hosts: number; readonly vms: number }[] = [
  { hosts: 10, vms: 200 },
  { hosts: 100, vms: 2_000 },
  { hosts: 1_000, vms: 20_000 },
];

/** Targets at the largest size on a 2-core machine (the issue "Scale, speed and robustness"). */
const TARGETS = { loadSeconds: 1, planSeconds: 2, qualityRatio: 1.05, checkSeconds: 1, synthSeconds: 60, peakMemoryMiB: 2048 } as const;

/** One row of bench/results.json; the keys are a contract (CI and the README read them). */
export interface BenchResult {
  readonly hosts: number;
  readonly vms: number;
  readonly loadSeconds: number;
  readonly planSeconds: number;
  readonly checkSeconds: number;
  /** null only in partial runs with --skip-synth. */
  readonly synthSeconds: number | null;
  readonly reviewSeconds: number | null;
  readonly peakMemoryMiB: number;
  readonly hostsUsed: number;
  readonly lowerBound: number;
  readonly qualityRatio: number;
  readonly ffdHostsUsed: number;
  readonly greedyHostsUsed: number;
  readonly movesAddOne: number;
  readonly movesRemoveHost: number;
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
  readonly removedHost: string;
  readonly removedHostVms: number;
  readonly fill: GeneratedFleet['fill'];
}

let sampledRssMiB = 0;

/** RSS sampled after each stage (timers cannot fire inside synchronous stages, so sampling is explicit). */
function sampleMemory(): void {
  sampledRssMiB = Math.max(sampledRssMiB, process.memoryUsage().rss / 2 ** 20);
}

function timed<T>(work: () => T): { value: T; seconds: number } {
  const started = performance.now();
  const value = work();
  const seconds = (performance.now() - started) / 1000;
  sampleMemory();
  return { value, seconds };
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
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'synth-child.ts'), fleetFile, outDir, lockFile], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 64 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = output.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as SynthChildReport;
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

async function benchSize(spec: { hosts: number; vms: number }, skipSynth: boolean): Promise<{ result: BenchResult; extras: Extras }> {
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

  progress(spec.hosts, 'plan');
  const planned = timed(() => plan(fleet));
  const base = planned.value;
  const lockFile = join(dir, 'hyperplan.lock.json');
  writeFileSync(lockFile, serializeLock(base));

  progress(spec.hosts, 'check');
  const check = timed(() => evaluatePolicies(fleet, base));

  progress(spec.hosts, 'baselines');
  const ffd = firstFitDecreasing(fleet);
  const greedyPack = novaGreedy(fleet, 'pack');
  const greedySpread = novaGreedy(fleet, 'spread');

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
  const result: BenchResult = {
    hosts: spec.hosts,
    vms: spec.vms,
    loadSeconds: round(load.seconds),
    planSeconds: round(planned.seconds),
    checkSeconds: round(check.seconds),
    synthSeconds: synthSeconds === null ? null : round(synthSeconds),
    reviewSeconds: reviewSeconds === null ? null : round(reviewSeconds),
    peakMemoryMiB: Math.round(Math.max(parentPeakMiB, synthPeakMiB ?? 0)),
    hostsUsed: base.hostsUsed,
    lowerBound: base.lowerBound,
    qualityRatio: round(base.hostsUsed / Math.max(1, base.lowerBound)),
    ffdHostsUsed: ffd.hostsUsed,
    greedyHostsUsed: greedyPack.hostsUsed,
    movesAddOne: movedVms(base, afterAdd),
    movesRemoveHost: movedVms(base, afterRemove),
  };
  const extras: Extras = {
    unplaced: base.unplaced.length,
    ffdUnplaced: ffd.unplaced,
    greedyUnplaced: greedyPack.unplaced,
    greedySpreadHostsUsed: greedySpread.hostsUsed,
    findings: check.value.length,
    parentPeakMiB: Math.round(parentPeakMiB),
    synthPeakMiB: synthPeakMiB === null ? null : Math.round(synthPeakMiB),
    removedHost: removed.name,
    removedHostVms: removed.vms,
    fill: generated.fill,
  };
  return { result, extras };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function verdict(value: number | null, target: number): string {
  if (value === null) return 'skipped';
  return value <= target ? 'ok' : 'MISSED';
}

function printTable({ result: r, extras: x }: { result: BenchResult; extras: Extras }, largest: boolean): void {
  const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(3) : 'n/a');
  const target = (value: number | null, limit: number): string => (largest ? `< ${limit}  ${verdict(value, limit)}` : '');
  const seconds = (value: number | null): string => (value === null ? 'skipped' : `${value.toFixed(3)} s`);
  const rows: [string, string, string][] = [
    ['fleet', `${r.hosts} hosts, ${r.vms} VMs (demand ${(100 * x.fill.cpu).toFixed(0)}% CPU, ${(100 * x.fill.memory).toFixed(0)}% memory)`, ''],
    ['load', seconds(r.loadSeconds), target(r.loadSeconds, TARGETS.loadSeconds)],
    ['plan (pack)', seconds(r.planSeconds), target(r.planSeconds, TARGETS.planSeconds)],
    ['check', `${seconds(r.checkSeconds)} (${x.findings} findings)`, target(r.checkSeconds, TARGETS.checkSeconds)],
    ['synth', seconds(r.synthSeconds), target(r.synthSeconds, TARGETS.synthSeconds)],
    ['review (base vs +1 VM)', seconds(r.reviewSeconds), ''],
    ['peak memory', `${r.peakMemoryMiB} MiB (bench ${x.parentPeakMiB}, synth ${x.synthPeakMiB ?? 'skipped'})`, largest ? `< ${TARGETS.peakMemoryMiB}  ${verdict(x.synthPeakMiB, TARGETS.peakMemoryMiB)}` : ''],
    ['hosts used / lower bound', `${r.hostsUsed} / ${r.lowerBound} (${x.unplaced} unplaced)`, ''],
    ['quality ratio', r.qualityRatio.toFixed(3), largest ? `<= ${TARGETS.qualityRatio}  ${verdict(r.qualityRatio, TARGETS.qualityRatio)}` : ''],
    ['FFD hosts used', `${r.ffdHostsUsed} (${x.ffdUnplaced} unplaced)`, ''],
    ['planner vs FFD', ratio(r.hostsUsed, r.ffdHostsUsed), ''],
    ['greedy (RAM weigher, pack)', `${r.greedyHostsUsed} (${x.greedyUnplaced} unplaced)`, ''],
    ['planner vs greedy', ratio(r.hostsUsed, r.greedyHostsUsed), ''],
    ['greedy (RAM weigher, spread)', String(x.greedySpreadHostsUsed), ''],
    ['moves: add one VM', String(r.movesAddOne), 'expect 0'],
    ['moves: remove a host', `${r.movesRemoveHost} (${x.removedHost} ran ${x.removedHostVms})`, `expect ${x.removedHostVms}`],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => row[1].length));
  console.log(`\n== ${r.hosts} hosts / ${r.vms} VMs ==`);
  for (const [name, value, note] of rows) console.log(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${note}`.trimEnd());
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, 'skip-synth': { type: 'boolean', default: false } } });
  const wanted = values.sizes === undefined ? undefined : new Set(values.sizes.split(',').map((s) => Number(s.trim())));
  const sizes = SIZES.filter((s) => wanted === undefined || wanted.has(s.hosts));
  if (sizes.length === 0) throw new Error(`--sizes: choose from ${SIZES.map((s) => s.hosts).join(', ')}`);
  const skipSynth = values['skip-synth'] === true;
  const largest = Math.max(...SIZES.map((s) => s.hosts));
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const measured = await benchSize(size, skipSynth);
    printTable(measured, size.hosts === largest);
    results.push(measured.result);
  }
  const complete = sizes.length === SIZES.length && !skipSynth;
  const file = complete ? join(ROOT, 'bench', 'results.json') : join(OUT, 'results.partial.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${relative(ROOT, file)}`);
}

await main();
