/**
 * What a change to one attribute of a dmacvicar/libvirt 0.9.7 resource does when Terraform applies it.
 *
 * Derived from the provider schema snapshot (schema/libvirt-0.9.7.json: which attributes exist) plus the
 * provider's behaviour in its v0.9.7 sources, which the schema format cannot express:
 * - `internal/codegen/policy/field_policy.go` (applyTopLevelImmutabilityPolicy): top-level `name` of every
 *   generated resource, and top-level `type` of every one except volumes, carry `RequiresReplace`.
 * - `volume_resource.go`: `pool` has `RequiresReplace`; `Update` returns "Update Not Supported: Storage
 *   volumes cannot be updated. All changes require replacement." (`create` gained `RequiresReplace`
 *   only after 0.9.7, PR #1299.)
 * - `pool_resource.go`: `Update` returns the same error for pools.
 * - `cloudinit_disk_resource.go`: `name`, `user_data`, `meta_data`, `network_config` have `RequiresReplace`.
 * - `network_resource.go`: `Update` applies `autostart` only; other changes are not sent to libvirt.
 * - `domain_resource.go`: `Update` calls `stopDomainIfRunning` (graceful shutdown, 30 s default timeout,
 *   then forced off), undefines and redefines the domain, and starts it again when `running` is true.
 *   So every domain change restarts a running guest, even one libvirt could apply live; on a stopped
 *   domain the same change is a plain redefinition.
 *
 * The `why` texts are what reviewers read. A test checks that every path below exists in the snapshot, so
 * the table cannot drift from the schema silently.
 */

/** What applying a change does to the object. */
export type ChangeEffect =
  /** Terraform destroys the object and creates a new one. */
  | 'replace'
  /** The domain is shut down, redefined and started again (guest downtime, no data loss). */
  | 'restart'
  /** Applied in place without touching a running guest. */
  | 'update'
  /** Terraform plans an in-place update the provider cannot carry out (apply fails or ignores it). */
  | 'unsupported';

export type LibvirtResourceType = 'libvirt_domain' | 'libvirt_volume' | 'libvirt_cloudinit_disk' | 'libvirt_pool' | 'libvirt_network';

export interface AttributeRule {
  readonly type: LibvirtResourceType;
  /** Schema path without list indices: `devices.disks.target.bus`. Matches itself and everything below it. */
  readonly path: string;
  readonly effect: ChangeEffect;
  readonly why: string;
}

/** Said once per restarted VM rather than after every attribute. */
export const DOMAIN_RESTART_NOTE =
  'provider 0.9.7 applies any domain change by shutting the running domain down (graceful, forced off after update.shutdown.timeout, default 30 s), redefining and starting it again';
const VOLUME_NO_UPDATE =
  'provider 0.9.7 cannot update volumes ("Update Not Supported"): apply fails; `terraform apply -replace=<address>` gets through by destroying the volume';
const POOL_NO_UPDATE = 'provider 0.9.7 cannot update pools ("Update Not Supported"): apply fails unless the pool is replaced';

