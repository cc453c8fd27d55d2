/**
 * Synthesize only what can differ. Every Terraform resource of a fleet belongs to one host (its provider
 * alias), and a host's resources are a function of: the host, the stack it is in (name and backend), the
 * VMs placed on it (in fleet order, with their effective settings, which fold in the fleet defaults,
 * images, pools' `shared` flags and migration pools' CPU baselines), the pools and networks those VMs use,
 * and the migration pools it is a member of. The only stack-level elements are the migration pools'
 * outputs (members' URIs and the planner's headroom).
 *
 * `affectedHosts` fingerprints all of that per host on both sides and returns the hosts whose fingerprint
 * differs (or that exist on one side only), closed over migration pools (every member of a pool with an
 * affected member, a changed spec or changed headroom) so that pool outputs come out whole. `reduceSide`
 * cuts a side down to those hosts and the VMs placed on them, keeping the FULL placement's decisions
 * (restricted, never re-planned). Synthesizing both reduced sides gives, for every element they contain,
 * exactly what the full syntheses contain, and every element they leave out is identical on both sides:
 * the diff is the same.
 */
import { createHash } from 'node:crypto';
import { terraformId } from '../constructs/terraform-id';
import { effectiveVm } from '../fleet/effective-vm';
import type { Fleet, Host, MigrationPool, StackSpec, Vm } from '../fleet/model';
import { Secret } from '../fleet/secret';
import type { Placement } from '../planner/types';
import { stackSpecs } from '../fleet/stack-specs';
import { fleetIndex, vmsByHost } from '../fleet/fleet-index';
import { nameRecord } from '../fleet/name-record';

/** A planned revision: the whole fleet and its whole placement. */
export interface PlannedSide {
  readonly fleet: Fleet;
  readonly placement: Placement;
}

/** JSON with secrets revealed (a changed password must change the fingerprint), for hashing only. */
function revealing(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Secret ? { secret: raw.reveal() } : value;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value, revealing)).digest('base64');
}

/** Fingerprint of everything a host's Terraform elements are built from, by host name. */
function hostFingerprints(side: PlannedSide): Map<string, string> {
  const { fleet, placement } = side;
  const index = fleetIndex(fleet);
  const hosted = vmsByHost(fleet, placement.placements);
  const stackOf = new Map<string, StackSpec>();
  for (const spec of stackSpecs(fleet)) for (const host of spec.hosts) if (!stackOf.has(host)) stackOf.set(host, spec);
  const pools = index.storagePools;
  const networks = index.networks;
  const fingerprints = new Map<string, string>();
  for (const host of fleet.hosts) {
    const memberships = index.migrationPoolsByHost.get(host.name) ?? [];
    const vms = (hosted.get(host.name) ?? []).map((vm) => effectiveVm(fleet, vm, host.hypervisor));
    const poolNames = new Set<string>();
    const networkNames = new Set<string>();
    for (const pool of memberships) if (pool.sharedStorage) poolNames.add(pool.sharedStorage);
    for (const vm of vms) {
      for (const disk of vm.disks) if (disk.pool !== undefined) poolNames.add(disk.pool);
      for (const nic of vm.nics) if (nic.network !== undefined) networkNames.add(nic.network);
    }
    const stack = stackOf.get(host.name);
    fingerprints.set(
      host.name,
      digest({
        stack: stack ? { name: stack.name, backend: stack.backend } : null,
        host,
        memberships,
        vms,
        pools: [...poolNames].sort().map((name) => [name, pools.get(name) ?? null]),
        networks: [...networkNames].sort().map((name) => [name, networks.get(name) ?? null]),
      }),
    );
  }
  return fingerprints;
}

const globals = (fleet: Fleet): string => digest({ apiVersion: fleet.apiVersion, defaults: fleet.defaults });

/**
 * Hosts whose synthesized elements may differ between `base` and `head` (either may be missing: a
 * revision without the fleet file), closed over migration-pool membership.
 */
