/**
 * The pipeline behind `hyperplan review`: synthesizes both revisions of a fleet (the base read from git
 * into a temporary directory, never the work tree), or reads two synthesized folders or real
 * `terraform show -json` plans, and builds the review. The command renders it.
 */
import { mkdirSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { App } from '../constructs/cdk-engine';
import { InputError, UsageError } from '../io/errors';
import { formatProblem, loadFleet } from '../fleet/index';
import type { Fleet } from '../fleet/model';
import { place } from '../planner/plan';
import type { DisruptionBudget } from '../policies/config';
import type { Placement } from '../planner/types';
import { evaluatePoliciesDetailed } from '../policies/engine';
import { withoutCreationStacks } from '../stacks/creation-stacks';
import { fleetStackBuilders } from '../stacks/fleet-app';
import type { SideFindings } from '../review/capacity';
import {
  existsAt,
  gitTopLevel,
  makeTempDir,
  materializeFile,
  materializeTree,
  readJson,
  readSynthOutput,
  removeDir,
  repoPath,
  resolveCommit,
} from '../review/git';
import { affectedHosts, needsFullSynthesis, reduceSide } from '../review/reduce';
import { buildReview, type ReviewSideInput } from '../review/review';
import { indexSynth, type ResourceIndex } from '../review/terraform-json';
import { planReview } from '../review/terraform-plan';
import type { Review } from '../review/types';
import { fingerprintKeyFrom, readLock, readPolicy } from './fleet-inputs';
import { StackSynthesisError, synthesizeStackByStack } from './stack-by-stack';

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
  /** The `budget:` of the side's policy file. */
  readonly budget?: DisruptionBudget;
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
  /** The `budget:` of the side's policy file. */
  readonly budget?: DisruptionBudget;
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
  const placement = place(fleet, readLock(fleetFile, options.lockFile));
  const config = await readPolicy(fleetFile, options.policyFile, options.env, options.root);
  const policy = evaluatePoliciesDetailed(fleet, placement, config);
  const errors = policy.findings.filter((f) => f.severity === 'error');
  const notes: string[] = [];
  if (errors.length > 0 || placement.unplaced.length > 0) {
    notes.push(
      `The ${label} has ${errors.length} policy error(s) and ${placement.unplaced.length} unplaced VM(s), ` +
        'so `hyperplan synth` stops there; ' +
        'the changes shown are what it synthesizes once they are fixed.',
    );
  }
  const fingerprintKey = fingerprintKeyFrom(options.env ?? process.env);
  return {
    label,
    fleet,
    placement,
    findings: policy,
    notes,
    ...(fingerprintKey !== undefined ? { fingerprintKey } : {}),
    ...(config.budget ? { budget: config.budget } : {}),
  };
}

/**
 * Synthesizes a prepared revision into `outDir` and indexes it: the whole fleet, or with `hosts` only
 * those hosts and the VMs the (full) placement put on them (`reduceSide`). The side keeps the full fleet,
 * placement and findings either way: capacity, headroom and findings tables describe the whole fleet.
 */
export function synthesizePrepared(side: PreparedSide, outDir: string, hosts?: ReadonlySet<string>): SynthesizedSide {
  const { fleet, placement } = hosts === undefined ? side : reduceSide(side, hosts);
  mkdirSync(outDir, { recursive: true });
  const app = new App({ outdir: outDir, hclOutput: false, stackTraces: false });
  const options = side.fingerprintKey !== undefined ? { fingerprintKey: side.fingerprintKey } : {};
  const builders = fleetStackBuilders(
    app,
    fleet,
    { ...placement, unplaced: [] },
    side.findings.findings.filter((f) => f.severity !== 'error'),
    options,
  );
  // As `hyperplan synth` does: one stack at a time, without cdktf's per-token creation stack traces.
  try {
    withoutCreationStacks(() => synthesizeStackByStack(app, builders, { written: () => undefined }));
  } catch (error) {
    throw error instanceof StackSynthesisError ? error.cause : error;
  }
  return {
    index: indexSynth(readSynthOutput(outDir)),
    fleet: side.fleet,
    placement: side.placement,
    findings: side.findings,
    notes: side.notes,
    ...(side.budget ? { budget: side.budget } : {}),
  };
}

/** Loads, places, checks and synthesizes (all of) one revision of the fleet into `outDir`. */
export async function synthesizeSide(label: string, fleetFile: string, options: SideOptions, outDir: string): Promise<SynthesizedSide> {
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
    return {
      missing: true,
      notes: [`${request.fleet} does not exist at ${request.ref}: everything in the ${request.label} counts as new.`],
    };
  }
  const tree = join(workDir, 'tree');
  mkdirSync(tree, { recursive: true });
  // The fleet's directory carries what the fleet refers to relatively (cloud-init files), the lock and
  // the default policy file.
  materializeTree(request.repo, commit, posix.dirname(request.fleet), tree);
  const options: { lockFile?: string; policyFile?: string } = {};
  for (const [key, path] of [
    ['lockFile', request.lock],
    ['policyFile', request.policy],
  ] as const) {
    if (path === undefined || !existsAt(request.repo, commit, path)) continue;
    materializeFile(request.repo, commit, path, tree);
    options[key] = join(tree, path);
  }
  return prepareSide(`${request.label} (${request.ref})`, join(tree, request.fleet), {
    ...options,
    root: tree,
    ...(request.env ? { env: request.env } : {}),
  });
}

