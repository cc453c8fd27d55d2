/**
 * zod schemas of the fleet file exactly as written (the RAW shape: sizes are strings with units,
 * references are names). `normalize.ts` turns a parsed file into the typed `Fleet`; the JSON Schema
 * for editors is generated from these same schemas (`json-schema.ts`).
 */
import { z } from 'zod';
import { SIZE_JSON_PATTERN, sizeProblem, sizeToKiB } from './sizes';
import { BACKEND_TYPE_NAMES, REMOTE_BACKEND_SETTINGS, REMOTE_BACKEND_TYPES } from './backends';
import {
  DISK_DEVICES, DISK_IMAGE_FORMATS, DISK_PATH_TYPES, DISK_SECRET_TYPES, DISK_STARTUP_POLICIES, DISK_VOLUME_MODES, HOSTLESS_PROTOCOLS, MACVTAP_MODES,
  MULTI_HOST_PROTOCOLS, NAMELESS_PROTOCOLS, NETWORK_DISK_PROTOCOLS, NIC_TYPES, PROTOCOL_SECRET_TYPE, SOCKET_NIC_TYPES, SOCKET_PROTOCOLS,
  USER_NIC_BACKENDS, VM_ARCHES,
  XEN_HOST_ARCHES, defaultPathType, diskTargetProblem, machineFitsArch, machinesOf,
} from './guest-devices';
import {
  BOOT_DEVICES, CLOCK_BASES, CLOCK_OFFSETS, CPUSET_PATTERN, TICK_POLICIES, TIMER_MODES, TIMER_NAMES, TIMER_TRACKS, VCPU_PLACEMENTS,
} from './domain-settings';
import { cidrProblem, IPV4_PATTERN } from './ipv4';
import {
  CPU_MODES, CRASH_ACTIONS, DISK_BUSES, DISK_CACHES, DISK_FORMATS, DISK_IO_MODES, FIRMWARES, GRAPHICS_TYPES, GUEST_OSES, HOST_DISTROS, HUGEPAGE_SIZES,
  HYPERVISORS, LIFECYCLE_ACTIONS, MIGRATION_TRANSPORTS, NETWORK_MODES, NUMA_POLICIES, PLACEMENT_STRATEGIES, POOL_RESERVES, SECURITY_CLASSES,
  STORAGE_POOL_TYPES, VM_HYPERVISORS, WORKLOADS, XEN_GUEST_TYPES,
} from './vocabulary';

export { REMOTE_BACKEND_TYPES };

export const API_VERSION = 'hyperplan/v1';

/** libvirt accepts more, but names also become Terraform identifiers and resource names. */
export const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/i;
export const NAME_RULE =
  "names start with a letter, then letters, digits, '-' or '_', at most 63 characters (they become libvirt names and Terraform identifiers)";

const name = z.string().regex(NAME_PATTERN, {
  error: (issue) => `'${String(issue.input)}' is not a valid name: ${NAME_RULE}`,
});
/** A reference to another object by name; resolved after parsing, so only the type is checked here. */
const nameRef = z.string().min(1);
const text = z.string().min(1);
const count = z.int().positive();
const ratio = z.number().positive();
const flag = z.boolean();

function size(unit: 'MiB' | 'KiB', description: string) {
  return z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `expected a size with a unit such as '8GiB', got the bare number ${issue.input}`
          : undefined,
    })
    .check(
      z.superRefine((value, ctx) => {
        const problem = sizeProblem(value, unit);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: value });
      }),
    )
    .meta({ description, pattern: SIZE_JSON_PATTERN, examples: ['8GiB'] });
}

const memorySize = size('MiB', 'Memory size with a binary unit, e.g. 512MiB, 8GiB');
const diskSize = size('MiB', 'Storage size with a binary unit, e.g. 40GiB, 2TiB');
/** A guest's memory and disks keep sizes of whole KiB exactly (libvirt's unit), e.g. an imported `1048577KiB`. */
const guestMemorySize = size('KiB', 'Memory size with a binary unit, e.g. 512MiB, 8GiB (whole KiB, e.g. 1048577KiB, are kept exactly)');
const volumeSize = size('KiB', 'Storage size with a binary unit, e.g. 40GiB, 2TiB (whole KiB are kept exactly)');
const pageSize = size('KiB', 'Page size, e.g. 2MiB or 1GiB');

const ipv4 = z.string().regex(IPV4_PATTERN, { error: (issue) => `'${String(issue.input)}' is not an IPv4 address` });

const cidr = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = cidrProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: value });
  }),
);

const hypervisor = z.enum(HYPERVISORS);
const arch = z.enum(VM_ARCHES);
const firmware = z.enum(FIRMWARES);
const cpuMode = z.enum(CPU_MODES);
const diskBus = z.enum(DISK_BUSES);
const diskCache = z.enum(DISK_CACHES);
const diskFormat = z.enum(DISK_FORMATS);
const guestType = z.enum(XEN_GUEST_TYPES);
const guestOs = z.enum(GUEST_OSES);
const hostDistro = z.enum(HOST_DISTROS);

const overcommitSchema = z.object({ cpu: ratio.optional(), memory: ratio.optional() }).strict();
/**
 * What a KVM host keeps for its OS. Either part may be left out: it comes from `defaults.kvm.reserved`,
 * else the fallback (DESIGN.md: "reserved: … (overrides defaults)", so a host overrides what it names).
 */