export const REPLACEMENT_RULES: readonly AttributeRule[] = [
  // libvirt_domain
  { type: 'libvirt_domain', path: 'name', effect: 'replace', why: 'the domain name is its identity in libvirt (RequiresReplace)' },
  { type: 'libvirt_domain', path: 'type', effect: 'replace', why: 'the hypervisor type (kvm/xen) cannot change on a defined domain (RequiresReplace)' },
  { type: 'libvirt_domain', path: 'running', effect: 'update', why: 'starts or stops the domain as asked' },
  { type: 'libvirt_domain', path: 'memory', effect: 'restart', why: 'boot-time memory size' },
  { type: 'libvirt_domain', path: 'maximum_memory', effect: 'restart', why: 'hot-plug ceiling is fixed at boot' },
  { type: 'libvirt_domain', path: 'current_memory', effect: 'restart', why: 'libvirt could balloon it live (virsh setmem --live), the provider restarts' },
  { type: 'libvirt_domain', path: 'vcpu', effect: 'restart', why: 'maximum vCPUs are fixed at boot' },
  { type: 'libvirt_domain', path: 'vcpu_current', effect: 'restart', why: 'libvirt could hot-plug vCPUs up to vcpu (virsh setvcpus --live), the provider restarts' },
  { type: 'libvirt_domain', path: 'cpu', effect: 'restart', why: 'the guest CPU model is fixed at boot' },
  { type: 'libvirt_domain', path: 'os', effect: 'restart', why: 'boot settings (firmware, machine, kernel) take effect at boot' },
  { type: 'libvirt_domain', path: 'os.type', effect: 'restart', why: 'the guest boots a different way (Xen pv/pvh/hvm); check the image supports it' },
  { type: 'libvirt_domain', path: 'os.firmware', effect: 'restart', why: 'switching BIOS/UEFI needs a matching partition layout in the guest' },
  { type: 'libvirt_domain', path: 'features', effect: 'restart', why: 'platform features are fixed at boot' },
  { type: 'libvirt_domain', path: 'devices', effect: 'restart', why: 'libvirt could hot-plug some devices, the provider restarts' },
  { type: 'libvirt_domain', path: 'devices.disks', effect: 'restart', why: 'disks attached, detached or changed' },
  {
    type: 'libvirt_domain',
    path: 'devices.disks.target.bus',
    effect: 'restart',
    why: 'the guest sees a new disk controller and device name (e.g. vdb → sdb); fstab by UUID/LABEL survives it',
  },
  { type: 'libvirt_domain', path: 'devices.interfaces', effect: 'restart', why: 'NICs changed' },
  { type: 'libvirt_domain', path: 'devices.interfaces.model', effect: 'restart', why: 'the guest sees a new NIC model and may rename the interface' },
  { type: 'libvirt_domain', path: 'devices.hostdevs', effect: 'restart', why: 'PCI passthrough devices changed' },
  { type: 'libvirt_domain', path: 'numa_tune', effect: 'restart', why: 'memory placement is set when the guest starts' },
  { type: 'libvirt_domain', path: 'memory_backing', effect: 'restart', why: 'hugepages are allocated when the guest starts' },
  { type: 'libvirt_domain', path: 'autostart', effect: 'restart', why: 'libvirt sets it live (virsh autostart), the provider restarts' },
  { type: 'libvirt_domain', path: 'description', effect: 'restart', why: 'metadata only, the provider still restarts' },
  { type: 'libvirt_domain', path: 'title', effect: 'restart', why: 'metadata only, the provider still restarts' },
  { type: 'libvirt_domain', path: 'metadata', effect: 'restart', why: 'metadata only, the provider still restarts' },
  { type: 'libvirt_domain', path: 'update', effect: 'restart', why: 'a provider setting, the provider still restarts' },
  { type: 'libvirt_domain', path: 'destroy', effect: 'restart', why: 'a provider setting, the provider still restarts' },
  { type: 'libvirt_domain', path: 'create', effect: 'restart', why: 'a provider setting, the provider still restarts' },
  // libvirt_volume
  { type: 'libvirt_volume', path: 'name', effect: 'replace', why: 'the volume name is its identity in the pool (RequiresReplace)' },
  { type: 'libvirt_volume', path: 'pool', effect: 'replace', why: 'a volume cannot move between pools (RequiresReplace)' },
  {
    type: 'libvirt_volume',
    path: 'capacity',
    effect: 'unsupported',
    why: `${VOLUME_NO_UPDATE}; to grow without loss run \`virsh vol-resize\` on the host and \`terraform apply -refresh-only\`; shrinking is never safe`,
  },
  { type: 'libvirt_volume', path: 'target.format', effect: 'unsupported', why: `the on-disk format (qcow2/raw) is fixed at creation; ${VOLUME_NO_UPDATE}` },
  { type: 'libvirt_volume', path: 'backing_store', effect: 'unsupported', why: `a new base image means a new overlay; ${VOLUME_NO_UPDATE}` },
  { type: 'libvirt_volume', path: 'create', effect: 'unsupported', why: `the content is uploaded only when the volume is created; ${VOLUME_NO_UPDATE}` },
  { type: 'libvirt_volume', path: 'type', effect: 'unsupported', why: VOLUME_NO_UPDATE },
  { type: 'libvirt_volume', path: 'target', effect: 'unsupported', why: VOLUME_NO_UPDATE },
  // libvirt_cloudinit_disk
  { type: 'libvirt_cloudinit_disk', path: 'name', effect: 'replace', why: 'the seed ISO is rebuilt (RequiresReplace)' },
  {
    type: 'libvirt_cloudinit_disk',
    path: 'user_data',
    effect: 'replace',
    why: 'the seed ISO is rebuilt (RequiresReplace); cloud-init runs once per instance-id, so an existing guest ignores the new user data',
  },
  { type: 'libvirt_cloudinit_disk', path: 'meta_data', effect: 'replace', why: 'the seed ISO is rebuilt (RequiresReplace)' },
  { type: 'libvirt_cloudinit_disk', path: 'network_config', effect: 'replace', why: 'the seed ISO is rebuilt (RequiresReplace); an existing guest keeps its network config' },
  // libvirt_pool
  { type: 'libvirt_pool', path: 'name', effect: 'replace', why: 'the pool name is its identity in libvirt (RequiresReplace)' },
  { type: 'libvirt_pool', path: 'type', effect: 'replace', why: 'the pool type cannot change (RequiresReplace)' },
  { type: 'libvirt_pool', path: 'source', effect: 'unsupported', why: POOL_NO_UPDATE },
  { type: 'libvirt_pool', path: 'target', effect: 'unsupported', why: POOL_NO_UPDATE },
  { type: 'libvirt_pool', path: 'create', effect: 'unsupported', why: POOL_NO_UPDATE },
  // libvirt_network
  { type: 'libvirt_network', path: 'name', effect: 'replace', why: 'the network name is its identity in libvirt (RequiresReplace)' },
  { type: 'libvirt_network', path: 'autostart', effect: 'update', why: 'set live (virsh net-autostart)' },
  {
    type: 'libvirt_network',
    path: 'ips',
    effect: 'unsupported',
    why: 'provider 0.9.7 updates only autostart on networks: the change is not applied and shows again on the next plan; replace the network (-replace) to apply it',
  },
];

