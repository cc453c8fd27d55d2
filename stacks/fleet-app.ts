/**
 * From a fleet to synthesized Terraform: stack composition (`buildFleetApp`, pure construction) and the
 * whole pipeline behind `hyperplan synth` (`synthesizeFleet`: load, plan, check, synthesize, swap in).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Construct } from 'constructs';
import { App } from '../constructs/cdk-engine';
import { replaceDirectoryAtomic, writeFileAtomic } from '../io/atomic-write';
import { InputError } from '../io/errors';
import { loadFleetOrThrow, readLock, readPolicy } from '../cli/fleet-inputs';
import type { Fleet, Host, StackSpec } from '../fleet/model';
import { plan } from '../planner/plan';
import type { Placement, UnplacedVm } from '../planner/types';
import { evaluatePolicies } from '../policies/engine';
import type { Finding } from '../policies/finding';
import { FINGERPRINT_KEY_ENV, MIN_FINGERPRINT_KEY_LENGTH, type SecretVariableInfo } from '../constructs/secret-variables';
import { stackSpecs } from '../fleet/stack-specs';
import { withoutCreationStacks } from './creation-stacks';
import { fleetIndex } from './fleet-index';
import { FleetStack, HybridStack, isKvmHost, isXenHost, KvmStack, XenStack, type StackKind } from './fleet-stack';

export { stackSpecs };

/** Where `hyperplan synth` writes each host's preparation script, inside the output directory. */
export const HOST_PREP_DIR = 'host-prep';

const FINDING_TARGET = /^(vms|hosts|migrationPools)\[([^\]]+)\]/;

/**
 * The stacks a finding concerns: the stack of the VM's host, of the host, or of a migration pool's
 * members. Findings about anything else (networks, pools, the fleet) concern every stack.
 */
function stacksOf(
  finding: Finding,
  placement: Placement,
  poolHosts: ReadonlyMap<string, readonly string[]>,
  stackOfHost: ReadonlyMap<string, string>,
): readonly string[] | undefined {
  const match = FINDING_TARGET.exec(finding.target);
  if (!match) return undefined;
  const [, kind, name] = match as unknown as [string, string, string];
  let hosts: readonly string[];
  if (kind === 'vms') hosts = placement.placements[name] !== undefined ? [placement.placements[name]!] : [];
  else if (kind === 'hosts') hosts = [name];
  else hosts = poolHosts.get(name) ?? [];
  const stacks = [...new Set(hosts.map((h) => stackOfHost.get(h)).filter((s): s is string => s !== undefined))];
  return stacks.length > 0 ? stacks : undefined;
}

/**
 * The fingerprint key from `env` (HYPERPLAN_FINGERPRINT_KEY), or undefined when unset or empty; a key
 * too short to resist guessing is bad input.
 */
export function fingerprintKeyFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = env[FINGERPRINT_KEY_ENV];
  if (key === undefined || key === '') return undefined;
  if (key.length < MIN_FINGERPRINT_KEY_LENGTH) {
    throw new InputError([`${FINGERPRINT_KEY_ENV} is ${key.length} characters long; use a random key of at least ${MIN_FINGERPRINT_KEY_LENGTH} (e.g. openssl rand -hex 32)`]);
  }
  return key;
}

/** Options of `buildFleetApp`. */
export interface FleetAppOptions {
  /** Key of the secret variables' fingerprints. @default - no fingerprints */
  readonly fingerprintKey?: string;
}

function newStack(
  scope: Construct,
  spec: StackSpec,
  hosts: readonly Host[],
  fleet: Fleet,
  placement: Placement,
  findings: readonly Finding[],
  options: FleetAppOptions,
): FleetStack {
  const common = { fleet, placement, backend: spec.backend, findings, ...(options.fingerprintKey !== undefined ? { fingerprintKey: options.fingerprintKey } : {}) };
  if (hosts.length > 0 && hosts.every(isKvmHost)) return new KvmStack(scope, spec.name, { ...common, hosts });
  if (hosts.length > 0 && hosts.every(isXenHost)) return new XenStack(scope, spec.name, { ...common, hosts });
  return new HybridStack(scope, spec.name, { ...common, hosts });
}

/**
 * Adds one stack per entry of `stackSpecs(fleet)` to `scope` (the app, or a construct in it):
 * Kvm/Xen/HybridStack by the kinds of hosts it holds, each with the findings that concern it. Throws
 * when a host is in no stack or in two.
 */
export function buildFleetApp(scope: Construct, fleet: Fleet, placement: Placement, findings: readonly Finding[], options: FleetAppOptions = {}): FleetStack[] {
  const index = fleetIndex(fleet, placement);
  const specs = stackSpecs(fleet);
  const problems = stackMembershipProblems(fleet);
  if (problems.length > 0) throw new InputError(problems);

  const byStack = findingsByStack(fleet, placement, findings);
  return specs.map((spec) =>
    newStack(scope, spec, spec.hosts.map((name) => index.hosts.get(name)!), fleet, placement, byStack.get(spec.name)!, options),
  );
}

