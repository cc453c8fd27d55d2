/**
 * What synthesis needs of a fleet beyond its schema and references, checked at load so that a fleet
 * that loads always synthesizes (the constructs' prop checks stay as a second line of defence for fleets
 * built in code): pool sources, network CIDRs, image file names, device names for disks and cloud-init
 * seeds, stack membership, and the Terraform addresses and construct ids derived from names.
 *
 * Name checks are placement-independent: any VM may land on any host of a stack, so two names that could
 * ever synthesize to one address are reported, naming both entries.
 */
import { cloudInitSeedBus, cloudInitSeedDevice, DEVICE_LETTERS, DISK_DEVICE_PREFIX, effectiveVm } from './effective-vm';
import type { Fleet, Hypervisor, Network, Vm } from './model';
import type { DataVisitor } from './data-walk';
import type { PathProblem, PathSegment } from './problems';
import { stackSpecs } from './stack-specs';
import { storagePoolProblems } from './storage-pool-sources';
import { createsVolume } from './guest-devices';
import { HYPERVISORS } from './vocabulary';
import {
  HOST_ADDRESS_PARTS, HOST_OUTPUTS, imageVolumeName, KVM_HOST_OUTPUTS, MIGRATION_POOL_OUTPUTS, migrationPoolConstructId,
  STACK_BACKEND_CONSTRUCT_ID, terraformId, XEN_HOST_OUTPUTS,
} from './terraform-names';

export type SynthesisFleet = Omit<Fleet, 'file' | 'locations'>;

/** The prefix lengths libvirt's `<ip>` gets a gateway and a DHCP range from: a /30 is the smallest such network. */
export const MIN_NETWORK_PREFIX = 1;
export const MAX_NETWORK_PREFIX = 30;

/** nat and route networks are libvirt's own IP networks: they need an address range. */
export const needsCidr = (network: Pick<Network, 'mode'>): boolean => network.mode === 'nat' || network.mode === 'route';

function networkProblems(fleet: SynthesisFleet): PathProblem[] {
  return fleet.networks.flatMap((network, index): PathProblem[] => {
    if (network.cidr === undefined) {
      return needsCidr(network)
        ? [{ path: ['networks', index, 'mode'], message: `a ${network.mode} network needs 'cidr' (e.g. 192.168.122.0/24): libvirt gives it a gateway and DHCP range` }]
        : [];
    }
    const prefix = Number(network.cidr.split('/')[1]);
    if (prefix >= MIN_NETWORK_PREFIX && prefix <= MAX_NETWORK_PREFIX) return [];
    return [{
      path: ['networks', index, 'cidr'],
      message: `'${network.cidr}' leaves no room for a gateway and a DHCP range; use a prefix from /${MIN_NETWORK_PREFIX} to /${MAX_NETWORK_PREFIX}`,
    }];
  });
}

function poolProblems(fleet: SynthesisFleet): PathProblem[] {
  return fleet.pools.flatMap((pool, index) => storagePoolProblems(pool).map(([key, message]) => ({ path: ['pools', index, key], message })));
}

/** Hypervisors a VM can be synthesized for: its own, or every kind of host the fleet has. */
function hypervisorsOf(vm: Vm, kinds: readonly Hypervisor[]): readonly Hypervisor[] {
  return vm.hypervisor === 'auto' ? kinds : [vm.hypervisor];
}

