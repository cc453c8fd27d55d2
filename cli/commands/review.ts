/**
 * `hyperplan review --base <ref> [fleet]`: what merging this change does to the fleet, for a pull-request
 * comment. Synthesizes both revisions (the base read from git into a temporary directory, never the work
 * tree), diffs them per resource or reads a real `terraform show -json` plan, and renders Markdown or JSON.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix } from 'node:path';
import { App } from '../../constructs/cdk-engine';
import type { Command, Io } from '../command';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../../io/errors';
import { writeFileAtomic } from '../../io/atomic-write';
import { formatProblem, loadFleet } from '../../fleet/index';
import { plan } from '../../planner/plan';
import { evaluatePoliciesDetailed } from '../../policies/engine';
import { buildFleetApp, fingerprintKeyFrom } from '../../stacks/fleet-app';
import { LOCK_FILE_NAME, readLock, readPolicy } from '../fleet-inputs';
import { choiceOption, stringOption } from '../options';
import { POLICY_FILE_NAME } from '../../policies/policy-file';
import {
  existsAt, gitTopLevel, makeTempDir, materializeFile, materializeTree, readJson, readSynthOutput, removeDir, repoPath, resolveCommit,
} from '../../review/git';
import { renderMarkdown } from '../../review/markdown';
import { buildReview, FAIL_ON_VALUES, reviewExitCode, type FailOn, type ReviewSideInput } from '../../review/review';
import { indexSynth, type ResourceIndex } from '../../review/terraform-json';
import { planReview } from '../../review/terraform-plan';
import type { Review } from '../../review/types';
import { affectedHosts, needsFullSynthesis, reduceSide } from '../../review/reduce';
import type { SideFindings } from '../../review/capacity';
import type { Fleet } from '../../fleet/model';
import type { Placement } from '../../planner/types';

const DEFAULT_FLEET = 'fleet.yaml';
const FORMATS = ['markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

const EMPTY_INDEX: ResourceIndex = { resources: new Map(), domainsByVm: new Map(), providerUris: new Map() };

export interface SideOptions {
  readonly lockFile?: string;
  readonly policyFile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The revision's repository root, which the files its fleet names must stay inside. @default - the fleet's git work tree */
  readonly root?: string;
}

export interface SynthesizedSide extends ReviewSideInput {
  readonly notes: readonly string[];
}

/** One revision loaded, placed and checked: everything but its synthesis. */
export interface PreparedSide {
  readonly label: string;
  readonly fleet: Fleet;
  readonly placement: Placement;
  readonly findings: SideFindings;
  readonly notes: readonly string[];
  /** Key of the secret variables' fingerprints (HYPERPLAN_FINGERPRINT_KEY of the side's environment). */
  readonly fingerprintKey?: string;
}

/**
 * Loads, places and checks one revision. Unlike `hyperplan synth` it does not stop at policy errors or
 * unplaced VMs: the review must show them next to the changes they come with, so those are reported and
 * everything placeable is synthesized.
 */
export async function prepareSide(label: string, fleetFile: string, options: SideOptions): Promise<PreparedSide> {
  const loaded = loadFleet(fleetFile, { ...(options.env ? { env: options.env } : {}), ...(options.root ? { root: options.root } : {}) });
  if (!loaded.ok) throw new InputError([`review: the ${label} fleet does not load:`, ...loaded.problems.map(formatProblem)]);
  const { fleet } = loaded;
  const placement = plan(fleet, readLock(fleetFile, options.lockFile));
  const policy = evaluatePoliciesDetailed(fleet, placement, await readPolicy(fleetFile, options.policyFile, options.env, options.root));
  const errors = policy.findings.filter((f) => f.severity === 'error');
  const notes: string[] = [];
  if (errors.length > 0 || placement.unplaced.length > 0) {
    notes.push(
      `The ${label} has ${errors.length} policy error(s) and ${placement.unplaced.length} unplaced VM(s), so \`hyperplan synth\` stops there; ` +
        'the changes shown are what it synthesizes once they are fixed.',
    );
  }
  const fingerprintKey = fingerprintKeyFrom(options.env ?? process.env);
  return { label, fleet, placement, findings: policy, notes, ...(fingerprintKey !== undefined ? { fingerprintKey } : {}) };
}

