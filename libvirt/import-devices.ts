/**
 * The remaining `<devices>`: memory balloon, RNG, graphics console, PCI passthrough and the serial console.
 */
import type { VmInput } from '../fleet/schema';
import { all, type Consumption, first, type ImportHypervisor } from './import-support';
import type { XmlNode } from './xml-read';

export type DeviceFields = Pick<VmInput, 'balloon' | 'rng' | 'graphics' | 'hostdevs' | 'console'>;

/** A PCI address part in hex of `width` digits; undefined when not a number. */
function hex(value: string | undefined, width: number): string | undefined {
  if (value === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(value)) return undefined;
  return Number(value).toString(16).padStart(width, '0');
}

function hostdevs(devices: XmlNode | undefined, used: Consumption): string[] {
  const out: string[] = [];
  for (const hostdev of all(devices, 'hostdev')) {
    const address = first(first(hostdev, 'source'), 'address');
    if (hostdev.attributes.mode !== 'subsystem' || hostdev.attributes.type !== 'pci' || !address) continue;
    const [domain, bus, slot, fn] = [hex(address.attributes.domain ?? '0', 4), hex(address.attributes.bus, 2), hex(address.attributes.slot, 2), hex(address.attributes.function, 1)];
    if (!domain || !bus || !slot || !fn || domain.length > 4 || bus.length > 2 || slot.length > 2 || Number(`0x${fn}`) > 7) continue;
    out.push(`${domain}:${bus}:${slot}.${fn}`);
    used.use(hostdev, 'mode', 'type', 'managed');
    used.use(first(hostdev, 'source'));
    used.use(address, 'domain', 'bus', 'slot', 'function');
  }
  return out;
}

export function importDevices(devices: XmlNode | undefined, hypervisor: ImportHypervisor, used: Consumption): DeviceFields {
  const out: { -readonly [K in keyof DeviceFields]?: DeviceFields[K] } = {};
  const balloon = first(devices, 'memballoon');
  if (balloon?.attributes.model === 'none') out.balloon = false;
  else if (balloon?.attributes.model === 'virtio' || balloon?.attributes.model === 'xen') out.balloon = true;
  if (out.balloon !== undefined) used.use(balloon, 'model');
  const rngs = all(devices, 'rng');
  const rng = rngs.find((r) => r.attributes.model === 'virtio' && first(r, 'backend')?.attributes.model === 'random');
  if (rng) {
    out.rng = true;
    used.use(rng, 'model');
    used.useAll(first(rng, 'backend'));
  } else if (hypervisor === 'kvm' && rngs.length === 0) {
    out.rng = false;
  }
  const graphics = all(devices, 'graphics').find((g) => g.attributes.type === 'vnc' || g.attributes.type === 'spice');
  if (graphics) {
    const listenChild = first(graphics, 'listen');
    const listen = graphics.attributes.listen ?? (listenChild?.attributes.type === 'address' ? listenChild.attributes.address : undefined);
    out.graphics = { type: graphics.attributes.type as 'vnc' | 'spice', ...(listen ? { listen } : {}) };
    used.use(graphics, 'type', 'listen');
    if (graphics.attributes.autoport === 'yes') used.use(graphics, 'autoport', ...(graphics.attributes.port === '-1' ? ['port'] : []));
    if (listenChild?.attributes.type === 'address') used.use(listenChild, 'type', 'address');
  }
  const passthrough = hostdevs(devices, used);
  if (passthrough.length > 0) out.hostdevs = passthrough;
  // A pty serial console is what the fleet's VMs get by default (Xen: the PV console); a KVM domain
  // without any keeps having none.
  if (hypervisor === 'kvm' && all(devices, 'serial').length === 0 && all(devices, 'console').length === 0) out.console = false;
  for (const name of ['serial', 'console']) {
    for (const node of all(devices, name)) {
      if ((node.attributes.type ?? 'pty') !== 'pty') continue;
      used.use(node, 'type');
      const target = first(node, 'target');
      if (target && (target.attributes.port ?? '0') === '0') used.use(target, 'port', 'type');
    }
  }
  return out;
}
