/**
 * Move, don't replace: for every VM whose planned host differs from the host it runs on (the lock file's
 * placement, or what `reconcile` observed), whether Terraform can simply re-home its state after a live
 * migration — the domain keeps running, nothing is destroyed or created — or must take today's offline
 * path (destroy on the old host, create on the new one). Pure: data in, data out.
 */
import type { Fleet, Host } from '../fleet/model';
import { stackSpecs } from '../fleet/stack-specs';
import { liveMigration, migrateCommand } from './drain';
import type { Lock } from './lock';
import type { Placement } from './types';

interface MoveEnds {
  readonly vm: string;
  /** The host the domain runs on before the move (the lock file's placement). */
  readonly from: string;
  /** The host the plan puts it on. */
  readonly to: string;
}

/** Migrate with `command` before `terraform apply`; apply then only re-homes the state (no restart). */
export interface LiveMove extends MoveEnds {
  readonly mode: 'live';
  /** The domain's UUID, when the lock file records it (the state carries it anyway). */
  readonly uuid?: string;
  /** `virsh -c <from> migrate --live --persistent --undefinesource …`, as `drain` prints it. */
  readonly command: string;
  /**
   * Commands to run on the new host after the migration: `virsh -c <to> autostart <vm>` for a VM that
   * starts with its host. Autostart is the host's setting, not part of the domain XML (libvirt
   * formatdomain has no such element; `virsh autostart` sets it), so the definition the migration
   * leaves on the new host does not carry it, and Terraform would plan an update (measured end to end).
   */
  readonly afterwards: readonly string[];
}

/** The domain already runs on `to` (found there by `reconcile`): apply only re-homes the state. */
export interface ObservedMove extends MoveEnds {
  readonly mode: 'observed';
  /** The UUID `reconcile` read on `to`. */
  readonly uuid?: string;
}

/** Today's path: destroyed on `from`, created on `to`; the guest restarts and local data stays behind. */
export interface OfflineMove extends MoveEnds {
  readonly mode: 'offline';
  readonly reason: string;
}

export type VmMove = LiveMove | ObservedMove | OfflineMove;

/** A move whose state Terraform re-homes (`moved` blocks from the old host's addresses to the new one's). */
export type StateMove = LiveMove | ObservedMove;

export const isStateMove = (move: VmMove): move is StateMove => move.mode !== 'offline';

/** Whether the guest restarts: only an offline move shuts it down. */
export const moveRestarts = (move: VmMove): boolean => move.mode === 'offline';

export interface MovePlanOptions {
  /**
   * VMs already running on their planned host (observed by `reconcile`): no migration, only the state
   * moves. @default - none: every move needs a migration
   */
  readonly observed?: ReadonlySet<string>;
}

/**
 * Why the state of a VM cannot follow it from `source` to `target` even though libvirt can migrate it,
 * or undefined. State moves by `moved` blocks, which work inside one state only; each stack keeps its
 * own. Across stacks a `removed` + `import` pair would be needed, but provider 0.9.7 cannot import
 * volumes (its ImportState sets `id` while Read looks a volume up by `key`:
 * internal/provider/volume_resource.go), and an imported domain's state is filled from libvirt's XML, so
 * the next apply rewrites the domain (measured: test/e2e/moves.test.ts).
 */
function stateBlocker(stackOfHost: ReadonlyMap<string, string>, source: Host, target: Host): string | undefined {
  const from = stackOfHost.get(source.name);
  const to = stackOfHost.get(target.name);
  if (from === to) return undefined;
  return `${source.name} (stack ${from ?? '?'}) and ${target.name} (stack ${to ?? '?'}) keep their state apart, and provider 0.9.7 cannot import the VM's volumes into another state`;
}

/**
 * The moves from `current` (the placement the VMs run in: the lock file) to `planned`, in VM order.
 * A VM new to `planned`, or gone from it, is no move.
 */
export function planMoves(fleet: Fleet, current: Lock | undefined, planned: Pick<Placement, 'placements'>, options: MovePlanOptions = {}): VmMove[] {
  if (!current) return [];
  const hosts = new Map(fleet.hosts.map((h) => [h.name, h]));
  const vms = new Map(fleet.vms.map((v) => [v.name, v]));
  const stackOfHost = new Map(stackSpecs(fleet).flatMap((s) => s.hosts.map((h) => [h, s.name] as const)));
  const moves: VmMove[] = [];
  for (const vmName of Object.keys(planned.placements).sort()) {
    const to = planned.placements[vmName]!;
    const from = current.placements[vmName];
    if (from === undefined || from === to) continue;
    const ends = { vm: vmName, from, to };
    const offline = (reason: string): OfflineMove => ({ ...ends, mode: 'offline', reason });
    const source = hosts.get(from);
    const target = hosts.get(to)!;
    const vm = vms.get(vmName)!;
    if (!source) {
      moves.push(offline(`${from} is no longer in the fleet, so there is no connection to migrate from or provider to release its state`));
      continue;
    }
    const uuid = current.uuids?.[vmName];
    const observed = options.observed?.has(vmName) === true;
    const migration = liveMigration(fleet, vm, source, target);
    const blocker = (!observed && !migration.ok ? migration.reason : undefined) ?? stateBlocker(stackOfHost, source, target);
    const known = uuid !== undefined ? { uuid } : {};
    if (blocker !== undefined) moves.push(offline(blocker));
    else if (observed) moves.push({ ...ends, mode: 'observed', ...known });
    else if (migration.ok) {
      const afterwards = vm.autostart ? [`virsh -c ${target.uri} autostart ${vmName}`] : [];
      moves.push({ ...ends, mode: 'live', ...known, command: migrateCommand(vmName, source.uri, target.uri, migration), afterwards });
    }
  }
  return moves;
}

/** The migration script of one stack: the live moves landing on its hosts, in VM order. Same moves, same bytes. */
export function migrationScript(stack: string, moves: readonly VmMove[], stackHosts: ReadonlySet<string>): string | undefined {
  const live = moves.filter((m): m is LiveMove => m.mode === 'live' && stackHosts.has(m.to)).sort((a, b) => (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0));
  if (live.length === 0) return undefined;
  const lines = [
    '#!/bin/sh',
    `# Live migrations of stack ${stack}, written by hyperplan synth --moves live.`,
    '# Run before `terraform apply`: apply then only moves each domain\'s state to its new host',
    '# (`moved` blocks: read there by UUID) and creates and destroys nothing.',
    'set -eu',
  ];
  for (const move of live) lines.push('', `# ${move.vm}: ${move.from} -> ${move.to}${move.uuid !== undefined ? ` (domain ${move.uuid})` : ''}`, move.command, ...move.afterwards);
  return `${lines.join('\n')}\n`;
}