const reservedSchema = z.object({ memory: memorySize.optional(), cpus: z.int().nonnegative().optional() }).strict();

const vmDefaultFields = {
  machine: text.optional(),
  cpuMode: cpuMode.optional(),
  // The floppy controller takes floppies only: no default bus of every disk.
  diskBus: diskBus.exclude(['fdc']).optional(),
  diskCache: diskCache.optional(),
  nicModel: text.optional(),
  firmware: firmware.optional(),
};

export const defaultsSchema = z
  .object({
    kvm: z
      .object({ overcommit: overcommitSchema.optional(), reserved: reservedSchema.optional(), vm: z.object(vmDefaultFields).strict().optional() })
      .strict()
      .optional(),
    xen: z
      .object({ overcommit: overcommitSchema.optional(), vm: z.object({ ...vmDefaultFields, guestType: guestType.optional() }).strict().optional() })
      .strict()
      .optional(),
    placement: z.object({ strategy: z.enum(PLACEMENT_STRATEGIES).default('spread') }).strict().optional(),
  })
  .strict();

/** Linux on the largest x86 machines shows 32 nodes; more is a typo that would also cost memory to expand. */
export const MAX_NUMA_NODES = 64;

const numaNodeSchema = z.object({ cpus: count, memory: memorySize }).strict();

export const hostSchema = z
  .object({
    name,
    hypervisor,
    uri: text,
    cpus: count,
    memory: memorySize,
    numaNodes: z
      .union([count.max(MAX_NUMA_NODES), z.array(numaNodeSchema).min(1).max(MAX_NUMA_NODES)], {
        error: (issue) => (issue.code === 'invalid_union' ? 'expected a node count or a list of { cpus, memory }' : undefined),
      })
      .optional(),
    cpuModel: text.optional(),
    cpuVendor: text.optional(),
    cpuFlags: z.array(text).optional(),
    zone: text.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    overcommit: overcommitSchema.optional(),
    reserved: reservedSchema.optional(),
    hugepages: z.object({ size: pageSize, count }).strict().optional(),
    ksm: flag.optional(),
    dom0: z
      .object({ memory: memorySize.optional(), vcpus: count.optional(), pin: flag.optional(), balloon: flag.optional() })
      .strict()
      .optional(),
    iommu: flag.optional(),
    distro: hostDistro.optional(),
    arch: arch.optional().meta({ description: "The host's CPU architecture (what `virsh capabilities` reports), default x86_64" }),
  })
  .strict()
  .check(
    z.superRefine((host, ctx) => {
      if (host.hypervisor === 'xen' && host.arch !== undefined && !XEN_HOST_ARCHES.has(host.arch)) {
        ctx.addIssue({ code: 'custom', path: ['arch'], input: host.arch, message: `hyperplan deploys Xen on x86_64 hosts only (Xen on Arm has guests of its own kind), not ${host.arch}` });
      }
    }),
  );

export const migrationPoolSchema = z
  .object({
    name,
    hypervisor,
    hosts: z.array(nameRef).min(1),
    sharedStorage: nameRef.optional(),
    cpuModel: text.default('host-model'),
    reserve: z.enum(POOL_RESERVES).default('none'),
    transport: z
      .enum(MIGRATION_TRANSPORTS)
      .optional()
      .meta({ description: 'How migrations are carried: tls (default on KVM), tunnelled (default on Xen) or plain' }),
  })
  .strict();

export const networkSchema = z
  .object({
    name,
    mode: z.enum(NETWORK_MODES),
    bridge: text.optional(),
    cidr: cidr.optional(),
    dhcp: z.object({ start: ipv4, end: ipv4 }).strict().optional(),
    domain: text.optional(),
    mtu: z.int().min(68).max(65535).optional(),
    libvirtNetwork: z.boolean().optional().meta({
      description:
        'bridge mode: false = the host bridge only; NICs attach to it directly and no libvirt network is defined (what import writes for a bridge no libvirt network names). Default true',
    }),
  })
  .strict();

export const storagePoolSchema = z
  .object({
    name,
    type: z.enum(STORAGE_POOL_TYPES),
    path: text.optional(),
    source: text.optional(),
    portal: text.optional().meta({ description: 'iSCSI portal: host or host:port' }),
    target: text.optional().meta({ description: 'iSCSI target IQN, e.g. iqn.2024-01.com.example:vms' }),
    initiator: text.optional().meta({ description: 'iSCSI initiator IQN (required for iscsi-direct)' }),
    capacity: diskSize.optional(),
  })
  .strict();

export const imageSchema = z
  .object({
    name,
    source: text,
    format: diskFormat.default('qcow2'),
    pool: nameRef.optional(),
    pvhCapable: flag.default(true),
  })
  .strict();

const port = z.int().min(1).max(65535);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A disk whose data a network server holds (libvirt `<disk type='network'>`). Authentication names a
 * libvirt secret defined on the host, by usage or UUID; the secret's value never appears in the fleet.
 */