/** Synthesizes the fleet as it is in commit `ref`, from files read out of git into a temporary directory. */
export async function synthesizeGitSide(request: GitSideRequest, workDir: string): Promise<SynthesizedSide> {
  const side = await prepareGitSide(request, workDir);
  return 'missing' in side ? { index: EMPTY_INDEX, notes: side.notes } : synthesizePrepared(side, join(workDir, 'out'));
}

/** What to review: git revisions of a fleet, two synthesized folders, and/or Terraform plans. */
export interface ReviewRequest {
  /** Environment of the run: `${env:…}` secrets, HYPERPLAN_FINGERPRINT_KEY, HYPERPLAN_ALLOW_PATHS. */
  readonly env: Readonly<Record<string, string | undefined>>;
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
  /** Limits from the command line; each overrides the head policy file's `budget:` key of the same name. */
  readonly budget?: DisruptionBudget;
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

async function sidesFromGit(request: ReviewRequest, temp: string): Promise<{ base: SynthesizedSide; head: SynthesizedSide }> {
  const fleetFile = request.fleetFile as string;
  const repo = gitTopLevel(fleetFile);
  const fleet = repoPath(repo, fleetFile);
  const lock = request.lockFile !== undefined ? repoPath(repo, request.lockFile) : undefined;
  const policy = request.policyFile !== undefined ? repoPath(repo, request.policyFile) : undefined;
  const common = { repo, fleet, ...(lock ? { lock } : {}), ...(policy ? { policy } : {}), env: request.env };
  const base = await prepareGitSide({ ...common, label: 'base', ref: request.base as string }, join(temp, 'base'));
  const head =
    request.head !== undefined
      ? await prepareGitSide({ ...common, label: 'head', ref: request.head }, join(temp, 'head'))
      : await prepareSide('head (work tree)', fleetFile, {
          ...(request.lockFile ? { lockFile: request.lockFile } : {}),
          ...(request.policyFile ? { policyFile: request.policyFile } : {}),
          env: request.env,
        });
  return synthesizeSides(base, head, request.reduce !== false, temp);
}

/** A change that loosens its own budget says so: the reviewer sees the limits it is judged by moved. */
function budgetNotes(base: DisruptionBudget | undefined, head: DisruptionBudget | undefined): string[] {
  const notes: string[] = [];
  for (const key of ['maxRestarts', 'maxMoves'] as const) {
    if (base?.[key] === head?.[key]) continue;
    notes.push(
      `This change sets the policy file's budget.${key} from ${base?.[key] ?? 'no limit'} to ${head?.[key] ?? 'no limit'}; ` +
        'the review applies the new value.',
    );
  }
  return notes;
}

/** Builds the review `request` asks for. */
export async function runReview(request: ReviewRequest): Promise<Review> {
  const temp = makeTempDir('review');
  try {
    let base: ReviewSideInput = { index: EMPTY_INDEX };
    let head: ReviewSideInput = { index: EMPTY_INDEX };
    let policyBudget: DisruptionBudget | undefined;
    const notes: string[] = [];
    if (request.baseDir !== undefined || request.headDir !== undefined) {
      if (request.baseDir === undefined || request.headDir === undefined)
        throw new UsageError('review: --base-dir and --head-dir go together');
      base = { index: indexSynth(readSynthOutput(request.baseDir)) };
      head = { index: indexSynth(readSynthOutput(request.headDir)) };
    } else if (request.base !== undefined) {
      const sides = await sidesFromGit(request, temp);
      base = sides.base;
      head = sides.head;
      policyBudget = sides.head.budget;
      notes.push(...sides.base.notes, ...sides.head.notes, ...budgetNotes(sides.base.budget, sides.head.budget));
    } else if (request.plans.length === 0) {
      throw new UsageError('review: give --base <ref>, or --base-dir and --head-dir, or --plan <file>');
    }
    const digestKey = fingerprintKeyFrom(request.env);
    const budget = { ...policyBudget, ...request.budget };
    const keyed = { ...(digestKey === undefined ? {} : { digestKey }), ...(Object.keys(budget).length > 0 ? { budget } : {}) };
    if (request.plans.length === 0) return buildReview({ base, head, notes, ...keyed });
    const planned = planReview(
      request.plans.map((file) => ({
        stack: request.plans.length === 1 ? 'plan' : basename(file).replace(/\.json$/, ''),
        document: readJson(file),
      })),
      digestKey,
    );
    return buildReview({
      base: { ...base, index: planned.base },
      head: { ...head, index: planned.head },
      planChanges: planned.changes,
      notes,
      ...keyed,
    });
  } finally {
    removeDir(temp);
  }
}
