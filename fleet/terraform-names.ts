/**
 * Names synthesis derives from fleet names: Terraform identifiers (resource addresses, provider aliases,
 * outputs), the volume names of base images, and the construct ids of a stack's children. They live here,
 * below the constructs, so the loader can check them for collisions before synthesis ever runs.
 */

const NOT_ID_CHARACTER = /[^A-Za-z0-9_]/g;

function isIdCharacter(char: number): boolean {
  return (char >= 97 && char <= 122) || (char >= 65 && char <= 90) || (char >= 48 && char <= 57) || char === 95;
}

/**
 * A part with its characters made id characters. A part that has only such characters already (each
 * part after the first, mostly) is returned as it is, without a regex replace: the loader derives
 * ~100,000 ids from a 20,000-VM fleet.
 */
function idCharacters(part: string): string {
  for (let index = 0; index < part.length; index++) {
    if (!isIdCharacter(part.charCodeAt(index))) return part.replace(NOT_ID_CHARACTER, '_');
  }
  return part;
}

/**
 * `kvm-a1`, `web-1` → `kvm_a1_web_1`: letters, digits and `_`, never starting with a digit. Idempotent,
 * also on its first part: `terraformId(terraformId(a), b)` is `terraformId(a, b)`.
 */
export function terraformId(...parts: readonly string[]): string {
  const id = parts.length === 1 ? idCharacters(parts[0]!) : parts.map(idCharacters).join('_');
  const first = id.charCodeAt(0);
  return first >= 48 && first <= 57 ? `_${id}` : id;
}

/** Volume name of an image: the last segment of its path or URL, without query or fragment. */
export function imageVolumeName(source: string): string {
  const path = source.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Construct ids of a fleet stack's direct children besides its hosts (which use the host name): cdktf's
 * backend construct is always `backend`, and each migration pool is `migration-<pool>`.
 */
export const STACK_BACKEND_CONSTRUCT_ID = 'backend';
export const migrationPoolConstructId = (pool: string): string => `migration-${pool}`;

/** The last part of a VM disk's Terraform address: `disk<index>` (`<host>_<vm>_disk<index>`). */
const DISK_PART = 'disk';
const DISK_ADDRESS_SUFFIX = new RegExp(`_${DISK_PART}(\\d+)$`);

/**
 * The parts after the host name of each Terraform address a host's constructs create (the host name
 * comes first: `terraformId(host, ...parts)`). One table for the constructs, the loader's check and the
 * review, which reads disk indexes back with `diskIndexOfAddress`.
 */
export const HOST_ADDRESS_PARTS = {
  nodeInfo: (): readonly string[] => ['node_info'],
  pool: (pool: string): readonly string[] => ['pool', pool],
  network: (network: string): readonly string[] => ['net', network],
  baseImage: (pool: string, volume: string): readonly string[] => ['image', pool, volume],
  domain: (vm: string): readonly string[] => [vm],
  disk: (vm: string, index: number): readonly string[] => [vm, `${DISK_PART}${index}`],
  cloudInitDisk: (vm: string): readonly string[] => [vm, 'cloudinit'],
  cloudInitVolume: (vm: string): readonly string[] => [vm, 'cloudinit_volume'],
} as const;

/** The disk index in a VM disk's Terraform resource name (`kvm_1_web_1_disk2` → 2), or undefined. */
export function diskIndexOfAddress(name: string): number | undefined {
  const match = DISK_ADDRESS_SUFFIX.exec(name);
  return match ? Number(match[1]) : undefined;
}

const CLOUD_INIT_DISK_SUFFIX = '-cloudinit';
const CLOUD_INIT_VOLUME_SUFFIX = `${CLOUD_INIT_DISK_SUFFIX}.iso`;

/**
 * The libvirt names of what a VM's constructs create on its host: volumes and the cloud-init seed. The
 * review recognizes a VM's seed and disks by them, so a rename here renames both sides.
 */
export const LIBVIRT_NAMES = {
  /** `web-1-disk0.qcow2`: the volume of disk `index`, with the file extension of its format. */
  diskVolume: (vm: string, index: number, extension: string): string => `${vm}-${DISK_PART}${index}.${extension}`,
  /** `web-1-cloudinit`: the `libvirt_cloudinit_disk` (the seed ISO built where Terraform runs). */
  cloudInitDisk: (vm: string): string => `${vm}${CLOUD_INIT_DISK_SUFFIX}`,
  /** `web-1-cloudinit.iso`: the volume the seed is uploaded into. */
  cloudInitVolume: (vm: string): string => `${vm}${CLOUD_INIT_VOLUME_SUFFIX}`,
  /** Whether a volume name is that of a cloud-init seed volume (of any VM). */
  isCloudInitVolume: (name: string): boolean => name.endsWith(CLOUD_INIT_VOLUME_SUFFIX),
} as const;

/** Output names of every host (`<host>_<name>`), of KVM and Xen hosts only, and of migration pools (`<pool>_<name>`). */
export const HOST_OUTPUTS = ['declared_vs_actual', 'usable_capacity', 'host_preparation'] as const;
export const KVM_HOST_OUTPUTS = ['hugepages'] as const;
export const XEN_HOST_OUTPUTS = ['xen_boot_line', 'xl_conf', 'libxl_conf'] as const;
export const MIGRATION_POOL_OUTPUTS = ['members', 'migrate_command', 'headroom'] as const;
export type HostOutputName = (typeof HOST_OUTPUTS)[number] | (typeof KVM_HOST_OUTPUTS)[number] | (typeof XEN_HOST_OUTPUTS)[number];