const networkDiskSchema = z
  .object({
    protocol: z.enum(NETWORK_DISK_PROTOCOLS),
    name: text
      .optional()
      .meta({ description: 'rbd: pool/image; iscsi: target IQN/LUN, e.g. iqn.2024-01.com.example:store/1; nbd: the export (optional); gluster: volume/image; http(s), ftp(s), tftp, nfs, ssh: the path' }),
    hosts: z
      .array(
        z
          .object({
            host: text.optional(),
            port: port.optional(),
            socket: text.optional().meta({ description: 'nbd, gluster: a UNIX socket on the host instead of host: and port:' }),
          })
          .strict(),
      )
      .default([])
      .meta({ description: 'The servers; rbd may leave them out (the monitors of the host\'s ceph.conf)' }),
    query: text.optional().meta({ description: "http, https: the URL's query string, without '?' (libvirt <source query>)" }),
    tls: flag.optional().meta({ description: "Whether QEMU talks TLS to the server (libvirt tls='yes'/'no'); default: the host's qemu.conf" }),
    tlsHostname: text.optional().meta({ description: 'The name the TLS certificate of the server is checked against (libvirt tlsHostname)' }),
    auth: z
      .object({
        username: text,
        secret: z
          .object({
            type: z.enum(DISK_SECRET_TYPES),
            usage: text.optional(),
            uuid: z.string().regex(UUID, { error: (issue) => `'${String(issue.input)}' is not a UUID` }).optional(),
          })
          .strict()
          .meta({ description: 'A libvirt secret defined on the host (virsh secret-define), named by usage or uuid; never its value' }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .check(
    z.superRefine((source, ctx) => {
      if (!NAMELESS_PROTOCOLS.has(source.protocol) && source.name === undefined) {
        const what = source.protocol === 'rbd' ? 'image as pool/image' : source.protocol === 'iscsi' ? 'LUN as target-iqn/lun' : source.protocol === 'gluster' ? 'image as volume/path' : 'image by its path';
        ctx.addIssue({ code: 'custom', path: ['name'], input: source, message: `${source.protocol} disks name their ${what} in name:` });
      }
      if (source.hosts.length === 0 && !HOSTLESS_PROTOCOLS.has(source.protocol)) {
        ctx.addIssue({ code: 'custom', path: ['hosts'], input: source.hosts, message: `${source.protocol} disks name their server in hosts:` });
      }
      // libvirt reads a query for http and https only (domain_conf.c, virDomainDiskSourceNetworkParse).
      if (source.query !== undefined && source.protocol !== 'http' && source.protocol !== 'https') {
        ctx.addIssue({ code: 'custom', path: ['query'], input: source.query, message: `a query string is part of an http or https URL, not of a ${source.protocol} disk; remove query:` });
      }
      source.hosts.forEach((server, index) => {
        const at = (key: string, message: string): void => ctx.addIssue({ code: 'custom', path: ['hosts', index, key], input: server, message });
        if (server.socket !== undefined) {
          if (!SOCKET_PROTOCOLS.has(source.protocol)) at('socket', `${source.protocol} disks reach their server over TCP; a UNIX socket is for nbd and gluster disks`);
          else if (!server.socket.startsWith('/')) at('socket', `'${server.socket}' is not an absolute path on the host`);
          if (server.host !== undefined) at('host', 'a server is a UNIX socket or a host, not both; remove host:');
          if (server.port !== undefined) at('port', 'a UNIX socket has no port; remove port:');
        } else if (server.host === undefined) {
          at('host', 'name the server with host: (or socket: for a UNIX socket)');
        }
        // formatdomain, "Number of hosts": nfs "does not support using a port at all".
        if (source.protocol === 'nfs' && server.port !== undefined) at('port', 'nfs disks take no port; remove port:');
      });
      if (!MULTI_HOST_PROTOCOLS.has(source.protocol) && source.hosts.length > 1) {
        ctx.addIssue({ code: 'custom', path: ['hosts'], input: source.hosts, message: `${source.protocol} disks have one server; ${source.hosts.length} hosts are listed` });
      }
      const auth = source.auth;
      if (auth === undefined) return;
      const expected = PROTOCOL_SECRET_TYPE[source.protocol];
      if (expected === undefined) {
        ctx.addIssue({ code: 'custom', path: ['auth'], input: auth, message: `libvirt has no authentication for ${source.protocol} disks; remove auth:` });
      } else if (auth.secret.type !== expected) {
        ctx.addIssue({ code: 'custom', path: ['auth', 'secret', 'type'], input: auth.secret.type, message: `${source.protocol} disks authenticate with a ${expected} secret, not ${auth.secret.type}` });
      }
      if ((auth.secret.usage === undefined) === (auth.secret.uuid === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['auth', 'secret'], input: auth.secret, message: 'name the libvirt secret by exactly one of usage: or uuid:' });
      }
    }),
  );

/** The keys that say where a disk's data comes from; at most one of them. */
const DISK_SOURCE_KEYS = ['image', 'volume', 'path', 'network'] as const;

const diskSchema = z
  .object({
    size: volumeSize.optional().meta({ description: 'Size of the volume hyperplan creates (required then); for an existing volume, what it takes from its pool' }),
    pool: nameRef.optional(),
    image: text.optional(),
    volume: text
      .optional()
      .meta({ description: 'An existing volume of pool, by name (any pool type; a LUN such as unit:0:0:1 in iscsi/scsi/mpath pools): used as it is, never created or destroyed by hyperplan' }),
    path: text.optional().meta({ description: 'An absolute file or block device (/dev/…) on the host, outside any pool: used as it is' }),
    pathType: z
      .enum(DISK_PATH_TYPES)
      .optional()
      .meta({ description: 'How libvirt opens path: (its <disk type>): file, block (a block device), dir (a host directory QEMU shows as a read-only FAT disk); default: block under /dev/, else file' }),
    startupPolicy: z
      .enum(DISK_STARTUP_POLICIES)
      .optional()
      .meta({ description: "What libvirt does when the disk's file or volume is missing at start: mandatory (fail, the default), optional (start without it), requisite (CD-ROMs and floppies: fail on boot, drop on migration or restore)" }),
    volumeMode: z
      .enum(DISK_VOLUME_MODES)
      .optional()
      .meta({ description: "A volume of an iSCSI pool: host (the host's LUN device, the default) or direct (QEMU's own iSCSI initiator)" }),
    network: networkDiskSchema.optional(),
    device: z
      .enum(DISK_DEVICES)
      .optional()
      .meta({
        description:
          'disk (default), cdrom, floppy or lun; a CD-ROM (or floppy) takes its image by path: or pool + volume:, or is an empty tray (drive); a lun passes a block device or iSCSI LUN through on bus scsi',
      }),
    readonly: flag.optional(),
    bus: diskBus.optional(),
    target: text
      .optional()
      .meta({ description: "The guest's device name (libvirt <target dev>), e.g. vdb, hdc, sda, xvda; default: the next free name of the bus (vd*, sd*, hd*, xvd*)" }),
    cache: diskCache.optional(),
    io: z.enum(DISK_IO_MODES).optional(),
    format: z
      .enum(DISK_IMAGE_FORMATS)
      .optional()
      .meta({ description: 'The image format (libvirt <driver type>); a volume hyperplan creates is qcow2 or raw, an existing disk may be any format QEMU opens' }),
    data: flag.default(false),
    preventDestroy: flag.optional(),
  })
  .strict()
  .check(
    z.superRefine((disk, ctx) => {
      const problem = (key: string, message: string): void => ctx.addIssue({ code: 'custom', path: [key], input: disk, message });
      const sources = DISK_SOURCE_KEYS.filter((key) => disk[key] !== undefined);
      if (sources.length > 1 && !(sources.length === 2 && disk.image !== undefined && disk.volume !== undefined)) {
        problem(sources[1]!, `a disk takes its data from one of ${DISK_SOURCE_KEYS.join(', ')}; this one gives ${sources.join(' and ')}`);
        return;
      }
      const outsidePools = disk.path !== undefined || disk.network !== undefined;
      if (outsidePools && disk.pool !== undefined) problem('pool', `a disk with ${disk.path !== undefined ? 'path' : 'network'}: is outside any pool; remove pool:`);
      if (disk.path !== undefined && !disk.path.startsWith('/')) problem('path', `'${disk.path}' is not an absolute path on the host`);
      if (disk.target !== undefined) {
        const targetProblem = diskTargetProblem(disk.target, disk.bus, disk.device);
        if (targetProblem) problem('target', targetProblem);
      }
      if (disk.pathType !== undefined && disk.path === undefined) problem('pathType', 'pathType: says how libvirt opens path:; this disk has none');
      if (disk.pathType === 'dir') {
        // libvirt src/qemu/qemu_domain.c, qemuDomainValidateStorageSource: "storage type 'dir' requires use of storage format 'fat'",
        // "virtual FAT storage can't be accessed in read-write mode".
        if (disk.format !== undefined && disk.format !== 'fat') problem('format', `a directory is shown to the guest as a FAT disk; remove format: ${disk.format} (or set fat)`);
        if (disk.readonly !== true && disk.device !== 'cdrom') problem('readonly', 'QEMU shows a directory as a FAT disk read-only; add readonly: true');
      } else if (disk.format === 'fat') {
        problem('format', "format fat is a host directory shown as a FAT disk (libvirt: \"storage format 'fat' is supported only with 'dir' storage type\"); add pathType: dir");
      }
      if (disk.startupPolicy !== undefined) {
        if (disk.network !== undefined) problem('startupPolicy', 'libvirt has a startup policy for files, block devices and volumes, not for network disks; remove startupPolicy:');
        else if (disk.startupPolicy === 'requisite' && disk.device !== 'cdrom' && disk.device !== 'floppy') problem('startupPolicy', "startup policy requisite is for CD-ROMs and floppies only (libvirt refuses it on a disk); use optional or mandatory");
      }
      if (disk.volumeMode !== undefined && disk.volume === undefined) problem('volumeMode', 'volumeMode: is how the disk uses an existing volume of an iSCSI pool; this disk names no volume:');
      if (disk.bus === 'fdc' && disk.device !== 'floppy') problem('bus', 'bus fdc (the floppy controller) takes floppies only; set device: floppy, or another bus');
      const cdrom = disk.device === 'cdrom';
      if (cdrom) {
        if (disk.size !== undefined) problem('size', 'a CD-ROM has no size of its own; remove size:');
        if (disk.image !== undefined) problem('image', 'a CD-ROM takes its ISO by path: (a file on the host) or pool: + volume: (an existing volume); image: creates a writable disk');
        if (disk.pool !== undefined && disk.volume === undefined) problem('volume', `name the ISO volume of pool '${disk.pool}' with volume:`);
        if (disk.data) problem('data', 'a CD-ROM is read-only and holds no data of the VM; remove data:');
        if (disk.bus === 'virtio') problem('bus', 'a CD-ROM cannot be on bus virtio: virtio-blk has no ejectable media; use sata, scsi or ide');
        return;
      }
      if (disk.device === 'floppy') {
        if (disk.size !== undefined) problem('size', 'a floppy has no size of its own; remove size:');
        if (disk.image !== undefined) problem('image', 'a floppy takes its image by path: (a file on the host) or pool: + volume: (an existing volume); image: creates a disk');
        if (disk.pool !== undefined && disk.volume === undefined) problem('volume', `name the floppy image volume of pool '${disk.pool}' with volume:`);
        if (disk.data) problem('data', 'a floppy holds no data of the VM that hyperplan keeps; remove data:');
        if (disk.bus !== undefined && disk.bus !== 'fdc') problem('bus', `a floppy is on the floppy controller (bus fdc), not on bus ${disk.bus}; remove bus:`);
        return;
      }
      if (disk.device === 'lun') {
        // libvirt src/conf/domain_validate.c, virDomainDiskDefSourceLUNValidate; src/qemu/qemu_validate.c (bus);
        // QEMU docs/about/removed-features.rst: virtio-blk SCSI passthrough (scsi=on) was removed in QEMU 5.0.
        if (disk.network !== undefined && disk.network.protocol !== 'iscsi') problem('network', `a LUN is a block device or an iSCSI LUN, not a ${disk.network.protocol} disk; remove device: lun`);
        if (disk.path !== undefined && (disk.pathType ?? defaultPathType(disk.path)) !== 'block') problem('path', 'a LUN passes a host block device through; give a block device (pathType: block), or remove device: lun');
        if (disk.volume === undefined && !outsidePools) problem('volume', 'a LUN passes an existing device through; name it with path:, volume: or network: (iscsi)');
        if (disk.format !== undefined && disk.format !== 'raw') problem('format', `a LUN is raw SCSI; remove format: ${disk.format}`);
        if (disk.bus !== undefined && disk.bus !== 'scsi') problem('bus', `SCSI passthrough (device: lun) needs bus scsi (virtio-scsi)${disk.bus === 'virtio' ? '; QEMU removed it from virtio-blk in 5.0' : ''}, not ${disk.bus}`);
        return;
      }
      if (disk.volume !== undefined && disk.pool === undefined) problem('pool', 'an existing volume is named in its pool; add pool:');
      const created = disk.volume === undefined && !outsidePools;
      if (created && disk.pool === undefined) problem('pool', 'hyperplan creates this disk as a volume; name its pool: (or give volume:, path: or network: for one that exists)');
      if (created && disk.size === undefined) problem('size', 'hyperplan creates this disk as a volume; give its size:');
      if (created && disk.format !== undefined && !(DISK_FORMATS as readonly string[]).includes(disk.format)) {
        problem('format', `hyperplan creates this disk as a volume, which is ${DISK_FORMATS.join(' or ')}; ${disk.format} is for an existing disk (volume:, path: or network:)`);
      }
    }),
  );

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

const PCI_ADDRESS = /^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

const nicObjectSchema = z
  .object({
    type: z.enum(NIC_TYPES).optional().meta({
      description:
        'network (default: a fleet network), user (KVM user-mode networking), ethernet (a tap device), direct (macvtap on a host interface), ' +
        'hostdev (a host PCI network function passed through), vdpa (a vDPA device), client, server, mcast or udp (QEMU sockets, KVM only)',
    }),
    network: nameRef.optional(),
    portgroup: text.optional().meta({ description: "network: the libvirt network's port group" }),
    dev: text.optional().meta({ description: 'direct: the host interface the macvtap device sits on, e.g. eth0; vdpa: the device, e.g. /dev/vhost-vdpa-0; user with backend passt: the host interface passt uses' }),
    pci: z
      .string()
      .regex(PCI_ADDRESS, { error: (issue) => `'${String(issue.input)}' is not a PCI address like 0000:3b:00.0` })
      .optional()
      .meta({ description: 'hostdev: the host PCI network function passed through, e.g. 0000:3b:00.1' }),
    address: text.optional().meta({ description: 'client, server, mcast, udp: the socket address' }),
    port: port.optional().meta({ description: 'client, server, mcast, udp: the socket port' }),
    local: z.object({ address: text, port }).strict().optional().meta({ description: "udp: the socket's local end" }),
    backend: z.enum(USER_NIC_BACKENDS).optional().meta({ description: "user: passt instead of QEMU's built-in user networking" }),
    mode: z.enum(MACVTAP_MODES).optional().meta({ description: "direct: the macvtap mode (libvirt's default is vepa)" }),
    target: text.optional().meta({ description: 'The host-side device name (tap or macvtap), e.g. vnet3; libvirt picks one when left out' }),
    model: text.optional(),
    mac: z.string().regex(MAC, { error: (issue) => `'${String(issue.input)}' is not a MAC address like 52:54:00:12:34:56` }).optional(),
    queues: count.optional(),
  })
  .strict()
  .check(
    z.superRefine((nic, ctx) => {
      const type = nic.type ?? 'network';
      const problem = (key: string, message: string): void => ctx.addIssue({ code: 'custom', path: [key], input: nic, message });
      if (type === 'network' && nic.network === undefined) problem('network', 'name the fleet network of this NIC with network: (or set type: user, ethernet or direct)');
      if (type !== 'network' && nic.network !== undefined) problem('network', `a ${type} NIC is not on a fleet network; remove network:`);
      if (type === 'direct' && nic.dev === undefined) problem('dev', 'a direct (macvtap) NIC names its host interface with dev:, e.g. eth0');
      if (type === 'vdpa' && nic.dev === undefined) problem('dev', 'a vdpa NIC names its device with dev:, e.g. /dev/vhost-vdpa-0');
      if (type !== 'direct' && type !== 'vdpa' && !(type === 'user' && nic.backend === 'passt') && nic.dev !== undefined) {
        problem('dev', 'dev: is the host interface of a direct (macvtap) NIC, the device of a vdpa NIC or the interface of a passt user NIC; set type or remove dev:');
      }
      if (type !== 'network' && nic.portgroup !== undefined) problem('portgroup', 'portgroup: is a port group of the libvirt network of a network NIC; remove it');
      if (type === 'hostdev' && nic.pci === undefined) problem('pci', 'a hostdev NIC names the host PCI network function with pci:, e.g. 0000:3b:00.1');
      if (type !== 'hostdev' && nic.pci !== undefined) problem('pci', 'pci: is the host PCI function of a hostdev NIC; set type: hostdev or remove pci:');
      const socket = (SOCKET_NIC_TYPES as readonly string[]).includes(type);
      if (socket && nic.port === undefined) problem('port', `a ${type} NIC names its socket port with port:`);
      if (socket && type !== 'server' && nic.address === undefined) problem('address', `a ${type} NIC names its socket address with address:`);
      if (!socket && (nic.port !== undefined || nic.address !== undefined)) problem(nic.port !== undefined ? 'port' : 'address', 'address: and port: are the socket of a client, server, mcast or udp NIC; set type or remove them');
      if (type !== 'udp' && nic.local !== undefined) problem('local', 'local: is the local end of a udp NIC; set type: udp or remove it');
      if (type !== 'user' && nic.backend !== undefined) problem('backend', 'backend: is the backend of a user-mode NIC; set type: user or remove it');
      if (type !== 'direct' && nic.mode !== undefined) problem('mode', 'mode: is the macvtap mode of a direct NIC; set type: direct or remove mode:');
      if (type === 'user' && nic.target !== undefined) problem('target', 'a user-mode NIC has no host device; remove target:');
    }),
  );

const nicSchema = z.union([nameRef, nicObjectSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'expected a network name or { network, model, mac, queues } (or { type: user | ethernet | direct | hostdev | vdpa | client | server | mcast | udp, … })' : undefined,
});

/** Secret fields take `${env:NAME}`, `${file:path}` or (flagged by policy) plain text. */
const secret = z.string().meta({
  description: "A secret: ${env:NAME} or ${file:path} (relative to the fleet file, inside its repository); synthesized as a sensitive Terraform variable",
});

const cloudInitSchema = z
  .object({
    userData: text.optional().meta({
      description:
        "Path relative to the fleet file (inside its repository), or inline text when it has a newline; cloud-config ('#cloud-config' first) when sshKeys or password are set",
    }),
    networkConfig: text.optional(),
    sshKeys: z.array(text).optional(),
    password: secret.optional(),
  })
  .strict();

/** libvirt's `<timer>` (domaincommon.rng `timer`): which attributes each timer takes. */
const timerSchema = z
  .object({
    name: z.enum(TIMER_NAMES),
    tickPolicy: z.enum(TICK_POLICIES).optional(),
    catchup: z
      .object({ threshold: z.int().min(0).optional(), slew: z.int().min(0).optional(), limit: z.int().min(0).optional() })
      .strict()
      .optional()
      .meta({ description: 'tickPolicy catchup: how the guest catches up on missed ticks' }),
    present: flag.optional().meta({ description: 'Whether the guest sees the timer (libvirt present yes|no); unset: the hypervisor default' }),
    track: z.enum(TIMER_TRACKS).optional().meta({ description: 'platform and rtc: what the timer follows' }),
    frequency: z.int().positive().optional().meta({ description: 'tsc: the frequency in Hz' }),
    mode: z.enum(TIMER_MODES).optional().meta({ description: 'tsc: how the guest reads the TSC' }),
  })
  .strict()
  .check(
    z.superRefine((timer, ctx) => {
      const problem = (key: string, message: string): void => ctx.addIssue({ code: 'custom', path: [key], input: timer, message });
      if (timer.track !== undefined && timer.name !== 'platform' && timer.name !== 'rtc') problem('track', `track is for the platform and rtc timers, not ${timer.name}`);
      if ((timer.frequency !== undefined || timer.mode !== undefined) && timer.name !== 'tsc') problem(timer.frequency !== undefined ? 'frequency' : 'mode', `frequency and mode are for the tsc timer, not ${timer.name}`);
      if (timer.tickPolicy !== undefined && (timer.name === 'kvmclock' || timer.name === 'hypervclock')) problem('tickPolicy', `the ${timer.name} timer takes no tickPolicy`);
      if (timer.catchup !== undefined && timer.tickPolicy !== 'catchup') problem('catchup', 'catchup goes with tickPolicy: catchup');
    }),
  );

/** libvirt's `<clock>` (domaincommon.rng `clock`): each offset with the attributes it takes. */
export const clockSchema = z
  .object({
    offset: z.enum(CLOCK_OFFSETS),
    timezone: text.optional().meta({ description: 'offset timezone: the zone, e.g. Europe/Paris' }),
    adjustment: z.union([z.int(), z.literal('reset')]).optional().meta({ description: 'utc or localtime: seconds or reset; variable: seconds' }),
    basis: z.enum(CLOCK_BASES).optional().meta({ description: 'offset variable: utc (default) or localtime' }),
    start: z.int().min(0).optional().meta({ description: 'offset absolute: the epoch second the guest clock starts at' }),
    timers: z.array(timerSchema).optional(),
  })
  .strict()
  .check(
    z.superRefine((clock, ctx) => {
      const problem = (key: string, message: string): void => ctx.addIssue({ code: 'custom', path: [key], input: clock, message });
      if (clock.timezone !== undefined && clock.offset !== 'timezone') problem('timezone', `timezone goes with offset: timezone, not ${clock.offset}`);
      if (clock.basis !== undefined && clock.offset !== 'variable') problem('basis', `basis goes with offset: variable, not ${clock.offset}`);
      if (clock.offset === 'absolute' && clock.start === undefined) problem('offset', 'offset absolute needs start: (the epoch second the guest clock starts at)');
      if (clock.start !== undefined && clock.offset !== 'absolute') problem('start', `start goes with offset: absolute, not ${clock.offset}`);
      if (clock.adjustment !== undefined && clock.offset !== 'utc' && clock.offset !== 'localtime' && clock.offset !== 'variable') problem('adjustment', `adjustment goes with offset utc, localtime or variable, not ${clock.offset}`);
      if (clock.adjustment === 'reset' && clock.offset === 'variable') problem('adjustment', 'offset variable takes an adjustment in seconds, not reset');
    }),
  );


export const vmSchema = z
  .object({
    name,
    vcpus: count,
    memory: guestMemorySize,
    currentMemory: guestMemorySize
      .optional()
      .meta({ description: 'The balloon target at boot (libvirt currentMemory), at most memory; the guest may balloon up to memory' }),
    arch: arch.optional().meta({ description: 'Guest CPU architecture (libvirt os type arch), default x86_64' }),
    hypervisor: z.enum(VM_HYPERVISORS).default('auto'),
    guestType: guestType.optional(),
    os: guestOs.optional(),
    firmware: firmware.optional(),
    secureBoot: flag.default(false),
    machine: text.optional(),
    cpuMode: cpuMode.optional(),
    cpuModel: text.optional(),
    kernel: text.optional(),
    initrd: text.optional(),
    cmdline: text.optional(),
    bootloader: text.optional(),
    disks: z.array(diskSchema).default([]),
    networks: z.array(nicSchema).default([]),
    cloudInit: cloudInitSchema.optional(),
    securityClass: z.enum(SECURITY_CLASSES).default('general'),
    workload: z.enum(WORKLOADS).default('general'),
    affinity: text.optional(),
    antiAffinity: text.optional(),
    softAntiAffinity: text.optional(),
    host: nameRef.optional(),
    zone: text.optional(),
    migrationPool: nameRef.optional(),
    hugepages: z
      .union([flag, z.enum(HUGEPAGE_SIZES)], {
        error: (issue) => (issue.code === 'invalid_union' ? "expected true, false, '2MiB' or '1GiB'" : undefined),
      })
      .default(false)
      .meta({ description: "Back guest memory with hugepages from the host's pool: true (the pool's page size), '2MiB' or '1GiB'" }),
    numa: z.enum(NUMA_POLICIES).default('none'),
    graphics: z
      .object({ type: z.enum(GRAPHICS_TYPES), listen: text.default('127.0.0.1'), password: secret.optional() })
      .strict()
      .optional(),
    hostdevs: z
      .array(z.string().regex(PCI_ADDRESS, { error: (issue) => `'${String(issue.input)}' is not a PCI address like 0000:3b:00.0` }))
      .default([]),
    balloon: flag
      .optional()
      .meta({ description: 'Memory balloon device. A Xen host with memory overcommit above 1 needs balloon: true declared on every VM it carries (XEN-MEM-OVERCOMMIT-NO-BALLOON)' }),
    rng: flag.optional(),
    console: flag
      .optional()
      .meta({ description: 'A pty serial console (KVM: a serial port and its console; Xen: the PV console); default true. hyperplan import --from writes false for a KVM domain that has none' }),
    autostart: flag.default(true),
    running: flag
      .optional()
      .meta({ description: 'Whether the domain runs after terraform apply (default true). hyperplan import --from writes false for a domain that is shut off, so that adopting it does not start it' }),
    onPoweroff: z.enum(LIFECYCLE_ACTIONS).optional().meta({ description: "What libvirt does when the guest powers off (on_poweroff); libvirt's default: destroy" }),
    onReboot: z.enum(LIFECYCLE_ACTIONS).optional().meta({ description: "What libvirt does when the guest reboots (on_reboot); libvirt's default: restart" }),
    onCrash: z.enum(CRASH_ACTIONS).optional().meta({ description: "What libvirt does when the guest crashes (on_crash); libvirt's default: destroy" }),
    clock: clockSchema
      .optional()
      .meta({ description: "The guest clock (libvirt <clock>): offset and timers; default utc (localtime for Windows), the hypervisor's timers" }),
    bootDevices: z
      .array(z.enum(BOOT_DEVICES))
      .min(1)
      .optional()
      .meta({ description: "The devices the firmware boots from, in order (libvirt <os><boot dev>): hd, cdrom, network, fd; default hd" }),
    vcpuPlacement: z
      .enum(VCPU_PLACEMENTS)
      .optional()
      .meta({ description: "Where the vCPUs run (libvirt <vcpu placement>): static (cpuset, or any host CPU) or auto (numad's advice); default static" }),
    cpuset: z
      .string()
      .regex(CPUSET_PATTERN, { error: (issue) => `'${String(issue.input)}' is not a libvirt cpuset like 0-3,8,^2` })
      .optional()
      .meta({ description: 'Host CPUs the vCPUs may run on (libvirt <vcpu cpuset>), e.g. 0-3,^2' }),
  })
  .strict()
  .check(
    z.superRefine((vm, ctx) => {
      const guestArch = vm.arch ?? 'x86_64';
      if (vm.machine !== undefined && !machineFitsArch(guestArch, vm.machine)) {
        ctx.addIssue({
          code: 'custom',
          path: ['machine'],
          input: vm.machine,
          message: `machine '${vm.machine}' is not a machine type of ${guestArch} guests; use one of ${machinesOf(guestArch)}`,
        });
      }
      if (vm.currentMemory !== undefined && sizeToKiB(vm.currentMemory) > sizeToKiB(vm.memory)) {
        ctx.addIssue({
          code: 'custom',
          path: ['currentMemory'],
          input: vm.currentMemory,
          message: `currentMemory ${vm.currentMemory} is more than memory ${vm.memory}; the balloon target at boot is at most the VM's memory`,
        });
      }
      // Built for VMs that name device targets only (few do; this runs on every VM).
      let targets: Map<string, number> | undefined;
      vm.disks.forEach((disk, index) => {
        if (disk.target === undefined) return;
        targets ??= new Map();
        const earlier = targets.get(disk.target);
        if (earlier !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['disks', index, 'target'], input: disk.target, message: `device name '${disk.target}' is taken by disks[${earlier}]; each disk needs its own` });
        } else targets.set(disk.target, index);
      });
    }),
  );

const backendSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('local'), path: text.optional() }).strict(),
    ...REMOTE_BACKEND_TYPES.map((type) => z.object({ type: z.literal(type), ...REMOTE_BACKEND_SETTINGS[type] }).strict()),
  ],
  {
    error: (issue) => (issue.code === 'invalid_union' ? `backend type must be one of ${BACKEND_TYPE_NAMES.join(', ')}` : undefined),
  },
);

