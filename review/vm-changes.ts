/**
 * From resource changes to what a reviewer asks: what happens to each VM, and which data volumes are at
 * risk. A VM is its `libvirt_domain` (matched by domain name across both sides, since the address carries
 * the host) plus the volumes and cloud-init seed the domain attaches.
 */
import type { Fleet, Host, Vm } from '../fleet/model';
import { liveMigration, migrateCommand } from '../planner/drain';
import type { Placement } from '../planner/types';
import { terraformId } from '../constructs/terraform-id';
import { DOMAIN_RESTART_NOTE } from './replacement-rules';
import { describeHidden } from './secret-values';
import type { AttributeChange, ResourceChange } from './resource-diff';
import { classifyAttributes } from './resource-diff';
import { compareText, resourceKey, type Json, type ResourceIndex, type TfResource } from './terraform-json';
import type { DataLoss, OtherResourceChange, VmChange, VmChangeKind } from './types';

/** One side of the review: its resources and, when it came from a fleet, the fleet and its placement. */
export interface ReviewSide {
  readonly index: ResourceIndex;
  readonly fleet?: Fleet;
  readonly placement?: Placement;
}

const KIND_RANK: Readonly<Record<VmChangeKind, number>> = { update: 0, restart: 1, replace: 2, move: 3, create: 4, destroy: 4 };
/** Reasons per resource beyond which the rest is counted, so one sweeping change stays readable. */
const MAX_ATTRIBUTE_REASONS = 6;
const BYTES_PER_GIB = 1024 ** 3;
/** Volume address suffix of the VirtualMachine construct: `<host>_<vm>_disk<index>`. */
const DISK_INDEX = /_disk(\d+)$/;
/** Name of the cloud-init seed disk the CloudInit construct gives a VM. */
const seedName = (vm: string): string => `${vm}-cloudinit`;

function worse(a: VmChangeKind, b: VmChangeKind): VmChangeKind {
  return KIND_RANK[b] > KIND_RANK[a] ? b : a;
}

interface SideLookup {
  readonly side: ReviewSide;
  readonly hosts: ReadonlyMap<string, Host>;
  readonly vms: ReadonlyMap<string, Vm>;
  readonly seeds: ReadonlyMap<string, TfResource>;
}

function lookup(side: ReviewSide): SideLookup {
  const seeds = new Map<string, TfResource>();
  for (const resource of side.index.resources.values()) {
    if (resource.type === 'libvirt_cloudinit_disk' && typeof resource.config.name === 'string') seeds.set(resource.config.name, resource);
  }
  return {
    side,
    hosts: new Map((side.fleet?.hosts ?? []).map((h) => [terraformId(h.name), h])),
    vms: new Map((side.fleet?.vms ?? []).map((v) => [v.name, v])),
    seeds,
  };
}

/** Fleet host name behind a resource's provider alias; the alias itself when there is no fleet. */
function hostName(look: SideLookup, resource: TfResource): string {
  const alias = resource.providerAlias;
  if (alias === undefined) return resource.stack;
  return look.hosts.get(alias)?.name ?? alias;
}

function hostUri(look: SideLookup, resource: TfResource): string {
  return resource.providerUri ?? look.hosts.get(resource.providerAlias ?? '')?.uri ?? `<uri of ${hostName(look, resource)}>`;
}

/** Keys of the volumes and seed disks a domain attaches (directly, or through its seed volume). */
function ownedKeys(look: SideLookup, domain: TfResource | undefined, vm: string): string[] {
  if (!domain) return [];
  const { resources } = look.side.index;
  const owned: string[] = [];
  for (const key of domain.references) {
    const target = resources.get(key);
    if (target?.type !== 'libvirt_volume') continue;
    owned.push(key);
    for (const inner of target.references) if (resources.get(inner)?.type === 'libvirt_cloudinit_disk') owned.push(inner);
  }
  const seed = look.seeds.get(seedName(vm));
  if (seed && !owned.includes(seed.key)) owned.push(seed.key);
  return owned;
}

type VolumeRole = 'os' | 'data' | 'seed';

/**
 * Role of a volume: the seed refers to a cloud-init disk; a data disk is flagged `data` in the fleet, and
 * without a fleet, is protected by prevent_destroy or (the VirtualMachine construct's convention) is a
 * disk after the first that is not made from an image.
 */
