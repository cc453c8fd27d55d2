/**
 * From resource changes to what a reviewer asks: what happens to each VM, and which data volumes are at
 * risk. A VM is its `libvirt_domain` (matched by domain name across both sides, since the address carries
 * the host) plus the volumes and cloud-init seed the domain attaches. The domain's change
 * (`domain-change.ts`) and each volume's (`volume-change.ts`) are classified on their own and combined here.
 */
import { DOMAIN_RESTART_NOTE } from './replacement-rules';
import { restartsVm } from './budget';
import { describeAttributes } from './describe-attributes';
import { classifyDomain } from './domain-change';
import type { ResourceChange } from './resource-diff';
import { hostName, lookup, ownedKeys, resolverFor, volumeLabel, type ReviewSide, type SideLookup } from './side-lookup';
import { compareText, type TfResource } from './terraform-json';
import type { DataLoss, OtherResourceChange, VmChange, VmChangeKind } from './types';
import { classifyVolume } from './volume-change';

export type { ReviewSide };

const KIND_RANK: Readonly<Record<VmChangeKind, number>> = { update: 0, restart: 1, replace: 2, move: 3, create: 4, destroy: 4 };

function worse(a: VmChangeKind, b: VmChangeKind): VmChangeKind {
  return KIND_RANK[b] > KIND_RANK[a] ? b : a;
}

export interface VmClassification {
  readonly vms: VmChange[];
  readonly dataLoss: DataLoss[];
  readonly resources: OtherResourceChange[];
}

/** The change of one VM (or none), the data it puts at risk, and the resource keys it accounts for. */
function classifyVm(
  vm: string,
  base: SideLookup,
  head: SideLookup,
  byKey: ReadonlyMap<string, ResourceChange>,
  movedTo: ReadonlySet<string>,
): { change?: VmChange; dataLoss: DataLoss[]; claimed: string[] } {
  const before = base.side.index.domainsByVm.get(vm);
  const after = head.side.index.domainsByVm.get(vm);
  const baseOwned = ownedKeys(base, before, vm);
  const headOwned = ownedKeys(head, after, vm);
  const claimed = [...baseOwned, ...headOwned, ...(before ? [before.key] : []), ...(after ? [after.key] : [])];
  const domain = classifyDomain(base, head, vm, byKey);
  const reasons = [...domain.reasons];
  const dataLoss: DataLoss[] = [];
  let kind = domain.kind;
  // Volumes and seed disks of the VM, on both sides.
  for (const key of [...new Set([...baseOwned, ...headOwned])].sort()) {
    const change = byKey.get(key);
    if (!change) continue;
    // A live move's volumes move in state (`moved`): the old address goes, the new one comes, nothing is lost.
    if (domain.migration?.mode === 'live' && (head.side.index.stateMoves?.moved.has(key) || movedTo.has(key))) continue;
    const volume = classifyVolume(change, vm, domain, base, head);
    reasons.push(...volume.reasons);
    if (kind !== 'create' && kind !== 'destroy' && kind !== 'move') kind = kind ? worse(kind, volume.escalation) : volume.escalation;
    if (volume.dataLoss) {
      const { reason, blocked } = volume.dataLoss;
      dataLoss.push({ vm, volume: volumeLabel(volume.resource), reason, address: volume.resource.address, blocked });
    }
  }
  if (!kind) return { dataLoss, claimed };
  if (kind === 'restart' && after?.config.running === true) reasons.push(`restart: ${DOMAIN_RESTART_NOTE}`);
  const host = after ? hostName(head, after) : hostName(base, before as TfResource);
  const change: VmChange = {
    vm,
    change: kind,
    ...(domain.from !== undefined ? { from: domain.from } : {}),
    ...(domain.to !== undefined ? { to: domain.to } : {}),
    host,
    ...(domain.migration ? { migration: domain.migration.mode } : {}),
    ...(domain.migration?.command !== undefined ? { command: domain.migration.command } : {}),
    restarts: restartsVm({ change: kind, ...(domain.migration ? { migration: domain.migration.mode } : {}) }),
    reasons,
  };
  return { change, dataLoss, claimed };
}

export function classifyVms(changes: readonly ResourceChange[], baseSide: ReviewSide, headSide: ReviewSide): VmClassification {
  const base = lookup(baseSide);
  const head = lookup(headSide);
  const byKey = new Map(changes.map((c) => [c.key, c]));
  const movedTo = new Set(headSide.index.stateMoves?.moved.values() ?? []);
  const claimed = new Set<string>();
  const vms: VmChange[] = [];
  const dataLoss: DataLoss[] = [];
  const names = [...new Set([...baseSide.index.domainsByVm.keys(), ...headSide.index.domainsByVm.keys()])].sort();
  for (const vm of names) {
    const outcome = classifyVm(vm, base, head, byKey, movedTo);
    for (const key of outcome.claimed) claimed.add(key);
    dataLoss.push(...outcome.dataLoss);
    if (outcome.change) vms.push(outcome.change);
  }
  const resources: OtherResourceChange[] = [];
  for (const change of changes) {
    if (claimed.has(change.key)) continue;
    const resource = (change.after ?? change.before) as TfResource;
    const reasons =
      change.action === 'create'
        ? ['created']
        : change.action === 'delete'
          ? ['destroyed']
          : describeAttributes(
              '',
              change.attributes,
              resolverFor(baseSide.index, resource.stack),
              resolverFor(headSide.index, resource.stack),
            );
    resources.push({
      address: change.address,
      stack: resource.stack,
      action: change.action,
      ...(change.effect ? { effect: change.effect } : {}),
      reasons,
    });
  }
  dataLoss.sort((a, b) => Number(a.blocked) - Number(b.blocked) || compareText(a.vm, b.vm) || compareText(a.volume, b.volume));
  return { vms, dataLoss, resources };
}