export function affectedHosts(base: PlannedSide | undefined, head: PlannedSide | undefined): Set<string> {
  const all = new Set([...(base?.fleet.hosts ?? []), ...(head?.fleet.hosts ?? [])].map((h) => h.name));
  if (!base || !head || globals(base.fleet) !== globals(head.fleet)) return all;
  const before = hostFingerprints(base);
  const after = hostFingerprints(head);
  const affected = new Set([...all].filter((name) => before.get(name) === undefined || before.get(name) !== after.get(name)));

  // Migration pools are stack-level outputs over all members: members' URIs and the pool's headroom.
  const poolsBefore = new Map(base.fleet.migrationPools.map((p) => [p.name, p]));
  const poolsAfter = new Map(head.fleet.migrationPools.map((p) => [p.name, p]));
  const headroomBefore = new Map(base.placement.pools.map((p) => [p.name, p]));
  const headroomAfter = new Map(head.placement.pools.map((p) => [p.name, p]));
  const poolNames = [...new Set([...poolsBefore.keys(), ...poolsAfter.keys()])];
  const members = (name: string): string[] => [...(poolsBefore.get(name)?.hosts ?? []), ...(poolsAfter.get(name)?.hosts ?? [])];
  const whole = new Set(
    poolNames.filter(
      (name) => digest([poolsBefore.get(name), headroomBefore.get(name)]) !== digest([poolsAfter.get(name), headroomAfter.get(name)]),
    ),
  );
  // Pools can overlap (a host in two pools), so close until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of poolNames) {
      const hosts = members(name);
      if (!whole.has(name) && hosts.some((h) => affected.has(h))) whole.add(name);
      if (!whole.has(name)) continue;
      for (const host of hosts) {
        if (!affected.has(host)) {
          affected.add(host);
          grew = true;
        }
      }
    }
  }
  return affected;
}

function duplicates(names: Iterable<string>): boolean {
  const seen = new Set<string>();
  for (const name of names) {
    const id = terraformId(name);
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/**
 * True when a reduced synthesis of this side could differ in outcome from the full one: the full one
 * fails on something outside the reduced hosts (a host in no stack or two, a stack naming an unknown
 * host, fleet names that map to one Terraform address). The caller synthesizes the side in full then,
 * so it fails or succeeds exactly as before.
 */
export function needsFullSynthesis(side: PlannedSide): boolean {
  const { fleet, placement } = side;
  const names = new Set(fleet.hosts.map((h) => h.name));
  const stackOf = new Map<string, string>();
  for (const spec of stackSpecs(fleet)) {
    for (const host of spec.hosts) {
      if (stackOf.has(host) || !names.has(host)) return true;
      stackOf.set(host, spec.name);
    }
    if (duplicates(spec.hosts)) return true;
  }
  if (fleet.hosts.some((h) => !stackOf.has(h.name))) return true;
  if (duplicates(fleet.migrationPools.map((p) => p.name))) return true;
  for (const vms of vmsByHost(fleet, placement.placements).values()) if (duplicates(vms.map((v) => v.name))) return true;
  return false;
}

/**
 * `side` cut down to `hosts`: those hosts, the VMs the full placement put on them (fleet order kept),
 * every pool, network and image (unused ones synthesize nothing), migration pools with their member lists
 * restricted to `hosts` (kept even when empty: VMs take their CPU baseline from them), stacks with their
 * host lists restricted, and the full placement restricted to those VMs and hosts (headroom kept whole).
 */
export function reduceSide(side: PlannedSide, hosts: ReadonlySet<string>): PlannedSide {
  const { fleet, placement } = side;
  const kept = (host: string | undefined): boolean => host !== undefined && hosts.has(host);
  const vms: Vm[] = fleet.vms.filter((vm) => kept(placement.placements[vm.name]));
  const vmNames = new Set(vms.map((v) => v.name));
  const restrictHosts = <T extends { readonly hosts: readonly string[] }>(item: T): T => ({ ...item, hosts: item.hosts.filter((h) => hosts.has(h)) });
  const reducedFleet: Fleet = {
    ...fleet,
    hosts: fleet.hosts.filter((h: Host) => hosts.has(h.name)),
    vms,
    migrationPools: fleet.migrationPools.map((p: MigrationPool) => restrictHosts(p)),
    // Declared stacks stay declared (an empty `stacks` would switch to one stack per hypervisor).
    stacks: fleet.stacks.map((s) => restrictHosts(s)),
  };
  const reducedPlacement: Placement = {
    ...placement,
    placements: nameRecord(Object.entries(placement.placements).filter(([vm]) => vmNames.has(vm))),
    unplaced: [],
    moves: placement.moves.filter((m) => vmNames.has(m.vm)),
    hosts: placement.hosts.filter((h) => hosts.has(h.name)),
  };
  return { fleet: reducedFleet, placement: reducedPlacement };
}