function deviceProblems(fleet: SynthesisFleet, kinds: readonly Hypervisor[]): PathProblem[] {
  const asFleet: Fleet = { ...fleet, locations: {} };
  return fleet.vms.flatMap((vm, index): PathProblem[] => {
    if (vm.cloudInit !== undefined && vm.disks.length === 0) {
      return [{ path: ['vms', index, 'cloudInit'], message: "cloudInit needs a disk: the seed volume goes into the OS disk's pool; add a disk or remove cloudInit" }];
    }
    // Device names run out only with DEVICE_LETTERS disks on one prefix (the seed needs one more).
    if (vm.disks.length < DEVICE_LETTERS + (vm.cloudInit === undefined ? 1 : 0)) return [];
    const at = (...rest: PathSegment[]): PathSegment[] => ['vms', index, ...rest];
    // One problem per path and cause, naming every hypervisor it happens on.
    const found = new Map<string, { path: PathSegment[]; hypervisors: Hypervisor[]; message: (on: string) => string }>();
    const note = (path: PathSegment[], cause: string, hypervisor: Hypervisor, message: (on: string) => string): void => {
      const key = `${path.join('.')} ${cause}`;
      const entry = found.get(key);
      if (entry) entry.hypervisors.push(hypervisor);
      else found.set(key, { path, hypervisors: [hypervisor], message });
    };
    for (const hypervisor of hypervisorsOf(vm, kinds)) {
      const effective = effectiveVm(asFleet, vm, hypervisor);
      // effectiveVm names the disk after the last free letter `<prefix>?`; names the fleet gives (vdaa …) are kept.
      const noted = new Set<string>();
      for (const disk of effective.disks) {
        const prefix = DISK_DEVICE_PREFIX[disk.bus];
        if (!disk.target.endsWith('?') || noted.has(prefix)) continue;
        noted.add(prefix);
        note(at('disks', disk.index), prefix, hypervisor, (on) => `more than ${DEVICE_LETTERS} disks use ${prefix}* device names on ${on} (${prefix}a to ${prefix}z); move some to another bus or name them with target:`);
      }
      if (vm.cloudInit !== undefined && cloudInitSeedDevice(effective) === undefined) {
        const bus = cloudInitSeedBus(effective);
        const prefix = DISK_DEVICE_PREFIX[bus];
        note(at('cloudInit'), bus, hypervisor, (on) => `on ${on} the cloud-init seed goes on the ${bus} bus, but the disks use every ${prefix}* device name; move a disk to another bus`);
      }
    }
    return [...found.values()].map(({ path, hypervisors, message }) => ({ path, message: message(hypervisors.join(' and ')) }));
  });
}

/**
 * Base images: the volume name is the file name of the source, so a source needs one, and two sources
 * with one file name cannot go into one pool (a VM's base image goes into its OS disk's pool).
 */
function imageProblems(fleet: SynthesisFleet, volumeNames: VolumeNames): PathProblem[] {
  const problems: PathProblem[] = [];
  const named = new Map(fleet.images.map((image) => [image.name, image]));
  fleet.images.forEach((image, index) => {
    if (imageVolumeName(image.source) === '') problems.push({ path: ['images', index, 'source'], message: noFileName(image.source) });
  });
  /** Pool → volume → the first disk that puts an image there. */
  const volumes = new Map<string, Map<string, { source: string; vmIndex: number; diskIndex: number }>>();
  fleet.vms.forEach((vm, vmIndex) => {
    vm.disks.forEach((disk, diskIndex) => {
      if (disk.image === undefined || disk.pool === undefined) return;
      const source = named.get(disk.image)?.source ?? disk.image;
      const volume = volumeNames(source);
      if (volume === '') {
        if (!named.has(disk.image)) problems.push({ path: ['vms', vmIndex, 'disks', diskIndex, 'image'], message: noFileName(source) });
        return;
      }
      let inPool = volumes.get(disk.pool);
      if (inPool === undefined) volumes.set(disk.pool, (inPool = new Map()));
      const first = inPool.get(volume);
      if (first === undefined) inPool.set(volume, { source, vmIndex, diskIndex });
      else if (first.source !== source) {
        problems.push({
          path: ['vms', vmIndex, 'disks', diskIndex, 'image'],
          message: `image '${source}' and image '${first.source}' (vms[${first.vmIndex}].disks[${first.diskIndex}]) would both be volume '${volume}' in pool '${disk.pool}'; rename one of the files or use another pool`,
        });
      }
    });
  });
  return problems;
}

/** `imageVolumeName`, computed once per source: 20,000 VMs name a handful of images. */
type VolumeNames = (source: string) => string;

function volumeNamesOnce(): VolumeNames {
  const names = new Map<string, string>();
  return (source) => {
    let name = names.get(source);
    if (name === undefined) names.set(source, (name = imageVolumeName(source)));
    return name;
  };
}

function noFileName(source: string): string {
  return `image source '${source}' has no file name; give a path or URL ending in the image file (e.g. /images/debian-12.qcow2), which becomes the volume name`;
}