export const stackSchema = z
  .object({ name, hosts: z.array(nameRef).min(1), backend: backendSchema.optional() })
  .strict();

export const fleetFileSchema = z
  .object({
    apiVersion: z.literal(API_VERSION),
    defaults: defaultsSchema.optional(),
    hosts: z.array(hostSchema).default([]),
    migrationPools: z.array(migrationPoolSchema).default([]),
    networks: z.array(networkSchema).default([]),
    pools: z.array(storagePoolSchema).default([]),
    images: z.array(imageSchema).default([]),
    vms: z.array(vmSchema).default([]),
    stacks: z.array(stackSchema).default([]),
  })
  .strict();

/** The list sections of the file, in file order; each item has a unique `name`. */
export const SECTIONS = ['hosts', 'migrationPools', 'networks', 'pools', 'images', 'vms', 'stacks'] as const;
export type Section = (typeof SECTIONS)[number];

/** Shapes as written (what the builder takes); defaults may be left out. */
export type FleetFileInput = z.input<typeof fleetFileSchema>;
export type DefaultsInput = z.input<typeof defaultsSchema>;
export type HostInput = z.input<typeof hostSchema>;
export type MigrationPoolInput = z.input<typeof migrationPoolSchema>;
export type NetworkInput = z.input<typeof networkSchema>;
export type StoragePoolInput = z.input<typeof storagePoolSchema>;
export type ImageInput = z.input<typeof imageSchema>;
export type VmInput = z.input<typeof vmSchema>;
export type StackInput = z.input<typeof stackSchema>;

/** Shapes after parsing (defaults of the schema filled in). */
export type RawDefaults = z.output<typeof defaultsSchema>;
export type RawHost = z.output<typeof hostSchema>;
export type RawMigrationPool = z.output<typeof migrationPoolSchema>;
export type RawNetwork = z.output<typeof networkSchema>;
export type RawStoragePool = z.output<typeof storagePoolSchema>;
export type RawImage = z.output<typeof imageSchema>;
export type RawVm = z.output<typeof vmSchema>;
export type RawStack = z.output<typeof stackSchema>;
export type RawDisk = RawVm['disks'][number];
export type RawNic = RawVm['networks'][number];
