/**
 * One side of a review as the VM classifiers read it: its resources indexed, the fleet's hosts by
 * provider alias and VMs by name, and which volumes belong to which VM in what role.
 */
import type { Fleet, Host, Vm } from '../fleet/model';
import { diskIndexOfAddress, LIBVIRT_NAMES } from '../fleet/terraform-names';
import type { Placement, UnplacedVm } from '../planner/types';
import { terraformId } from '../constructs/terraform-id';
import { resourceKey, type Json, type ResourceIndex, type TfResource } from './terraform-json';

/** One side of the review: its resources and, when it came from a fleet, the fleet and its placement. */
export interface ReviewSide {
  readonly index: ResourceIndex;
  readonly fleet?: Fleet;
  readonly placement?: Placement;
}

export interface SideLookup {
  readonly side: ReviewSide;
  /** Fleet hosts by provider alias (`terraformId(host)`). */
  readonly hosts: ReadonlyMap<string, Host>;
  readonly hostNames: ReadonlySet<string>;
  readonly vms: ReadonlyMap<string, Vm>;
  /** Cloud-init seed disks by libvirt name. */
  readonly seeds: ReadonlyMap<string, TfResource>;
  /** Why the planner moved a VM, by VM name. */
  readonly moveReasons: ReadonlyMap<string, string>;
  readonly unplaced: ReadonlyMap<string, UnplacedVm>;
}

export function lookup(side: ReviewSide): SideLookup {
  const seeds = new Map<string, TfResource>();
  for (const resource of side.index.resources.values()) {
    if (resource.type === 'libvirt_cloudinit_disk' && typeof resource.config.name === 'string') seeds.set(resource.config.name, resource);
  }
  return {
    side,
    hosts: new Map((side.fleet?.hosts ?? []).map((h) => [terraformId(h.name), h])),
    hostNames: new Set((side.fleet?.hosts ?? []).map((h) => h.name)),
    vms: new Map((side.fleet?.vms ?? []).map((v) => [v.name, v])),
    seeds,
    moveReasons: new Map((side.placement?.moves ?? []).map((m) => [m.vm, m.reason])),
    unplaced: new Map((side.placement?.unplaced ?? []).map((u) => [u.vm, u])),
  };
}

/** Fleet host name behind a resource's provider alias; the alias itself when there is no fleet. */
export function hostName(look: SideLookup, resource: TfResource): string {
  const alias = resource.providerAlias;
  if (alias === undefined) return resource.stack;
  return look.hosts.get(alias)?.name ?? alias;
}

export function hostUri(look: SideLookup, resource: TfResource): string {
  return resource.providerUri ?? look.hosts.get(resource.providerAlias ?? '')?.uri ?? `<uri of ${hostName(look, resource)}>`;
}

/** Keys of the volumes and seed disks a domain attaches (directly, or through its seed volume). */
export function ownedKeys(look: SideLookup, domain: TfResource | undefined, vm: string): string[] {
  if (!domain) return [];
  const { resources } = look.side.index;
  const owned: string[] = [];
  for (const key of domain.references) {
    const target = resources.get(key);
    if (target?.type !== 'libvirt_volume') continue;
    owned.push(key);
    for (const inner of target.references) if (resources.get(inner)?.type === 'libvirt_cloudinit_disk') owned.push(inner);
  }
  const seed = look.seeds.get(LIBVIRT_NAMES.cloudInitDisk(vm));
  if (seed && !owned.includes(seed.key)) owned.push(seed.key);
  return owned;
}

export type VolumeRole = 'os' | 'data' | 'seed';

/**
 * Role of a volume: the seed refers to a cloud-init disk; a data disk is flagged `data` in the fleet, and
 * without a fleet, is protected by prevent_destroy or (the VirtualMachine construct's convention) is a
 * disk after the first that is not made from an image.
 */
export function volumeRole(look: SideLookup, vm: string, volume: TfResource): VolumeRole {
  if (volume.type === 'libvirt_cloudinit_disk') return 'seed';
  if (volume.references.some((key) => look.side.index.resources.get(key)?.type === 'libvirt_cloudinit_disk')) return 'seed';
  if (volume.preventDestroy) return 'data';
  const index = diskIndexOfAddress(volume.name) ?? Number.NaN;
  const disk = look.vms.get(vm)?.disks[index];
  if (disk) return disk.data ? 'data' : 'os';
  if (typeof volume.config.name === 'string' && LIBVIRT_NAMES.isCloudInitVolume(volume.config.name)) return 'seed';
  const fromImage = volume.config.backing_store !== undefined || volume.config.create !== undefined;
  return index > 0 && !fromImage ? 'data' : 'os';
}

/** `${libvirt_pool.kvm_1_pool_shared.name}` alone in a string: a reference a reader wants resolved. */
const WHOLE_REFERENCE = /^\$\{([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)\.([a-z_]+)\}$/;

/** Maps a reference to the literal it stands for on that side, when the referenced argument is a literal. */
export type Resolver = (value: Json | undefined) => Json | undefined;

export function resolverFor(index: ResourceIndex, stack: string): Resolver {
  const resolve: Resolver = (value) => {
    if (typeof value !== 'string') return value;
    const match = WHOLE_REFERENCE.exec(value);
    if (!match) return value;
    const literal = index.resources.get(resourceKey(stack, match[1] as string))?.config[match[2] as string];
    return typeof literal === 'string' && !literal.includes('${') ? literal : typeof literal === 'number' ? literal : value;
  };
  return resolve;
}

export const identity: Resolver = (value) => value;

export function volumeLabel(resource: TfResource): string {
  return typeof resource.config.name === 'string' ? resource.config.name : resource.address;
}
