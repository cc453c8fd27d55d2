/**
 * Checks libvirt itself does not make offline: the RelaxNG schema and the test driver accept a Xen
 * guest whose `machine` contradicts its OS type (which crashed libvirt 8.7/8.8 on real Xen hosts), and
 * the schema accepts PV/PVH disks on emulated buses that only HVM guests have, and a non-raw Xen disk
 * without a driver name, which libxl then reads as raw (libvirt src/libxl/libxl_conf.c, libxlMakeDisk:
 * "If driverName is not specified, default to raw"). Pure: XML text in, messages out.
 */
import { child, childrenNamed, readXml, type XmlNode } from './xml-read';

/** The one `machine` libvirt's libxl driver pairs with each Xen OS type. */
export const XEN_MACHINE_OF_OS_TYPE: Readonly<Record<string, string>> = {
  linux: 'xenpv',
  xen: 'xenpv',
  xenpvh: 'xenpvh',
  hvm: 'xenfv',
};

export interface OwnFinding {
  readonly line: number;
  readonly message: string;
}

function xenChecks(domain: XmlNode, out: OwnFinding[]): void {
  const type = child(domain, 'os') && child(child(domain, 'os')!, 'type');
  const osType = type?.text ?? (child(domain, 'bootloader') ? 'linux' : undefined);
  const machine = type?.attributes.machine;
  if (type && osType && machine !== undefined) {
    const expected = XEN_MACHINE_OF_OS_TYPE[osType];
    if (expected === undefined) {
      out.push({ line: type.line, message: `Xen OS type '${osType}' is not one of linux (PV), xenpvh (PVH), hvm (HVM)` });
    } else if (machine !== expected) {
      out.push({ line: type.line, message: `Xen machine '${machine}' does not match OS type '${osType}'; a ${osType} guest needs machine '${expected}'` });
    }
  }
  const devices = child(domain, 'devices');
  for (const disk of devices ? childrenNamed(devices, 'disk') : []) {
    const driver = child(disk, 'driver')?.attributes;
    if (driver?.type !== undefined && driver.type !== 'raw' && driver.name === undefined) {
      out.push({ line: disk.line, message: `Xen disk of type '${driver.type}' has no driver name, so libxl reads it as raw; set driver name='qemu'` });
    }
  }
  const paravirtual = osType === 'linux' || osType === 'xen' || osType === 'xenpvh';
  if (!paravirtual) return;
  for (const disk of devices ? childrenNamed(devices, 'disk') : []) {
    const bus = child(disk, 'target')?.attributes.bus;
    if (bus !== undefined && bus !== 'xen') {
      out.push({ line: disk.line, message: `disk on bus '${bus}' in a ${osType === 'xenpvh' ? 'PVH' : 'PV'} Xen guest, which has no emulated devices; use bus 'xen'` });
    }
  }
}

/** Our checks on one domain XML document; empty when it passes. Non-domain documents pass. */
export function ownDomainChecks(xml: string): OwnFinding[] {
  const read = readXml(xml);
  if (!read.ok) return [{ line: read.error.line, message: read.error.message }];
  const domain = read.root;
  if (domain.name !== 'domain') return [];
  const out: OwnFinding[] = [];
  const devices = child(domain, 'devices');
  const seen = new Map<string, number>();
  for (const disk of devices ? childrenNamed(devices, 'disk') : []) {
    const dev = child(disk, 'target')?.attributes.dev;
    if (dev === undefined) continue;
    const first = seen.get(dev);
    if (first !== undefined) out.push({ line: disk.line, message: `disk target '${dev}' is used twice (first at line ${first}); targets must be unique` });
    else seen.set(dev, disk.line);
  }
  if (domain.attributes.type === 'xen') xenChecks(domain, out);
  return out;
}