function stackProblems(fleet: SynthesisFleet): PathProblem[] {
  const problems: PathProblem[] = [];
  const member = new Set<string>();
  fleet.stacks.forEach((stack, index) => {
    const seen = new Set<string>();
    stack.hosts.forEach((host, i) => {
      if (seen.has(host)) problems.push({ path: ['stacks', index, 'hosts', i], message: `host '${host}' is listed twice in stack '${stack.name}'` });
      seen.add(host);
      member.add(host);
    });
  });
  if (fleet.stacks.length > 0) {
    const names = fleet.stacks.map((s) => s.name).join(', ');
    fleet.hosts.forEach((host, index) => {
      if (!member.has(host.name)) {
        problems.push({ path: ['hosts', index, 'name'], message: `host '${host.name}' is in no stack; add it to one of the stacks (${names}): synthesis defines each host in its stack` });
      }
    });
  }
  return problems;
}

/** Where a name came from, for messages that name both entries of a collision. */
interface Origin {
  readonly path: readonly PathSegment[];
  readonly label: string;
}

const label = (section: string, index: number, name: string): string => `${section}[${index}] '${name}'`;

/** Two names of one section that become one Terraform id (`web-1`, `web_1`); also the VMs' ids, in order. */
function sectionIdProblems(fleet: SynthesisFleet): { problems: PathProblem[]; vmIds: string[] } {
  const problems: PathProblem[] = [];
  let vmIds: string[] = [];
  const sections = { hosts: fleet.hosts, vms: fleet.vms, pools: fleet.pools, networks: fleet.networks, migrationPools: fleet.migrationPools } as const;
  for (const [section, items] of Object.entries(sections)) {
    /** Id → index of the first item with it. */
    const ids = new Map<string, number>();
    const sectionIds = items.map((item: { readonly name: string }, index: number) => {
      const id = terraformId(item.name);
      const first = ids.get(id);
      if (first === undefined) ids.set(id, index);
      else problems.push({ path: [section, index, 'name'], message: `'${item.name}' and ${label(section, first, items[first]!.name)} both become the Terraform name '${id}'; rename one` });
      return id;
    });
    if (section === 'vms') vmIds = sectionIds;
  }
  return { problems, vmIds };
}

/**
 * Construct ids the `constructs` library cannot take: it keeps children in a plain object and tests
 * `children[id]`, so an id like `constructor` or `toString` already "exists" (constructs lib/construct.js,
 * Node.addChild).
 */
function isReservedConstructId(id: string): boolean {
  return id in Object.prototype;
}

/** Host and stack names used as construct ids as they are: reserved ids, and ids of the stack's other children. */
function constructIdProblems(fleet: SynthesisFleet): PathProblem[] {
  const reserved: PathProblem[] = [];
  for (const [section, items] of [['hosts', fleet.hosts], ['stacks', fleet.stacks]] as const) {
    items.forEach((item: { readonly name: string }, index: number) => {
      if (isReservedConstructId(item.name)) {
        reserved.push({ path: [section, index, 'name'], message: `'${item.name}' cannot name a ${section === 'hosts' ? 'host' : 'stack'}: it becomes a construct id, and cdktf's construct tree reserves it; rename it` });
      }
    });
  }
  const pools = new Map(fleet.migrationPools.map((pool, index) => [migrationPoolConstructId(pool.name), label('migrationPools', index, pool.name)]));
  return fleet.hosts.flatMap((host, index): PathProblem[] => {
    if (host.name === STACK_BACKEND_CONSTRUCT_ID) {
      return [{ path: ['hosts', index, 'name'], message: `a host cannot be named '${host.name}': the stack's Terraform backend has that name; rename the host` }];
    }
    const pool = pools.get(host.name);
    return pool === undefined ? [] : [{ path: ['hosts', index, 'name'], message: `a host cannot be named '${host.name}': ${pool} has that name in the stack; rename the host or the pool` }];
  }).concat(reserved);
}

type Namespace = Map<string, Origin>;

/**
 * Address tails (after `<host>_`) per Terraform resource type, from every object that could be on any
 * host; a tail two objects share is a collision on the host that gets both.
 */
