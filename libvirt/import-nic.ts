/**
 * `<interface>` → the fleet's NIC: a libvirt network (with its port group) or a host bridge (a bridge becomes
 * a fleet network of mode bridge), user-mode networking (SLIRP or passt), a tap device (ethernet), macvtap
 * (direct), a passed-through PCI network function (hostdev), a vDPA device or a QEMU socket (client, server,
 * mcast, udp), with model, MAC, virtio-net queues and a host-side device name chosen in the definition.
 */
import type { VmInput } from '../fleet/schema';
import { MACVTAP_MODES } from '../fleet/guest-devices';
import { all, type Consumption, first, isMac, type NoteSink, type ImportHypervisor } from './import-support';
import type { XmlNode } from './xml-read';

/** Names libvirt gives a running NIC's host device (vnetN, macvtapN; the test driver testnetN). */
export const RUNTIME_DEVICE = /^(vnet|macvtap|tap|testnet)\d+$/;

export type NicInput = NonNullable<VmInput['networks']>[number];

/** Finds (or, from bare domain files, assumes) the fleet network behind a NIC's source. */
export interface NetworkResolver {
  network(name: string, line: number, sink: NoteSink): string | undefined;
  bridge(bridge: string, line: number, sink: NoteSink): string | undefined;
}

export interface NicContext {
  readonly hypervisor: ImportHypervisor;
  /** The guest's `<os><type arch machine>` (the NIC model libvirt's QEMU driver picks depends on them). */
  readonly arch?: string;
  readonly machine?: string;
  readonly used: Consumption;
  readonly sink: NoteSink;
  readonly networks: NetworkResolver;
}

/** The NIC's attachment: a fleet network, or the type (user, ethernet, direct) with its host-side keys. */
function attachment(nic: XmlNode, context: NicContext): Exclude<NicInput, string> | undefined {
  const source = first(nic, 'source');
  const { used } = context;
  switch (nic.attributes.type) {
    case 'network':
    case 'bridge': {
      const network = networkOf(nic, context);
      if (!network) return undefined;
      const portgroup = nic.attributes.type === 'network' ? source?.attributes.portgroup : undefined;
      if (portgroup) used.use(source, 'portgroup');
      // The network port libvirt creates when the NIC connects (formatdomain "Virtual network": portid is
      // "the UUID of the network port" libvirt allocates), a run-time identity like a vnetN tap name.
      if (nic.attributes.type === 'network' && source?.attributes.portid !== undefined) used.use(source, 'portid');
      return { network, ...(portgroup ? { portgroup } : {}) };
    }
    case 'user':
      return userNic(nic, used);
    case 'ethernet':
      return { type: 'ethernet' };
    case 'hostdev':
      return hostdevNic(nic, used);
    case 'vdpa':
      if (!source?.attributes.dev) return undefined;
      used.use(source, 'dev');
      return { type: 'vdpa', dev: source.attributes.dev };
    case 'client':
    case 'server':
    case 'mcast':
    case 'udp':
      return socketNic(nic.attributes.type, source, used);
    case 'direct': {
      const mode = source?.attributes.mode;
      if (!source?.attributes.dev) return undefined;
      used.use(source, 'dev');
      if ((MACVTAP_MODES as readonly string[]).includes(mode ?? '')) used.use(source, 'mode');
      return { type: 'direct', dev: source.attributes.dev, ...((MACVTAP_MODES as readonly string[]).includes(mode ?? '') ? { mode: mode as (typeof MACVTAP_MODES)[number] } : {}) };
    }
    default:
      return undefined;
  }
}

/** `<backend type='passt'>` with the host interface passt uses (`<source dev>`); QEMU's SLIRP has neither. */
function userNic(nic: XmlNode, used: Consumption): Exclude<NicInput, string> {
  const backend = first(nic, 'backend');
  const dev = first(nic, 'source')?.attributes.dev;
  if (backend?.attributes.type !== 'passt') return { type: 'user' };
  used.use(backend, 'type');
  if (dev !== undefined) used.use(first(nic, 'source'), 'dev');
  return { type: 'user', backend: 'passt', ...(dev !== undefined ? { dev } : {}) };
}

const HEX = /^(0x)?[0-9a-f]+$/i;

/** `<source><address type='pci' domain bus slot function/>`: the host PCI network function, as `0000:03:07.1`. */
function hostdevNic(nic: XmlNode, used: Consumption): Exclude<NicInput, string> | undefined {
  const address = first(first(nic, 'source'), 'address');
  const { type, domain = '0', bus, slot, function: fn } = address?.attributes ?? {};
  if (type !== 'pci' || ![domain, bus, slot, fn].every((part) => part !== undefined && HEX.test(part))) return undefined;
  const hex = (part: string, width: number): string => Number.parseInt(part.replace(/^0x/i, ''), 16).toString(16).padStart(width, '0');
  used.use(first(nic, 'source'));
  used.use(address, 'type', 'domain', 'bus', 'slot', 'function');
  // managed='yes' is what hyperplan renders for every passed-through device.
  if (nic.attributes.managed === 'yes') used.use(nic, 'managed');
  const driver = first(nic, 'driver');
  // vfio is the only PCI passthrough backend of current libvirt (formatdomain "PCI passthrough": name='vfio').
  if (driver?.attributes.name === 'vfio') used.use(driver, 'name');
  return { type: 'hostdev', pci: `${hex(domain, 4)}:${hex(bus!, 2)}:${hex(slot!, 2)}.${hex(fn!, 1)}` };
}