/** Hosts in no stack or in two, and stacks naming hosts that do not exist. */
export function stackMembershipProblems(fleet: Fleet): string[] {
  const specs = stackSpecs(fleet);
  const known = new Set(fleet.hosts.map((h) => h.name));
  const stackOfHost = new Map<string, string>();
  const problems: string[] = [];
  for (const spec of specs) {
    for (const host of spec.hosts) {
      const other = stackOfHost.get(host);
      if (other !== undefined) problems.push(`host '${host}' is in stacks '${other}' and '${spec.name}'; a host's libvirt can be managed by one stack only`);
      else if (!known.has(host)) problems.push(`stack '${spec.name}' names host '${host}', which is not in hosts`);
      else stackOfHost.set(host, spec.name);
    }
  }
  for (const host of fleet.hosts) {
    if (!stackOfHost.has(host.name)) problems.push(`host '${host.name}' is in no stack; add it to one of the stacks (${specs.map((s) => s.name).join(', ')})`);
  }
  return problems;
}

/** The findings that concern each stack of `stackSpecs(fleet)`, by stack name. */
export function findingsByStack(fleet: Fleet, placement: Placement, findings: readonly Finding[]): Map<string, Finding[]> {
  const specs = stackSpecs(fleet);
  const stackOfHost = new Map(specs.flatMap((spec) => spec.hosts.map((host) => [host, spec.name] as const)));
  const byStack = new Map<string, Finding[]>(specs.map((s) => [s.name, []]));
  const poolHosts = new Map(fleet.migrationPools.map((p) => [p.name, p.hosts]));
  for (const finding of findings) {
    for (const stack of stacksOf(finding, placement, poolHosts, stackOfHost) ?? specs.map((s) => s.name)) byStack.get(stack)!.push(finding);
  }
  return byStack;
}

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
}

export interface SynthSummary {
  readonly outDir: string;
  readonly stacks: readonly SynthesizedStack[];
  /** Host preparation scripts, relative to the output directory. */
  readonly hostPreparation: readonly string[];
  /** Every finding (warnings and infos included); errors would have stopped synthesis. */
  readonly findings: readonly Finding[];
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
    const text = readFileSync(join(dir, file), 'utf8');
    const leaked = machinePaths.find((p) => text.includes(p));
    if (leaked !== undefined) throw new Error(`${file} contains the machine-specific path ${leaked}; synthesis would not be reproducible`);
  }
}

/**
 * Loads, plans, checks and synthesizes a fleet into `outDir`, which is replaced only when everything
 * succeeded: a bad fleet (InputError) or a failed policy gate (PolicyGateError) leaves it as it was.
 */
export async function synthesizeFleet(options: SynthOptions): Promise<SynthSummary> {
  process.env.CHECKPOINT_DISABLE = '1';
  // cdktf lets SYNTH_HCL_OUTPUT override `hclOutput`; the output contract is JSON.
  process.env.SYNTH_HCL_OUTPUT = 'false';
  const stage = (name: (typeof STAGES)[number]): void => options.onStage?.(name, STAGES.indexOf(name), STAGES.length);
  stage('loading the fleet');
  const fleet = loadFleetOrThrow(options.fleetFile, process.cwd(), options.env ?? process.env);
  stage('placing VMs');
  const placement = plan(fleet, readLock(options.fleetFile, options.lockFile));
  stage('checking policies');
  const findings = evaluatePolicies(fleet, placement, await readPolicy(options.fleetFile, options.policyFile, options.env ?? process.env));
  const fingerprintKey = fingerprintKeyFrom(options.env ?? process.env);
  // Stacks carry the policy gate as their validation; with no stack at all (no hosts) nothing would stop
  // synthesis, so the gate is applied here and synth agrees with check.
  const gateErrors = findings.filter((f) => f.severity === 'error');
  if (stackSpecs(fleet).length === 0 && (gateErrors.length > 0 || placement.unplaced.length > 0)) {
    throw new PolicyGateError(gateErrors, placement.unplaced, 'the fleet has no hosts, so there is no stack to synthesize');
  }

  let stacks: SynthesizedStack[] = [];
  const hostPreparation: string[] = [];
  await replaceDirectoryAtomic(options.outDir, (dir) => {
    const app = new App({ outdir: dir, hclOutput: false, stackTraces: false });
    stage('building stacks');
    const built = withoutCreationStacks(() => buildFleetApp(app, fleet, placement, findings, fingerprintKey === undefined ? {} : { fingerprintKey }));
    try {
      stage('synthesizing');
      withoutCreationStacks(() => app.synth());
    } catch (error) {
      // The stacks' validations failed: report the gate's data, not only cdktf's message.
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length > 0 || placement.unplaced.length > 0) {
        throw new PolicyGateError(errors, placement.unplaced, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
    stage('writing');
    assertNoMachinePaths(dir, [resolve(dir), dir]);
    for (const host of built.flatMap((s) => s.hosts)) {
      const file = `${HOST_PREP_DIR}/${host.hostName}.sh`;
      writeFileAtomic(join(dir, file), host.hostPreparation);
      hostPreparation.push(file);
    }
    stacks = built.map((stack) => ({
      name: stack.node.id,
      kind: stack.kind,
      hosts: stack.hosts.map((h) => h.hostName),
      vms: stack.vms.length,
      resources: stack.resourceCount(),
      file: `stacks/${stack.node.id}/cdk.tf.json`,
      variables: stack.secrets.variables,
      backendInitSecrets: stack.backendInitSecrets,
    }));
  });
  return { outDir: options.outDir, stacks, hostPreparation, findings };
}