function hostTails(fleet: SynthesisFleet, vmIds: readonly string[], volumeNames: VolumeNames, problems: PathProblem[]): Map<string, Namespace> {
  const namespaces = new Map<string, Namespace>();
  const namespaceOf = (type: string): Namespace => {
    let namespace = namespaces.get(type);
    if (!namespace) namespaces.set(type, (namespace = new Map()));
    return namespace;
  };
  /** Records the address tail `tail` (an id already) of `origin`, or the collision with its first holder. */
  const add = (type: string, tail: string, origin: Origin): void => {
    const namespace = namespaceOf(type);
    const first = namespace.get(tail);
    if (first === undefined) namespace.set(tail, origin);
    else if (first.label !== origin.label) {
      problems.push({ path: origin.path, message: `${origin.label} and ${first.label} would both be ${type}.<host>_${tail} on a host that has both; rename one` });
    }
  };
  fleet.pools.forEach((pool, i) => add('libvirt_pool', terraformId(...HOST_ADDRESS_PARTS.pool(pool.name)), { path: ['pools', i, 'name'], label: label('pools', i, pool.name) }));
  fleet.networks.forEach((net, i) => add('libvirt_network', terraformId(...HOST_ADDRESS_PARTS.network(net.name)), { path: ['networks', i, 'name'], label: label('networks', i, net.name) }));
  const images = new Map(fleet.images.map((image) => [image.name, image.source]));
  /** Pool → volume → tail and label of the base image (one per pair, however many disks use it). */
  const baseImages = new Map<string, Map<string, { tail: string; label: string }>>();
  fleet.vms.forEach((vm, i) => {
    const origin = { path: ['vms', i, 'name'], label: label('vms', i, vm.name) };
    // The VM's id stands for its name: terraformId is idempotent on its first part, and this saves
    // making the name an id again for each address.
    const id = vmIds[i]!;
    add('libvirt_domain', terraformId(...HOST_ADDRESS_PARTS.domain(id)), origin);
    vm.disks.forEach((disk, d) => {
      if (createsVolume(disk)) add('libvirt_volume', terraformId(...HOST_ADDRESS_PARTS.disk(id, d)), origin);
      if (disk.image !== undefined && disk.pool !== undefined) {
        const volume = volumeNames(images.get(disk.image) ?? disk.image);
        let inPool = baseImages.get(disk.pool);
        if (inPool === undefined) baseImages.set(disk.pool, (inPool = new Map()));
        let image = inPool.get(volume);
        if (image === undefined) {
          image = { tail: terraformId(...HOST_ADDRESS_PARTS.baseImage(disk.pool, volume)), label: `the base image '${volume}' in pool '${disk.pool}'` };
          inPool.set(volume, image);
        }
        // The same base image as the first holder of its tail: `add` would find nothing new.
        if (namespaceOf('libvirt_volume').get(image.tail)?.label === image.label) return;
        add('libvirt_volume', image.tail, { path: ['vms', i, 'disks', d, 'image'], label: image.label });
      }
    });
    if (vm.cloudInit !== undefined) {
      add('libvirt_cloudinit_disk', terraformId(...HOST_ADDRESS_PARTS.cloudInitDisk(id)), origin);
      add('libvirt_volume', terraformId(...HOST_ADDRESS_PARTS.cloudInitVolume(id)), { ...origin, label: `the cloud-init volume of ${origin.label}` });
    }
  });
  return namespaces;
}

/**
 * Addresses of hosts of one stack whose ids nest (`h` and `h_x`): `h` + `x_vm` is `h_x` + `vm`. Also
 * outputs, which hosts and migration pools share.
 */