function volumeRole(look: SideLookup, vm: string, volume: TfResource): VolumeRole {
  if (volume.type === 'libvirt_cloudinit_disk') return 'seed';
  if (volume.references.some((key) => look.side.index.resources.get(key)?.type === 'libvirt_cloudinit_disk')) return 'seed';
  if (volume.preventDestroy) return 'data';
  const index = Number(DISK_INDEX.exec(volume.name)?.[1] ?? Number.NaN);
  const disk = look.vms.get(vm)?.disks[index];
  if (disk) return disk.data ? 'data' : 'os';
  if (typeof volume.config.name === 'string' && volume.config.name.endsWith('-cloudinit.iso')) return 'seed';
  const fromImage = volume.config.backing_store !== undefined || volume.config.create !== undefined;
  return index > 0 && !fromImage ? 'data' : 'os';
}

/** `${libvirt_pool.kvm_1_pool_shared.name}` alone in a string: a reference a reader wants resolved. */
const WHOLE_REFERENCE = /^\$\{([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)\.([a-z_]+)\}$/;

/** Maps a reference to the literal it stands for on that side, when the referenced argument is a literal. */
export type Resolver = (value: Json | undefined) => Json | undefined;

function resolverFor(index: ResourceIndex, stack: string): Resolver {
  const resolve: Resolver = (value) => {
    if (typeof value !== 'string') return value;
    const match = WHOLE_REFERENCE.exec(value);
    if (!match) return value;
    const literal = index.resources.get(resourceKey(stack, match[1] as string))?.config[match[2] as string];
    return typeof literal === 'string' && !literal.includes('${') ? literal : typeof literal === 'number' ? literal : value;
  };
  return resolve;
}

const identity: Resolver = (value) => value;

function formatValue(path: string, value: unknown, via: string | undefined): string {
  if (via) return `(known after apply: ${via} is replaced)`;
  if (value === undefined) return '(unset)';
  if (typeof value === 'number' && /capacity$/.test(path) && value >= BYTES_PER_GIB) return `${+(value / BYTES_PER_GIB).toFixed(2)} GiB`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? '[…]' : '{…}';
  return String(value);
}

function digestOf(value: Json | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** One line per changed attribute: `memory: 8192 → 16384 (restart: why)`; hidden values as their digests. */
export function describeAttributes(
  label: string,
  attributes: readonly AttributeChange[],
  resolveBefore: Resolver = identity,
  resolveAfter: Resolver = identity,
): string[] {
  const lines = attributes.slice(0, MAX_ATTRIBUTE_REASONS).map((a) => {
    if (a.hidden) {
      const values = a.via ? `${formatValue(a.path, undefined, a.via)} (content hidden)` : describeHidden(digestOf(a.before), digestOf(a.after));
      return `${label}${a.path}: ${values} (${a.effect}: ${a.why})`;
    }
    const before = resolveBefore(a.before);
    const after = resolveAfter(a.after);
    const values = a.via
      ? formatValue(a.path, undefined, a.via)
      : before === undefined
        ? `added ${formatValue(a.path, after, undefined)}`
        : after === undefined
          ? `removed (was ${formatValue(a.path, before, undefined)})`
          : `${formatValue(a.path, before, undefined)} → ${formatValue(a.path, after, undefined)}`;
    return `${label}${a.path}: ${values} (${a.effect}: ${a.why})`;
  });
  if (attributes.length > MAX_ATTRIBUTE_REASONS) lines.push(`${label}… and ${attributes.length - MAX_ATTRIBUTE_REASONS} more attribute changes`);
  return lines;
}

function domainKind(change: ResourceChange | undefined): VmChangeKind | undefined {
  if (!change || change.action !== 'change') return undefined;
  return change.effect === 'replace' ? 'replace' : change.effect === 'restart' ? 'restart' : 'update';
}

function volumeLabel(resource: TfResource): string {
  return typeof resource.config.name === 'string' ? resource.config.name : resource.address;
}

interface MigrationAdvice {
  readonly mode: 'live' | 'offline';
  /** The live-migration command, when libvirt can live-migrate the VM between the two hosts. */
  readonly command?: string;
  readonly text: string;
}

/**
 * A move is live (no restart) when the head declares its state move — a `moved` block from the old
 * domain's address to the new one (`synth --moves live`, `reconcile`), or the domain `import`ed on the new
 * host and `removed` without destroy on the old one — so apply follows a migration instead of destroying
 * and creating the VM. Whether libvirt could live-migrate it, and the
 * command, come from the planner's rules (planner/drain.ts `liveMigration`), the ones `drain` uses.
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
    live === undefined ? 'the fleet does not say whether it can live-migrate'
    : !live.ok ? live.reason
    : `it can live-migrate (${command}) but this synthesis does not move its state; synthesize with \`--moves live\` (its domain UUID in the lock file: \`hyperplan reconcile --from …\`) to move it without a restart`;
  return {
    mode: 'offline',
    ...(command !== undefined ? { command } : {}),
    text: `offline move: ${why}; destroyed on ${fromHost} and recreated on ${toHost} (the guest restarts); data disks on local pools are lost unless copied`,
  };
}

export interface VmClassification {
  readonly vms: VmChange[];
  readonly dataLoss: DataLoss[];
  readonly resources: OtherResourceChange[];
}

export function classifyVms(changes: readonly ResourceChange[], baseSide: ReviewSide, headSide: ReviewSide): VmClassification {
  const base = lookup(baseSide);
  const head = lookup(headSide);
  const byKey = new Map(changes.map((c) => [c.key, c]));
  const claimed = new Set<string>();
  const vms: VmChange[] = [];
  const dataLoss: DataLoss[] = [];
  const names = [...new Set([...baseSide.index.domainsByVm.keys(), ...headSide.index.domainsByVm.keys()])].sort();
  const moveReasons = new Map((headSide.placement?.moves ?? []).map((m) => [m.vm, m.reason]));
  const unplacedInHead = new Map((headSide.placement?.unplaced ?? []).map((u) => [u.vm, u]));
  const headHostNames = new Set((headSide.fleet?.hosts ?? []).map((h) => h.name));
  const movedTo = new Set(headSide.index.stateMoves?.moved.values() ?? []);

  for (const vm of names) {
    const before = baseSide.index.domainsByVm.get(vm);
    const after = headSide.index.domainsByVm.get(vm);
    const baseOwned = ownedKeys(base, before, vm);
    const headOwned = ownedKeys(head, after, vm);
    for (const key of [...baseOwned, ...headOwned]) claimed.add(key);
    if (before) claimed.add(before.key);
    if (after) claimed.add(after.key);

    const reasons: string[] = [];
    let kind: VmChangeKind | undefined;
    let from: string | undefined;
    let to: string | undefined;
    let migration: MigrationAdvice | undefined;

    if (!before && after) {
      kind = 'create';
      const wasUnplaced = base.vms.has(vm);
      reasons.push(wasUnplaced ? `now placed on ${hostName(head, after)} (could not be placed before)` : `new VM on ${hostName(head, after)}`);
    } else if (before && !after) {
      kind = 'destroy';
      const baseHost = hostName(base, before);
      const unplaced = unplacedInHead.get(vm);
      if (headSide.fleet && !head.vms.has(vm)) reasons.push('removed from the fleet');
      else if (unplaced) reasons.push(`no host can take it any more: ${Object.entries(unplaced.reasons).map(([h, why]) => `${h}: ${why}`).join('; ') || 'no candidate hosts'}`);
      else reasons.push('no longer synthesized');
      if (headSide.fleet && !headHostNames.has(baseHost)) reasons.push(`its host ${baseHost} is removed`);
    } else if (before && after) {
      const fromHost = hostName(base, before);
      const toHost = hostName(head, after);
      if (fromHost !== toHost) {
        kind = 'move';
        from = fromHost;
        to = toHost;
        migration = migrationAdvice(base, head, vm, before, after);
        const why = moveReasons.get(vm);
        reasons.push(`moved from ${fromHost} to ${toHost}${why ? `: ${why}` : ''}`, migration.text);
        if (before.key === after.key) {
          reasons.push('same Terraform address, new provider: Terraform creates the domain on the new host and forgets the old one without destroying it; shut it down by hand or migrate first');
        }
        // References name host-scoped resources (`kvm_1_…` → `kvm_2_…`): they differ on every move.
        const drift = classifyAttributes('libvirt_domain', before.config, after.config, after.config.running === true).filter(
          (a) => !(typeof a.before === 'string' && a.before.includes('${') && typeof a.after === 'string' && a.after.includes('${')),
        );
        reasons.push(...describeAttributes('also ', drift));
      } else if (before.key !== after.key) {
        kind = 'replace';
        reasons.push(`the Terraform address changes from ${before.key} to ${after.key}: destroyed and recreated unless moved in state (\`terraform state mv\`) first`);
      } else {
        const change = byKey.get(after.key);
        kind = domainKind(change);
        if (change) reasons.push(...describeAttributes('', change.attributes, resolverFor(baseSide.index, before.stack), resolverFor(headSide.index, after.stack)));
      }
    }

    // Volumes and seed disks of the VM, on both sides.
    for (const key of [...new Set([...baseOwned, ...headOwned])].sort()) {
      const change = byKey.get(key);
      if (!change) continue;
      // A live move's volumes move in state (`moved`): the old address goes, the new one comes, nothing is lost.
      if (migration?.mode === 'live' && (headSide.index.stateMoves?.moved.has(key) || movedTo.has(key))) continue;
      const resource = (change.before ?? change.after) as TfResource;
      const look = change.before ? base : head;
      const role = volumeRole(look, vm, resource);
      const label = `${role === 'seed' ? 'cloud-init ' : role === 'data' ? 'data disk ' : 'OS disk '}${volumeLabel(resource)}`;
      const bump = (k: VmChangeKind): void => {
        if (kind !== 'create' && kind !== 'destroy' && kind !== 'move') kind = kind ? worse(kind, k) : k;
      };
      if (change.action === 'create') {
        if (kind !== 'create' && kind !== 'move') reasons.push(`${label} added`);
        bump(role === 'seed' ? 'update' : 'restart');
        continue;
      }
      if (change.action === 'delete') {
        if (kind !== 'destroy' && kind !== 'move') reasons.push(`${label} removed`);
        bump(role === 'seed' ? 'update' : 'restart');
        if (role === 'data') {
          const reason =
            kind === 'move'
              ? `moved to ${to}: the volume on ${from} is destroyed and an empty one created on ${to}` +
                `${migration?.mode === 'live' ? ' unless moved in state after live migration (see the move)' : ''}; ` +
                'removed from the configuration, so prevent_destroy does not stop it'
              : kind === 'destroy'
                ? 'the VM is destroyed with its volumes; removed from the configuration, so prevent_destroy does not stop it'
                : 'the disk is removed from the VM and destroyed; removed from the configuration, so prevent_destroy does not stop it';
          dataLoss.push({ vm, volume: volumeLabel(resource), reason, address: resource.address, blocked: false });
        }
        continue;
      }
      reasons.push(
        ...describeAttributes(`${label}: `, change.attributes, resolverFor(baseSide.index, resource.stack), resolverFor(headSide.index, resource.stack)),
      );
      if (role === 'seed') bump('update');
      else if (role === 'os' && (change.effect === 'replace' || change.effect === 'unsupported')) bump('replace');
      else bump(change.effect === 'update' ? 'update' : 'restart');
      if (role === 'data' && (change.effect === 'replace' || change.effect === 'unsupported')) {
        const protectedNow = change.after?.preventDestroy === true;
        const blocked = change.effect === 'unsupported' || protectedNow;
        const reason =
          change.effect === 'unsupported'
            ? `the provider cannot change it in place: apply fails${protectedNow ? '' : '; forcing it with -replace destroys the data'}`
            : protectedNow
              ? 'replaced, but prevent_destroy is set: terraform will refuse (blocked) until the change is reverted or the data is copied'
              : 'replaced: the volume is destroyed and created empty';
        dataLoss.push({ vm, volume: volumeLabel(resource), reason, address: resource.address, blocked });
      }
    }

    if (!kind) continue;
    if (kind === 'restart' && after?.config.running === true) reasons.push(`restart: ${DOMAIN_RESTART_NOTE}`);
    const host = after ? hostName(head, after) : hostName(base, before as TfResource);
    vms.push({
      vm,
      change: kind,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      host,
      ...(migration ? { migration: migration.mode } : {}),
      ...(migration?.command !== undefined ? { command: migration.command } : {}),
      restarts: kind === 'restart' || kind === 'replace' || (kind === 'move' && migration?.mode !== 'live'),
      reasons,
    });
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
          : describeAttributes('', change.attributes, resolverFor(baseSide.index, resource.stack), resolverFor(headSide.index, resource.stack));
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

