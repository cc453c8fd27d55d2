/**
 * The pipeline behind `hyperplan synth` (`synthesizeFleet`): load the fleet and its inputs, place, check
 * the policies, build the stacks, synthesize, and swap the output directory in only when all succeeded.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { App } from '../constructs/cdk-engine';
import { replaceDirectoryAtomic, writeFileAtomic } from '../io/atomic-write';
import { firstTextInFile } from '../io/file-scan';
import { stackSpecs } from '../fleet/stack-specs';
import { InputError } from '../io/errors';
import type { Fleet } from '../fleet/model';
import type { Lock } from '../planner/lock';
import { migrationScript, planMoves, type VmMove } from '../planner/moves';
import { place } from '../planner/plan';
import type { Placement, UnplacedVm } from '../planner/types';
import { evaluatePolicies } from '../policies/engine';
import type { Finding } from '../policies/finding';
import type { SecretVariableInfo } from '../constructs/secret-variables';
import { adoptExisting, type AdoptedObject } from '../stacks/adoption';
import { withoutCreationStacks } from '../stacks/creation-stacks';
import { fleetStackBuilders, type FleetAppOptions } from '../stacks/fleet-app';
import type { FleetStack, StackKind } from '../stacks/fleet-stack';
import { fingerprintKeyFrom, loadFleetOrThrow, readLock, readPolicy } from './fleet-inputs';
import { StackSynthesisError, synthesizeStackByStack } from './stack-by-stack';

/** Where `hyperplan synth` writes each host's preparation script, inside the output directory. */
export const HOST_PREP_DIR = 'host-prep';

export interface SynthOptions {
  readonly fleetFile: string;
  /** Directory to (re)place with the synthesized stacks. */
  readonly outDir: string;
  /** Placement lock to keep. @default - `hyperplan.lock.json` beside the fleet file, when it exists */
  readonly lockFile?: string;
  /**
   * Policy file (packs, severities, suppressions).
   * @default - `hyperplan.policy.yaml` beside the fleet file when it exists, else every pack with default severities
   */
  readonly policyFile?: string;
  /** Environment for `${env:…}` secrets in the fleet. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Add Terraform `import` blocks for the domains, networks and pools whose UUIDs the lock file holds
   * (written by `hyperplan import --from`), so the first plan adopts them. @default false
   */
  readonly adopt?: boolean;
  /**
   * `live`: a VM the plan moves off the host the lock file records becomes a live migration (a
   * `migrate.sh` per stack) and a state move (`moved` blocks) wherever `planMoves`
   * allows it; the rest stays destroy-and-create. @default - every move is destroy-and-create
   */
  readonly moves?: 'live';
  /** The lock to plan with. @default - read from `lockFile` */
  readonly lock?: Lock;
  /** The placement the VMs run in, which moves start from. @default - the lock the plan keeps */
  readonly current?: Lock;
  /**
   * VMs found running on their planned host already (`reconcile`): their state moves without a migration.
   * @default - none
   */
  readonly observed?: ReadonlySet<string>;
  /** Called as each stage starts (`done` of `total` stages), for progress output. @default - nothing */
  readonly onStage?: (stage: string, done: number, total: number) => void;
}

const STAGES = ['loading the fleet', 'placing VMs', 'checking policies', 'building stacks', 'synthesizing', 'writing'] as const;

export interface SynthesizedStack {
  readonly name: string;
  readonly kind: StackKind;
  readonly hosts: readonly string[];
  readonly vms: number;
  /** Terraform resources in the stack (data sources and outputs not counted). */
  readonly resources: number;
  /** `stacks/<name>/cdk.tf.json`, relative to the output directory. */
  readonly file: string;
  /** Sensitive input variables the stack needs when Terraform runs (`TF_VAR_<name>`). */
  readonly variables: readonly SecretVariableInfo[];
  /** Backend settings that are secrets, left out of the block: supplied at `terraform init`. */
  readonly backendInitSecrets: readonly string[];
  /** `stacks/<name>/migrate.sh`, relative to the output directory, when live moves land in the stack. */
  readonly migrationScript?: string;
}

