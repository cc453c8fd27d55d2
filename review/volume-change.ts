/**
 * What a change to one of a VM's volumes (OS disk, data disk, cloud-init seed) means for the VM, and
 * when it destroys data. The data-loss reasons are one table, keyed by cause.
 */
import { describeAttributes } from './describe-attributes';
import type { DomainOutcome } from './domain-change';
import type { ResourceChange } from './resource-diff';
import { resolverFor, volumeLabel, volumeRole, type SideLookup, type VolumeRole } from './side-lookup';
import type { TfResource } from './terraform-json';
import type { VmChangeKind } from './types';

const PREVENT_DESTROY_GONE = 'removed from the configuration, so prevent_destroy does not stop it';

/** Why a data volume's data is lost (or would be), by cause; `blocked` when Terraform refuses to apply. */
export const DATA_LOSS_REASONS = {
  /** The data disk's VM moves host: its volume is destroyed on the old host and created empty on the new. */
  movedAway: (domain: DomainOutcome) => ({
    reason:
      `moved to ${domain.to}: the volume on ${domain.from} is destroyed and an empty one created on ${domain.to}` +
      `${domain.migration?.mode === 'live' ? ' unless moved in state after live migration (see the move)' : ''}; ${PREVENT_DESTROY_GONE}`,
    blocked: false,
  }),
  destroyedWithVm: () => ({ reason: `the VM is destroyed with its volumes; ${PREVENT_DESTROY_GONE}`, blocked: false }),
  removedFromVm: () => ({ reason: `the disk is removed from the VM and destroyed; ${PREVENT_DESTROY_GONE}`, blocked: false }),
  /** The provider cannot update the attribute in place: apply fails, and forcing it replaces the volume. */
  unsupported: (protectedNow: boolean) => ({
    reason: `the provider cannot change it in place: apply fails${protectedNow ? '' : '; forcing it with -replace destroys the data'}`,
    blocked: true,
  }),
  replacedButProtected: () => ({
    reason: 'replaced, but prevent_destroy is set: terraform will refuse (blocked) until the change is reverted or the data is copied',
    blocked: true,
  }),
  replaced: () => ({ reason: 'replaced: the volume is destroyed and created empty', blocked: false }),
} as const satisfies Record<string, (...args: never[]) => { reason: string; blocked: boolean }>;

/** What one volume change adds to its VM's change. */
export interface VolumeOutcome {
  readonly reasons: readonly string[];
  /** How far the change escalates the VM (unless its domain is created, destroyed or moved). */
  readonly escalation: VmChangeKind;
  readonly resource: TfResource;
  readonly dataLoss?: { readonly reason: string; readonly blocked: boolean };
}

const ROLE_LABEL: Readonly<Record<VolumeRole, string>> = { seed: 'cloud-init ', data: 'data disk ', os: 'OS disk ' };

function removed(label: string, role: VolumeRole, domain: DomainOutcome, resource: TfResource): VolumeOutcome {
  const kind = domain.kind;
  const lost =
    role !== 'data'
      ? undefined
      : kind === 'move'
        ? DATA_LOSS_REASONS.movedAway(domain)
        : kind === 'destroy'
          ? DATA_LOSS_REASONS.destroyedWithVm()
          : DATA_LOSS_REASONS.removedFromVm();
  return {
    reasons: kind !== 'destroy' && kind !== 'move' ? [`${label} removed`] : [],
    escalation: role === 'seed' ? 'update' : 'restart',
    resource,
    ...(lost ? { dataLoss: lost } : {}),
  };
}

function changed(
  label: string,
  role: VolumeRole,
  change: ResourceChange,
  base: SideLookup,
  head: SideLookup,
  resource: TfResource,
): VolumeOutcome {
  const reasons = describeAttributes(
    `${label}: `,
    change.attributes,
    resolverFor(base.side.index, resource.stack),
    resolverFor(head.side.index, resource.stack),
  );
  const replaced = change.effect === 'replace' || change.effect === 'unsupported';
  const escalation: VmChangeKind =
    role === 'seed' ? 'update' : role === 'os' && replaced ? 'replace' : change.effect === 'update' ? 'update' : 'restart';
  if (role !== 'data' || !replaced) return { reasons, escalation, resource };
  const protectedNow = change.after?.preventDestroy === true;
  const lost =
    change.effect === 'unsupported'
      ? DATA_LOSS_REASONS.unsupported(protectedNow)
      : protectedNow
        ? DATA_LOSS_REASONS.replacedButProtected()
        : DATA_LOSS_REASONS.replaced();
  return { reasons, escalation, resource, dataLoss: lost };
}

/** What the change of one of `vm`'s volumes means, given what happens to its domain. */
export function classifyVolume(
  change: ResourceChange,
  vm: string,
  domain: DomainOutcome,
  base: SideLookup,
  head: SideLookup,
): VolumeOutcome {
  const resource = (change.before ?? change.after) as TfResource;
  const role = volumeRole(change.before ? base : head, vm, resource);
  const label = `${ROLE_LABEL[role]}${volumeLabel(resource)}`;
  if (change.action === 'create') {
    const reasons = domain.kind !== 'create' && domain.kind !== 'move' ? [`${label} added`] : [];
    return { reasons, escalation: role === 'seed' ? 'update' : 'restart', resource };
  }
  if (change.action === 'delete') return removed(label, role, domain, resource);
  return changed(label, role, change, base, head, resource);
}
