/**
 * The fleet's vocabulary: every closed set of words the fleet file uses, written once. The zod enums of
 * `schema.ts` (and so the JSON Schema) and the TypeScript types of `model.ts` are both derived from these
 * arrays, so a word added here is accepted, typed and documented together.
 */

export const HYPERVISORS = ['kvm', 'xen'] as const;
/** What a VM may ask for: a hypervisor, or `auto` (the planner picks). */
export const VM_HYPERVISORS = [...HYPERVISORS, 'auto'] as const;
export const SECURITY_CLASSES = ['general', 'sensitive', 'isolated'] as const;
export const WORKLOADS = ['general', 'io-heavy', 'network-heavy', 'latency-critical', 'vdi'] as const;
export const XEN_GUEST_TYPES = ['pv', 'pvh', 'hvm'] as const;
export const FIRMWARES = ['bios', 'uefi'] as const;
export const GUEST_OSES = ['linux', 'windows', 'other'] as const;
/** How a host's boot line is written: GRUB on Debian/Ubuntu, xen-cmdline on XenServer/XCP-ng. */
export const HOST_DISTROS = ['debian', 'ubuntu', 'xcp-ng', 'xenserver'] as const;
/** `fdc`: the floppy controller, floppies only (libvirt `<target bus='fdc'>`). */
export const DISK_BUSES = ['virtio', 'scsi', 'sata', 'ide', 'xen', 'usb', 'fdc'] as const;
export const DISK_CACHES = ['none', 'writethrough', 'writeback', 'directsync', 'unsafe', 'default'] as const;
/** `default` (like the cache's): libvirt's own mode, named by neither the fleet nor the synthesized domain. */
export const DISK_IO_MODES = ['native', 'threads', 'io_uring', 'default'] as const;
export const DISK_FORMATS = ['qcow2', 'raw'] as const;
export const CPU_MODES = ['host-model', 'host-passthrough', 'custom', 'maximum'] as const;
export const NUMA_POLICIES = ['none', 'preferred', 'strict'] as const;
export const POOL_RESERVES = ['none', 'n+1', 'n+2'] as const;
/** How `virsh migrate` carries the migration stream (libvirt docs/migration.rst). */
export const MIGRATION_TRANSPORTS = ['tls', 'tunnelled', 'plain'] as const;
export const PLACEMENT_STRATEGIES = ['spread', 'pack'] as const;
export const NETWORK_MODES = ['nat', 'bridge', 'isolated', 'route', 'open'] as const;
export const STORAGE_POOL_TYPES = [
  'dir',
  'fs',
  'netfs',
  'logical',
  'disk',
  'iscsi',
  'iscsi-direct',
  'scsi',
  'mpath',
  'rbd',
  'gluster',
  'zfs',
  'vstorage',
] as const;
export const GRAPHICS_TYPES = ['vnc', 'spice'] as const;
/** Huge page sizes a VM may name (besides `true`, the host's default size). */
export const HUGEPAGE_SIZES = ['2MiB', '1GiB'] as const;

/**
 * What libvirt does when the guest powers off or reboots (`<on_poweroff>`, `<on_reboot>`) and when it
 * crashes (`<on_crash>`, two more): libvirt src/conf/schemas/domaincommon.rng, offOptions and crashOptions.
 */
export const LIFECYCLE_ACTIONS = ['destroy', 'restart', 'preserve', 'rename-restart'] as const;
export const CRASH_ACTIONS = [...LIFECYCLE_ACTIONS, 'coredump-destroy', 'coredump-restart'] as const;
/** The actions libvirt takes, and reports, when a definition names none (formatdomain "Events configuration"). */
export const LIBVIRT_EVENT_DEFAULTS = { onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy' } as const;