function stackAddressProblems(fleet: SynthesisFleet, namespaces: ReadonlyMap<string, Namespace>): PathProblem[] {
  const problems: PathProblem[] = [];
  const hostIndex = new Map(fleet.hosts.map((host, index) => [host.name, index]));
  for (const spec of stackSpecs(fleet)) {
    const members = spec.hosts.filter((name) => hostIndex.has(name));
    const byId = new Map(members.map((name) => [terraformId(name), name]));
    for (const outer of members) {
      const id = terraformId(outer);
      for (let cut = id.indexOf('_'); cut > 0; cut = id.indexOf('_', cut + 1)) {
        const inner = byId.get(id.slice(0, cut));
        if (inner === undefined) continue;
        const rest = id.slice(cut + 1);
        for (const [type, namespace] of namespaces) {
          for (const [tail, origin] of namespace) {
            const other = tail.startsWith(`${rest}_`) ? namespace.get(tail.slice(rest.length + 1)) : undefined;
            if (other === undefined) continue;
            problems.push({
              path: origin.path,
              message: `in stack '${spec.name}', ${origin.label} on host '${inner}' and ${other.label} on host '${outer}' would both be ${type}.${terraformId(inner, tail)}; rename one of the hosts`,
            });
          }
        }
      }
    }
    const outputs = new Map<string, Origin>();
    const output = (id: string, origin: Origin): void => {
      const first = outputs.get(id);
      if (first === undefined) outputs.set(id, origin);
      else if (first.label !== origin.label) problems.push({ path: origin.path, message: `in stack '${spec.name}', ${origin.label} and ${first.label} would both define output '${id}'; rename one` });
    };
    for (const name of members) {
      const index = hostIndex.get(name)!;
      const host = fleet.hosts[index]!;
      const kindOutputs = host.hypervisor === 'kvm' ? KVM_HOST_OUTPUTS : XEN_HOST_OUTPUTS;
      for (const out of [...HOST_OUTPUTS, ...kindOutputs]) output(terraformId(name, out), { path: ['hosts', index, 'name'], label: label('hosts', index, name) });
    }
    const stackHosts = new Set(members);
    fleet.migrationPools.forEach((pool, index) => {
      if (!pool.hosts.some((h) => stackHosts.has(h))) return;
      for (const out of MIGRATION_POOL_OUTPUTS) output(terraformId(pool.name, out), { path: ['migrationPools', index, 'name'], label: label('migrationPools', index, pool.name) });
    });
  }
  return problems;
}

/** Every problem synthesis would meet in a fleet that passed the schema and the cross-checks. */
export function synthesisProblems(fleet: SynthesisFleet): PathProblem[] {
  const kinds = HYPERVISORS.filter((kind) => fleet.hosts.some((h) => h.hypervisor === kind));
  const volumeNames = volumeNamesOnce();
  const problems = [
    ...poolProblems(fleet),
    ...networkProblems(fleet),
    ...imageProblems(fleet, volumeNames),
    ...deviceProblems(fleet, kinds),
    ...stackProblems(fleet),
    ...constructIdProblems(fleet),
  ];
  // Address checks build on unique ids per section; with twins there, they would only repeat the news.
  const { problems: twins, vmIds } = sectionIdProblems(fleet);
  if (twins.length > 0) return [...problems, ...twins];
  const namespaces = hostTails(fleet, vmIds, volumeNames, problems);
  return [...problems, ...stackAddressProblems(fleet, namespaces)];
}

/** cdktf's token markers (cdktf lib/tokens/private/encoding.js): a string holding one is read as a reference. */
const TOKEN_SHAPED = /[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}/;
/** What every token marker contains: a string without it needs no regex call. */
const TOKEN_MARK = '{TfToken[';

/** One buffer for `isTokenNumber`, which runs on every number of the fleet. */
const NUMBER_BITS = new DataView(new ArrayBuffer(8));
/**
 * Top 16 bits 0xfbff and 0xfdff are negative numbers of exponent 2^960 and more; anything above this
 * (NaN too) is no token, without a look at its bits.
 */
const TOKEN_NUMBERS_BELOW = -(2 ** 960);

/** True for a double cdktf decodes as a token (top 16 bits 0xfdff or 0xfbff, encoding.js). */
export function isTokenNumber(value: number): boolean {
  if (!(value <= TOKEN_NUMBERS_BELOW)) return false;
  NUMBER_BITS.setFloat64(0, value);
  const top = NUMBER_BITS.getUint16(0);
  return top === 0xfdff || top === 0xfbff;
}

/**
 * Strings and numbers anywhere in the fleet data that cdktf would take for its own tokens; they would
 * be resolved as references (or crash synthesis) instead of being written as they are. Found in the
 * shared walk over the parsed data, which copies the path only for a hit.
 */
export function tokenProblems(problems: PathProblem[]): DataVisitor {
  return {
    string(value, path) {
      if (value.includes(TOKEN_MARK) && TOKEN_SHAPED.test(value)) problems.push({ path: [...path], message: "contains a cdktf token marker (like '${TfToken[…]}'), which synthesis would read as a reference; remove it" });
    },
    number(value, path) {
      if (isTokenNumber(value)) problems.push({ path: [...path], message: `${value} is a number cdktf reserves for its own references; use another value` });
    },
    key(key, path) {
      if (key.includes(TOKEN_MARK) && TOKEN_SHAPED.test(key)) problems.push({ path: [...path], message: 'this key contains a cdktf token marker; remove it', at: 'key' });
    },
  };
}
