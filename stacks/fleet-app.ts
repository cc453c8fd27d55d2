/**
 * From a fleet to its stacks: one stack per entry of `stackSpecs(fleet)`, each with the findings that
 * concern it. Pure composition (no file I/O): `pipeline/synth.ts` sequences load, plan, check, this, and
 * the write.
 */
import type { Construct } from 'constructs';
import { InputError } from '../io/errors';
import type { Fleet, Host, StackSpec } from '../fleet/model';
import type { Placement } from '../planner/types';
import type { VmMove } from '../planner/moves';
import type { Finding } from '../policies/finding';
import { stackSpecs } from '../fleet/stack-specs';
import { placedFleetIndex } from './fleet-index';
import { type FleetStack, HybridStack, isKvmHost, isXenHost, KvmStack, XenStack } from './fleet-stack';

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

/** Options of `buildFleetApp`. */
export interface FleetAppOptions {
  /** Key of the secret variables' fingerprints. @default - no fingerprints */
  readonly fingerprintKey?: string;
  /**
   * Moves from the placement the VMs run in (`planMoves(fleet, lock, placement)`): live and observed
   * moves re-home state (`moved` blocks) instead of destroying and creating the VM.
   * @default - none: today's destroy-and-create
   */
  readonly moves?: readonly VmMove[];
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
  const common = {
    fleet,
    placement,
    backend: spec.backend,
    findings,
    ...(options.fingerprintKey !== undefined ? { fingerprintKey: options.fingerprintKey } : {}),
    ...(options.moves !== undefined ? { moves: options.moves } : {}),
  };
  if (hosts.length > 0 && hosts.every(isKvmHost)) return new KvmStack(scope, spec.name, { ...common, hosts });
  if (hosts.length > 0 && hosts.every(isXenHost)) return new XenStack(scope, spec.name, { ...common, hosts });
  return new HybridStack(scope, spec.name, { ...common, hosts });
}

/** One stack of the fleet, added to the scope when `build` is called. */
export interface FleetStackBuilder {
  /** The stack's name (its construct id). */
  readonly name: string;
  /** VMs placed on the stack's hosts: how much there is to build and synthesize. */
  readonly vms: number;
  readonly build: () => FleetStack;
}

/**
 * One builder per entry of `stackSpecs(fleet)`, in that order, each adding its Kvm/Xen/HybridStack (by the
 * kinds of hosts it holds) with the findings that concern it. Building the stacks one at a time lets a
 * caller synthesize each and let it go before building the next (pipeline/stack-by-stack.ts). Throws
 * when a host is in no stack or in two.
 */
export function fleetStackBuilders(scope: Construct, fleet: Fleet, placement: Placement, findings: readonly Finding[], options: FleetAppOptions = {}): FleetStackBuilder[] {
  const index = placedFleetIndex(fleet, placement);
  const specs = stackSpecs(fleet);
  const problems = stackMembershipProblems(fleet);
  if (problems.length > 0) throw new InputError(problems);

  const byStack = findingsByStack(fleet, placement, findings);
  return specs.map((spec) => ({
    name: spec.name,
    vms: spec.hosts.reduce((sum, name) => sum + (index.vmsByHost.get(name)?.length ?? 0), 0),
    build: () => newStack(scope, spec, spec.hosts.map((name) => index.hosts.get(name)!), fleet, placement, byStack.get(spec.name)!, options),
  }));
}

/**
 * Adds one stack per entry of `stackSpecs(fleet)` to `scope` (the app, or a construct in it):
 * Kvm/Xen/HybridStack by the kinds of hosts it holds, each with the findings that concern it. Throws
 * when a host is in no stack or in two.
 */
export function buildFleetApp(scope: Construct, fleet: Fleet, placement: Placement, findings: readonly Finding[], options: FleetAppOptions = {}): FleetStack[] {
  return fleetStackBuilders(scope, fleet, placement, findings, options).map((builder) => builder.build());
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