/** Where `hyperplan synth --moves live` writes a stack's live migrations, beside its `cdk.tf.json`. */
export const MIGRATION_SCRIPT = 'migrate.sh';

export interface SynthSummary {
  readonly outDir: string;
  readonly stacks: readonly SynthesizedStack[];
  /** Host preparation scripts, relative to the output directory. */
  readonly hostPreparation: readonly string[];
  /** Every finding (warnings and infos included); errors would have stopped synthesis. */
  readonly findings: readonly Finding[];
  /** With `adopt`: the objects that got an import block. */
  readonly adopted: readonly AdoptedObject[];
  /** VMs the plan moves off the host the lock file records (with `moves: 'live'`; else empty). */
  readonly moves: readonly VmMove[];
}

/** Synthesis stopped by the policy gate; the previous output directory is untouched. */
export class PolicyGateError extends Error {
  override readonly name = 'PolicyGateError';
  readonly errors: readonly Finding[];
  readonly unplaced: readonly UnplacedVm[];
  /** The stacks' validation messages, as `cdktf synth` prints them. */
  readonly validation: string;

  constructor(errors: readonly Finding[], unplaced: readonly UnplacedVm[], validation: string) {
    super(`synthesis stopped: ${errors.length} policy error(s), ${unplaced.length} unplaced VM(s)`);
    this.errors = errors;
    this.unplaced = unplaced;
    this.validation = validation;
  }
}

/** Every file under `dir`, relative and with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return files;
}

/**
 * cdktf writes only relative paths into manifest.json today; this guard keeps the temporary directory's
 * path (or any path cdktf might derive from it) from ever reaching the output unnoticed.
 */
function assertNoMachinePaths(dir: string, machinePaths: readonly string[]): void {
  for (const file of listFiles(dir).filter((f) => f.endsWith('.json'))) {
    const leaked = firstTextInFile(join(dir, file), machinePaths);
    if (leaked !== undefined) throw new Error(`${file} contains the machine-specific path ${leaked}; synthesis would not be reproducible`);
  }
}

/**
 * What the summary keeps of a written stack (the stack itself is released): its host preparation scripts
 * and live migrations are written beside its Terraform, their paths added to `hostPreparation`.
 */
function summarizeStack(dir: string, stack: FleetStack, moves: readonly VmMove[]): SynthesizedStack {
  for (const host of stack.hosts) writeFileAtomic(join(dir, hostPreparationFile(host.hostName)), host.hostPreparation);
  const script = migrationScript(stack.node.id, moves, new Set(stack.hosts.map((h) => h.hostName)));
  const scriptFile = `stacks/${stack.node.id}/${MIGRATION_SCRIPT}`;
  if (script !== undefined) writeFileAtomic(join(dir, scriptFile), script);
  return {
    name: stack.node.id,
    kind: stack.kind,
    hosts: stack.hosts.map((h) => h.hostName),
    vms: stack.vms.length,
    resources: stack.resourceCount(),
    file: `stacks/${stack.node.id}/cdk.tf.json`,
    variables: stack.secrets.variables,
    backendInitSecrets: stack.backendInitSecrets,
    ...(script !== undefined ? { migrationScript: scriptFile } : {}),
  };
}

const hostPreparationFile = (hostName: string): string => `${HOST_PREP_DIR}/${hostName}.sh`;

/** What synthesis takes from loading, placing and checking the fleet. */
export interface CheckedFleet {
  readonly fleet: Fleet;
  readonly placement: Placement;
  readonly findings: readonly Finding[];
  readonly moves: readonly VmMove[];
  readonly lock: Lock | undefined;
}

/**
 * Loads, places and checks the fleet. The fleet it returns holds no source positions: the stacks locate
 * nothing in the fleet file (each finding carries its own location), and `locations` keeps the parsed
 * fleet file alive (~40 MB at 20,000 VMs), so synthesis takes a copy without them and the original is
 * not kept while the stacks are built. (In a function of its own, so that no frame of the synthesis holds
 * the original.)
 */