/** When no rule matches a path: the provider's general behaviour for that resource type. */
const FALLBACK: Readonly<Record<LibvirtResourceType, { effect: ChangeEffect; why: string }>> = {
  libvirt_domain: { effect: 'restart', why: 'changes the domain definition' },
  libvirt_volume: { effect: 'unsupported', why: VOLUME_NO_UPDATE },
  libvirt_cloudinit_disk: { effect: 'replace', why: 'the seed ISO is rebuilt' },
  libvirt_pool: { effect: 'unsupported', why: POOL_NO_UPDATE },
  libvirt_network: {
    effect: 'unsupported',
    why: 'provider 0.9.7 updates only autostart on networks: the change is not applied and shows again on the next plan; replace the network (-replace) to apply it',
  },
};
const UNKNOWN_TYPE = { effect: 'replace' as ChangeEffect, why: 'not a libvirt resource hyperplan knows; assuming the worst' };

const RULES_BY_KEY = new Map(REPLACEMENT_RULES.map((rule) => [`${rule.type} ${rule.path}`, rule]));

export interface AttributeVerdict {
  readonly effect: ChangeEffect;
  readonly why: string;
}

/**
 * The effect of changing `path` (schema path, no indices) on a resource of `type`: the rule of the longest
 * matching prefix, else the type's fallback. A restart on a domain that is not running is a plain update.
 */
export function attributeEffect(type: string, path: string, domainRunning: boolean): AttributeVerdict {
  let verdict: AttributeVerdict | undefined;
  for (let end = path.length; end > 0 && !verdict; end = path.lastIndexOf('.', end - 1)) {
    verdict = RULES_BY_KEY.get(`${type} ${path.slice(0, end)}`);
  }
  verdict ??= (FALLBACK as Record<string, AttributeVerdict | undefined>)[type] ?? UNKNOWN_TYPE;
  if (verdict.effect === 'restart' && !domainRunning) return { effect: 'update', why: 'the domain is not running: redefined without downtime' };
  return { effect: verdict.effect, why: verdict.why };
}

const EFFECT_RANK: Readonly<Record<ChangeEffect, number>> = { update: 0, restart: 1, unsupported: 2, replace: 3 };

/** The more disruptive of two effects. */
export function worstEffect(a: ChangeEffect, b: ChangeEffect): ChangeEffect {
  return EFFECT_RANK[a] >= EFFECT_RANK[b] ? a : b;
}