/**
 * Synthesizes a prepared revision into `outDir` and indexes it: the whole fleet, or with `hosts` only
 * those hosts and the VMs the (full) placement put on them (`reduceSide`). The side keeps the full fleet,
 * placement and findings either way: capacity, headroom and findings tables describe the whole fleet.
 */
export function synthesizePrepared(side: PreparedSide, outDir: string, hosts?: ReadonlySet<string>): SynthesizedSide {
  process.env.CHECKPOINT_DISABLE = '1';
  const { fleet, placement } = hosts === undefined ? side : reduceSide(side, hosts);
  mkdirSync(outDir, { recursive: true });
  const app = new App({ outdir: outDir, hclOutput: false, stackTraces: false });
  const options = side.fingerprintKey !== undefined ? { fingerprintKey: side.fingerprintKey } : {};
  buildFleetApp(app, fleet, { ...placement, unplaced: [] }, side.findings.findings.filter((f) => f.severity !== 'error'), options);
  app.synth();
  return { index: indexSynth(readSynthOutput(outDir)), fleet: side.fleet, placement: side.placement, findings: side.findings, notes: side.notes };
}

/** Loads, places, checks and synthesizes (all of) one revision of the fleet into `outDir`. */
export async function synthesizeSide(label: string, fleetFile: string, options: SideOptions, outDir: string): Promise<SynthesizedSide> {
  process.env.CHECKPOINT_DISABLE = '1';
  return synthesizePrepared(await prepareSide(label, fleetFile, options), outDir);
}