/** A QEMU socket backend: `<source address port>`, with `<local address port>` on udp. */
function socketNic(type: 'client' | 'server' | 'mcast' | 'udp', source: XmlNode | undefined, used: Consumption): Exclude<NicInput, string> | undefined {
  const port = Number(source?.attributes.port);
  const address = source?.attributes.address;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || (address === undefined && type !== 'server')) return undefined;
  used.use(source, 'address', 'port');
  const localNode = first(source, 'local');
  const localPort = Number(localNode?.attributes.port);
  const local = type === 'udp' && localNode?.attributes.address && Number.isInteger(localPort) && localPort >= 1 && localPort <= 65535 ? { address: localNode.attributes.address, port: localPort } : undefined;
  if (local) used.use(localNode, 'address', 'port');
  return { type, ...(address !== undefined ? { address } : {}), port, ...(local ? { local } : {}) };
}

function networkOf(nic: XmlNode, context: NicContext): string | undefined {
  const source = first(nic, 'source');
  if (nic.attributes.type === 'network' && source?.attributes.network) {
    const name = context.networks.network(source.attributes.network, source.line, context.sink);
    if (name) context.used.use(source, 'network');
    return name;
  }
  if (nic.attributes.type === 'bridge' && source?.attributes.bridge) {
    const name = context.networks.bridge(source.attributes.bridge, source.line, context.sink);
    if (name) context.used.use(source, 'bridge');
    return name;
  }
  return undefined;
}

/**
 * The model libvirt's QEMU driver gives a NIC whose definition names none (libvirt
 * src/qemu/qemu_domain.c, qemuDomainDefaultNetModel): virtio on s390 and on the Arm and RISC-V `virt`
 * machines, else rtl8139 (the first of rtl8139, e1000, virtio QEMU has; every x86 and POWER QEMU has
 * rtl8139). Written into the fleet, since a NIC without a model renders as virtio on KVM.
 */
function libvirtDefaultNicModel(arch: string | undefined, machine: string | undefined): string {
  const virt = machine === 'virt' || machine?.startsWith('virt-') === true;
  if (arch === 's390x' || arch === 's390') return 'virtio';
  if ((arch === 'aarch64' || arch === 'riscv64') && virt) return 'virtio';
  return 'rtl8139';
}

/** The domain's NICs the fleet can express; the others stay unconsumed and are reported dropped. */
export function importNics(devices: XmlNode | undefined, context: NicContext): NicInput[] {
  const { used, hypervisor } = context;
  return all(devices, 'interface').flatMap((nic): NicInput[] => {
    const attached = attachment(nic, context);
    if (!attached) return [];
    used.use(nic, 'type');
    // A host-side device name chosen in the definition (libvirt's own vnetN/macvtapN are run-time names).
    const targetDev = first(nic, 'target')?.attributes.dev;
    const target = targetDev && attached.type !== 'user' && !RUNTIME_DEVICE.test(targetDev) ? targetDev : undefined;
    if (target) used.use(first(nic, 'target'), 'dev');
    const model = first(nic, 'model')?.attributes.type ?? (hypervisor === 'kvm' ? libvirtDefaultNicModel(context.arch, context.machine) : undefined);
    used.use(first(nic, 'model'), 'type');
    const mac = first(nic, 'mac')?.attributes.address;
    if (isMac(mac)) used.use(first(nic, 'mac'), 'address');
    const driver = first(nic, 'driver');
    const queuesText = driver?.attributes.queues;
    const queues = queuesText && /^\d+$/.test(queuesText) && Number(queuesText) >= 1 ? Number(queuesText) : undefined;
    if (queues) used.use(driver, 'queues');
    // libvirt opens vhost-net for a KVM virtio NIC whenever it can; the fleet leaves that to it and renders
    // no driver name (constructs/virtual-machine.ts), so an explicit one is left to libvirt as well.
    if (driver?.attributes.name === 'vhost' && hypervisor === 'kvm' && model === 'virtio') {
      used.use(driver, 'name');
      context.sink.approximated(driver.line, '/domain/devices/interface/driver@name', "'vhost' left to libvirt, which uses vhost-net for every KVM virtio NIC when the host has it");
    }
    const details = {
      ...(target ? { target } : {}),
      ...(model ? { model } : {}),
      ...(isMac(mac) ? { mac } : {}),
      ...(queues ? { queues } : {}),
    };
    return [Object.keys(details).length === 0 && attached.network !== undefined && Object.keys(attached).length === 1 ? attached.network : { ...attached, ...details }];
  });
}
