/**
 * What happens to a VM's domain between the two sides: created, destroyed, moved to another host (with
 * live-migration advice), replaced under a new address, or changed in place.
 */
import { liveMigration, migrateCommand } from '../planner/drain';
import { describeAttributes } from './describe-attributes';
import type { ResourceChange } from './resource-diff';
import { classifyAttributes } from './resource-diff';
import { hostName, hostUri, resolverFor, type SideLookup } from './side-lookup';
import type { TfResource } from './terraform-json';
import type { VmChangeKind } from './types';

function domainKind(change: ResourceChange | undefined): VmChangeKind | undefined {
  if (!change || change.action !== 'change') return undefined;
  return change.effect === 'replace' ? 'replace' : change.effect === 'restart' ? 'restart' : 'update';
}

export interface MigrationAdvice {
  readonly mode: 'live' | 'offline';
  /** The live-migration command, when libvirt can live-migrate the VM between the two hosts. */
  readonly command?: string;
  readonly text: string;
}

/**
 * A move is live (no restart) when the head declares its state move — a `moved` block from the old
 * domain's address to the new one (`synth --moves live`, `reconcile`), or the domain `import`ed on the new
 * host and `removed` without destroy on the old one — so apply follows a migration instead of destroying
 * and creating the VM. Whether libvirt could live-migrate it, and the command, come from the planner's
 * rules (planner/drain.ts `liveMigration`), the ones `drain` uses.
 */
function migrationAdvice(base: SideLookup, head: SideLookup, vm: string, from: TfResource, to: TfResource): MigrationAdvice {
  const fromHost = hostName(base, from);
  const toHost = hostName(head, to);
  const fleet = head.side.fleet;
  const spec = head.vms.get(vm) ?? base.vms.get(vm);
  const source = fleet?.hosts.find((h) => h.name === fromHost) ?? base.side.fleet?.hosts.find((h) => h.name === fromHost);
  const target = fleet?.hosts.find((h) => h.name === toHost);
  const live = fleet && spec && source && target ? liveMigration(fleet, spec, source, target) : undefined;
  const command = live?.ok ? migrateCommand(vm, hostUri(base, from), hostUri(head, to), live) : undefined;
  const moves = head.side.index.stateMoves;
  const declared = moves?.moved.get(from.key) === to.key || (moves?.imported.has(to.key) === true && moves.forgotten.has(from.key));
  if (declared) {
    return {
      mode: 'live',
      ...(command !== undefined ? { command } : {}),
      text:
        `live move (no restart): before terraform apply run ${command ?? 'the live migration'} (migrate.sh of stack ${to.stack}); ` +
        `apply then moves its state from ${fromHost} to ${toHost}, where Terraform reads the domain by UUID: nothing is destroyed or created`,
    };
  }
  const why =
    live === undefined
      ? 'the fleet does not say whether it can live-migrate'
      : !live.ok
        ? live.reason
        : `it can live-migrate (${command}) but this synthesis does not move its state; synthesize with \`--moves live\` ` +
          '(its domain UUID in the lock file: `hyperplan reconcile --from …`) to move it without a restart';
  return {
    mode: 'offline',
    ...(command !== undefined ? { command } : {}),
    text: `offline move: ${why}; destroyed on ${fromHost} and recreated on ${toHost} (the guest restarts); data disks on local pools are lost unless copied`,
  };
}

/** The domain's side of a VM change; volumes may add to it (`classifyVolume`). */
export interface DomainOutcome {
  readonly kind?: VmChangeKind;
  readonly from?: string;
  readonly to?: string;
  readonly migration?: MigrationAdvice;
  readonly reasons: readonly string[];
}

/** A VM whose domain exists on the head side only: new, or placed now after being unplaced. */
function created(base: SideLookup, head: SideLookup, vm: string, after: TfResource): DomainOutcome {
  const wasUnplaced = base.vms.has(vm);
  return {
    kind: 'create',
    reasons: [wasUnplaced ? `now placed on ${hostName(head, after)} (could not be placed before)` : `new VM on ${hostName(head, after)}`],
  };
}

/** A VM whose domain exists on the base side only: removed, unplaceable now, or its host removed. */
function destroyed(base: SideLookup, head: SideLookup, vm: string, before: TfResource): DomainOutcome {
  const headSide = head.side;
  const reasons: string[] = [];
  const baseHost = hostName(base, before);
  const unplaced = head.unplaced.get(vm);
  if (headSide.fleet && !head.vms.has(vm)) reasons.push('removed from the fleet');
  else if (unplaced)
    reasons.push(
      `no host can take it any more: ${
        Object.entries(unplaced.reasons)
          .map(([h, why]) => `${h}: ${why}`)
          .join('; ') || 'no candidate hosts'
      }`,
    );
  else reasons.push('no longer synthesized');
  if (headSide.fleet && !head.hostNames.has(baseHost)) reasons.push(`its host ${baseHost} is removed`);
  return { kind: 'destroy', reasons };
}

/** A VM on another host: the move, how to migrate, and what else changes on the domain. */
function moved(base: SideLookup, head: SideLookup, vm: string, before: TfResource, after: TfResource): DomainOutcome {
  const from = hostName(base, before);
  const to = hostName(head, after);
  const migration = migrationAdvice(base, head, vm, before, after);
  const why = head.moveReasons.get(vm);
  const reasons = [`moved from ${from} to ${to}${why ? `: ${why}` : ''}`, migration.text];
  if (before.key === after.key) {
    reasons.push(
      'same Terraform address, new provider: Terraform creates the domain on the new host and forgets the old one without destroying it; ' +
        'shut it down by hand or migrate first',
    );
  }
  // References name host-scoped resources (`kvm_1_…` → `kvm_2_…`): they differ on every move.
  const drift = classifyAttributes('libvirt_domain', before.config, after.config, after.config.running === true).filter(
    (a) => !(typeof a.before === 'string' && a.before.includes('${') && typeof a.after === 'string' && a.after.includes('${')),
  );
  reasons.push(...describeAttributes('also ', drift));
  return { kind: 'move', from, to, migration, reasons };
}

/** What happens to the domain of `vm` (either side may lack it). */
export function classifyDomain(base: SideLookup, head: SideLookup, vm: string, byKey: ReadonlyMap<string, ResourceChange>): DomainOutcome {
  const before = base.side.index.domainsByVm.get(vm);
  const after = head.side.index.domainsByVm.get(vm);
  if (!before && after) return created(base, head, vm, after);
  if (before && !after) return destroyed(base, head, vm, before);
  if (!before || !after) return { reasons: [] };
  if (hostName(base, before) !== hostName(head, after)) return moved(base, head, vm, before, after);
  if (before.key !== after.key) {
    return {
      kind: 'replace',
      reasons: [
        `the Terraform address changes from ${before.key} to ${after.key}: ` +
          'destroyed and recreated unless moved in state (`terraform state mv`) first',
      ],
    };
  }
  const change = byKey.get(after.key);
  const kind = domainKind(change);
  const reasons = change
    ? describeAttributes('', change.attributes, resolverFor(base.side.index, before.stack), resolverFor(head.side.index, after.stack))
    : [];
  return { ...(kind ? { kind } : {}), reasons };
}