export async function loadPlaceAndCheck(options: SynthOptions, stage: (name: (typeof STAGES)[number]) => void): Promise<CheckedFleet> {
  stage('loading the fleet');
  const fleet = loadFleetOrThrow(options.fleetFile, process.cwd(), options.env ?? process.env);
  stage('placing VMs');
  const lock = options.lock ?? readLock(options.fleetFile, options.lockFile);
  if (options.adopt && Object.keys(lock?.uuids ?? {}).length === 0) {
    throw new InputError([
      `${options.lockFile ?? 'hyperplan.lock.json beside the fleet'}: --adopt needs the libvirt UUIDs that ` +
        "'hyperplan import --from' writes into the lock file (uuids); there are none",
    ]);
  }
  const placement = place(fleet, lock);
  const moves =
    options.moves === 'live' ? planMoves(fleet, options.current ?? lock, placement, options.observed ? { observed: options.observed } : {}) : [];
  stage('checking policies');
  const findings = evaluatePolicies(fleet, placement, await readPolicy(options.fleetFile, options.policyFile, options.env ?? process.env));
  // Stacks carry the policy gate as their validation; with no stack at all (no hosts) nothing would stop
  // synthesis, so the gate is applied here and synth agrees with check.
  const gateErrors = findings.filter((f) => f.severity === 'error');
  if (stackSpecs(fleet).length === 0 && (gateErrors.length > 0 || placement.unplaced.length > 0)) {
    throw new PolicyGateError(gateErrors, placement.unplaced, 'the fleet has no hosts, so there is no stack to synthesize');
  }
  return { fleet: { ...fleet, locations: {} }, placement, findings, moves, lock };
}

/**
 * Loads, plans, checks and synthesizes a fleet into `outDir`, which is replaced only when everything
 * succeeded: a bad fleet (InputError) or a failed policy gate (PolicyGateError) leaves it as it was.
 */
export async function synthesizeFleet(options: SynthOptions): Promise<SynthSummary> {
  // cdktf lets SYNTH_HCL_OUTPUT override `hclOutput`; the output contract is JSON.
  process.env.SYNTH_HCL_OUTPUT = 'false';
  const stage = (name: (typeof STAGES)[number]): void => options.onStage?.(name, STAGES.indexOf(name), STAGES.length);
  const { fleet, placement, findings, moves, lock } = await loadPlaceAndCheck(options, stage);
  const fingerprintKey = fingerprintKeyFrom(options.env ?? process.env);
  let stacks: SynthesizedStack[] = [];
  // Per stack, filled as each is built (the largest last), listed in the stacks' order.
  const adoptedByStack = new Map<string, readonly AdoptedObject[]>();
  let adopted: AdoptedObject[] = [];
  await replaceDirectoryAtomic(options.outDir, (dir) => {
    const app = new App({ outdir: dir, hclOutput: false, stackTraces: false });
    stage('building stacks');
    const appOptions: FleetAppOptions = {
      ...(fingerprintKey === undefined ? {} : { fingerprintKey }),
      ...(moves.length > 0 ? { moves } : {}),
    };
    const builders = fleetStackBuilders(app, fleet, placement, findings, appOptions);
    // One stack at a time (pipeline/stack-by-stack.ts): the peak memory is the largest stack's, not the fleet's.
    stage('synthesizing');
    try {
      stacks = withoutCreationStacks(() =>
        synthesizeStackByStack(app, builders, {
          ...(options.adopt ? { built: (stack: FleetStack) => adoptedByStack.set(stack.node.id, adoptExisting(stack, lock?.uuids ?? {})) } : {}),
          written: (stack) => summarizeStack(dir, stack, moves),
        }),
      );
      adopted = builders.flatMap((builder) => adoptedByStack.get(builder.name) ?? []);
    } catch (error) {
      if (!(error instanceof StackSynthesisError)) throw error;
      // The stacks' validations failed: report the gate's data, not only cdktf's message.
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length > 0 || placement.unplaced.length > 0) {
        throw new PolicyGateError(errors, placement.unplaced, error.message);
      }
      throw error.cause;
    }
    stage('writing');
    assertNoMachinePaths(dir, [resolve(dir), dir]);
  });
  const hostPreparation = stacks.flatMap((stack) => stack.hosts.map(hostPreparationFile));
  return { outDir: options.outDir, stacks, hostPreparation, findings, adopted, moves };
}