interface GitSideRequest {
  readonly label: string;
  readonly repo: string;
  readonly ref: string;
  /** Repository-relative paths. */
  readonly fleet: string;
  readonly lock?: string;
  readonly policy?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A revision without the fleet file: nothing to synthesize, everything on the other side is new. */
interface MissingSide {
  readonly missing: true;
  readonly notes: readonly string[];
}

/** Loads, places and checks the fleet as it is in commit `ref`, from files read out of git into `workDir`. */
export async function prepareGitSide(request: GitSideRequest, workDir: string): Promise<PreparedSide | MissingSide> {
  const commit = resolveCommit(request.repo, request.ref);
  if (!existsAt(request.repo, commit, request.fleet)) {
    return { missing: true, notes: [`${request.fleet} does not exist at ${request.ref}: everything in the ${request.label} counts as new.`] };
  }
  const tree = join(workDir, 'tree');
  mkdirSync(tree, { recursive: true });
  // The fleet's directory carries what the fleet refers to relatively (cloud-init files), the lock and
  // the default policy file.
  materializeTree(request.repo, commit, posix.dirname(request.fleet), tree);
  const options: { lockFile?: string; policyFile?: string } = {};
  for (const [key, path] of [['lockFile', request.lock], ['policyFile', request.policy]] as const) {
    if (path === undefined || !existsAt(request.repo, commit, path)) continue;
    materializeFile(request.repo, commit, path, tree);
    options[key] = join(tree, path);
  }
  return prepareSide(`${request.label} (${request.ref})`, join(tree, request.fleet), { ...options, root: tree, ...(request.env ? { env: request.env } : {}) });
}

/** Synthesizes the fleet as it is in commit `ref`, from files read out of git into a temporary directory. */
export async function synthesizeGitSide(request: GitSideRequest, workDir: string): Promise<SynthesizedSide> {
  const side = await prepareGitSide(request, workDir);
  return 'missing' in side ? { index: EMPTY_INDEX, notes: side.notes } : synthesizePrepared(side, join(workDir, 'out'));
}

interface Request {
  readonly io: Io;
  readonly fleetFile?: string;
  readonly base?: string;
  readonly head?: string;
  readonly baseDir?: string;
  readonly headDir?: string;
  readonly plans: readonly string[];
  readonly lockFile?: string;
  readonly policyFile?: string;
  /**
   * Synthesize only the hosts whose Terraform can differ between the revisions (`affectedHosts`); the
   * review is the same as with full syntheses, which `false` forces (tests compare the two).
   * @default true
   */
  readonly reduce?: boolean;
}

/**
 * Synthesizes both prepared revisions: in full, or (`reduce`) only the hosts whose elements can differ.
 * A side whose full synthesis would fail outside those hosts is synthesized in full, so it fails the same.
 */
export function synthesizeSides(
  base: PreparedSide | MissingSide,
  head: PreparedSide | MissingSide,
  reduce: boolean,
  temp: string,
): { base: SynthesizedSide; head: SynthesizedSide } {
  const prepared = (side: PreparedSide | MissingSide): PreparedSide | undefined => ('missing' in side ? undefined : side);
  const hosts = reduce ? affectedHosts(prepared(base), prepared(head)) : undefined;
  const synth = (side: PreparedSide | MissingSide, outDir: string): SynthesizedSide => {
    if ('missing' in side) return { index: EMPTY_INDEX, notes: side.notes };
    return synthesizePrepared(side, outDir, hosts !== undefined && !needsFullSynthesis(side) ? hosts : undefined);
  };
  return { base: synth(base, join(temp, 'base', 'out')), head: synth(head, join(temp, 'head', 'out')) };
}

async function sidesFromGit(request: Request, temp: string): Promise<{ base: SynthesizedSide; head: SynthesizedSide }> {
  const fleetFile = request.fleetFile as string;
  const repo = gitTopLevel(fleetFile);
  const fleet = repoPath(repo, fleetFile);
  const lock = request.lockFile !== undefined ? repoPath(repo, request.lockFile) : undefined;
  const policy = request.policyFile !== undefined ? repoPath(repo, request.policyFile) : undefined;
  const common = { repo, fleet, ...(lock ? { lock } : {}), ...(policy ? { policy } : {}), env: request.io.env };
  process.env.CHECKPOINT_DISABLE = '1';
  const base = await prepareGitSide({ ...common, label: 'base', ref: request.base as string }, join(temp, 'base'));
  const head =
    request.head !== undefined
      ? await prepareGitSide({ ...common, label: 'head', ref: request.head }, join(temp, 'head'))
      : await prepareSide('head (work tree)', fleetFile, {
          ...(request.lockFile ? { lockFile: request.lockFile } : {}),
          ...(request.policyFile ? { policyFile: request.policyFile } : {}),
          env: request.io.env,
        });
  return synthesizeSides(base, head, request.reduce !== false, temp);
}

/** Builds the review the command line asks for. */
export async function runReview(request: Request): Promise<Review> {
  const temp = makeTempDir('review');
  try {
    let base: ReviewSideInput = { index: EMPTY_INDEX };
    let head: ReviewSideInput = { index: EMPTY_INDEX };
    const notes: string[] = [];
    if (request.baseDir !== undefined || request.headDir !== undefined) {
      if (request.baseDir === undefined || request.headDir === undefined) throw new UsageError('review: --base-dir and --head-dir go together');
      base = { index: indexSynth(readSynthOutput(request.baseDir)) };
      head = { index: indexSynth(readSynthOutput(request.headDir)) };
    } else if (request.base !== undefined) {
      const sides = await sidesFromGit(request, temp);
      base = sides.base;
      head = sides.head;
      notes.push(...sides.base.notes, ...sides.head.notes);
    } else if (request.plans.length === 0) {
      throw new UsageError('review: give --base <ref>, or --base-dir and --head-dir, or --plan <file>');
    }
    const digestKey = fingerprintKeyFrom(request.io.env);
    const keyed = digestKey === undefined ? {} : { digestKey };
    if (request.plans.length === 0) return buildReview({ base, head, notes, ...keyed });
    const planned = planReview(
      request.plans.map((file) => ({ stack: request.plans.length === 1 ? 'plan' : basename(file).replace(/\.json$/, ''), document: readJson(file) })),
      digestKey,
    );
    return buildReview({ base: { ...base, index: planned.base }, head: { ...head, index: planned.head }, planChanges: planned.changes, notes, ...keyed });
  } finally {
    removeDir(temp);
  }
}

export const reviewCommand: Command = {
  name: 'review',
  summary: 'review a change for a pull request: VM changes, data at risk, capacity, findings',
  help: [
    'Usage: hyperplan review --base <ref> [--head <ref>] [fleet] [options]',
    '       hyperplan review --base-dir <cdktf.out> --head-dir <cdktf.out> [options]',
    '       hyperplan review --plan <terraform show -json output> [--base <ref> [fleet]] [options]',
    '',
    'Synthesizes the fleet at the base revision (read from git into a temporary directory; the work tree is',
    'never touched) and at the head (a ref, or the work tree by default), compares them resource by resource,',
    'and says per VM: create, destroy, update (in place), restart, replace or move, and why. Data volumes that',
    'would be destroyed come first. Host capacity and migration-pool headroom before/after come from the',
    'planner; policy findings are compared by rule and target. With --plan, resource changes come from a real',
    'Terraform plan (repeat --plan for several stacks).',
    '',
    'Values that can carry secrets (cloud-init data, console passwords, anything the plan flags sensitive) are',
    'never printed: "changed (content hidden)" with short digests, keyed with HYPERPLAN_FINGERPRINT_KEY when set.',
    '',
    'Arguments:',
    `  fleet              fleet file (default: ${DEFAULT_FLEET} in the current directory, else $HYPERPLAN_FLEET)`,
    '',
    'Options:',
    '  --base ref         git revision to compare against (e.g. origin/main)',
    '  --head ref         git revision to review (default: the work tree)',
    '  --base-dir dir     compare two existing cdktf.out folders instead of synthesizing …',
    '  --head-dir dir     … (both needed)',
    '  --plan file        `terraform show -json` output to take resource changes from (repeatable)',
    `  --lock file        placement lock (default ${LOCK_FILE_NAME} beside the fleet, as in each revision)`,
    `  --policy file      policy file (default ${POLICY_FILE_NAME} beside the fleet, as in each revision)`,
    '  --format f         markdown (default) or json',
    '  --out file         write the review to this file (atomically) instead of stdout',
    '  --fail-on what     errors | data-loss | both (default) | none: what makes the exit code 1',
    '',
    'Exit codes: 0 clean, 1 new policy errors or unprotected data loss (see --fail-on), 2 bad input or usage.',
  ].join('\n'),
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    'base-dir': { type: 'string' },
    'head-dir': { type: 'string' },
    plan: { type: 'string', multiple: true },
    lock: { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'fail-on': { type: 'string' },
  },
  async run(args, io) {
    const format = choiceOption<Format>('review', args.values.format, 'format', FORMATS, 'markdown');
    const failOn = choiceOption<FailOn>('review', args.values['fail-on'], 'fail-on', FAIL_ON_VALUES, 'both');
    const [given, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`review: expected at most one fleet file, got ${args.positionals.length}`);
    const resolve = (path: string | undefined): string | undefined => (path === undefined ? undefined : isAbsolute(path) ? path : join(io.cwd, path));
    const base = stringOption('review', args.values.base, 'base');
    const head = stringOption('review', args.values.head, 'head');
    if (head !== undefined && base === undefined) throw new UsageError('review: --head needs --base');
    const plans = Array.isArray(args.values.plan) ? args.values.plan.map((p) => resolve(stringOption('review', p, 'plan')) as string) : [];
    let fleetFile: string | undefined;
    if (base !== undefined) {
      fleetFile = resolve(given ?? (existsSync(join(io.cwd, DEFAULT_FLEET)) ? DEFAULT_FLEET : io.env.HYPERPLAN_FLEET));
      if (fleetFile === undefined) throw new UsageError(`review: no fleet file given, no ${DEFAULT_FLEET} here and HYPERPLAN_FLEET is not set`);
      if (head === undefined && !existsSync(fleetFile)) throw new InputError([`${fleetFile}: fleet file not found`]);
      if (!existsSync(dirname(fleetFile))) throw new InputError([`${dirname(fleetFile)}: directory not found`]);
    }
    const baseDir = resolve(stringOption('review', args.values['base-dir'], 'base-dir'));
    const headDir = resolve(stringOption('review', args.values['head-dir'], 'head-dir'));
    const lockFile = resolve(stringOption('review', args.values.lock, 'lock'));
    const policyFile = resolve(stringOption('review', args.values.policy, 'policy'));
    const review = await runReview({
      io,
      ...(fleetFile !== undefined ? { fleetFile } : {}),
      ...(base !== undefined ? { base } : {}),
      ...(head !== undefined ? { head } : {}),
      ...(baseDir !== undefined ? { baseDir } : {}),
      ...(headDir !== undefined ? { headDir } : {}),
      plans,
      ...(lockFile !== undefined ? { lockFile } : {}),
      ...(policyFile !== undefined ? { policyFile } : {}),
    });
    const text = format === 'json' ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review);
    const out = resolve(stringOption('review', args.values.out, 'out'));
    if (out !== undefined) writeFileAtomic(out, text);
    else io.stdout(text);
    return reviewExitCode(review, failOn) === 1 ? EXIT_FINDINGS : EXIT_OK;
  },
};
