/**
 * The copy of a KVM domain that `virsh domxml-to-native qemu-argv` runs on in the embedded QEMU driver
 * as an unprivileged user. Every change exists because the check runs without a daemon, root or
 * hardware; none changes what QEMU is asked to emulate for disks, CPU, firmware or devices:
 *
 * - `type='kvm'` → `type='qemu'` when /dev/kvm is not usable: libvirt refuses KVM guests without it.
 * - every `<interface>` is removed: libvirt 9.0's domxml-to-native turns each NIC, whatever its type
 *   (network, bridge, user, mcast, vhostuser …), into `type='ethernet'` and opens /dev/net/tun, which
 *   only root may do. NICs are still checked by the schema and libvirt's parser.
 * - `<disk type='volume'>` → `type='file'` with the volume's path: the embedded driver has no storage
 *   pools to look the volume up in.
 * - `<hostdev>` PCI devices are removed: libvirt reads the device from sysfs, and the runner has none.
 * - `<numatune>` and `<vcpu placement='auto'>` are dropped: automatic placement asks numad on the host
 *   ("Advice from numad is needed in case of automatic numa placement"), which the runner does not run.
 *   Both are still checked by the schema and libvirt's parser.
 * - `<memoryBacking><hugepages>` is dropped: QEMU maps guest memory from hugetlbfs ("hugetlbfs filesystem
 *   is not mounted"), which the runner does not have.
 */
import { readXml, type XmlNode } from './xml-read';
import { element, setAttribute, toXml, type XmlElement } from './xml-writer';

export interface QemuArgvCopyOptions {
  readonly kvmUsable: boolean;
  /** Path of volume `volume` in pool `pool` on the host. */
  readonly volumePath: (pool: string, volume: string) => string;
}

export interface QemuArgvCopy {
  readonly xml: string;
  /** What was changed, one line each (for the report). */
  readonly changes: readonly string[];
}

function rebuild(node: XmlNode, options: QemuArgvCopyOptions, changes: string[], parent: string): XmlElement | undefined {
  const path = `${parent}/${node.name}`;
  if (path === '/domain/devices/interface') {
    changes.push(`removed <interface type='${node.attributes.type ?? ''}'> (line ${node.line}): NICs need /dev/net/tun in domxml-to-native`);
    return undefined;
  }
  if (path === '/domain/devices/hostdev') {
    changes.push(`removed <hostdev> (line ${node.line}): needs the PCI device in sysfs`);
    return undefined;
  }
  if (path === '/domain/memoryBacking/hugepages') {
    changes.push(`removed <hugepages> (line ${node.line}): guest memory from hugetlbfs, which is not mounted here`);
    return undefined;
  }
  if (path === '/domain/numatune') {
    changes.push(`removed <numatune> (line ${node.line}): automatic placement needs numad on the host`);
    return undefined;
  }
  const autoVcpu = path === '/domain/vcpu' && node.attributes.placement === 'auto';
  if (autoVcpu) changes.push(`removed <vcpu placement='auto'> (line ${node.line}): automatic placement needs numad on the host`);
  const out = element(node.name);
  for (const [key, value] of Object.entries(node.attributes)) if (!(autoVcpu && key === 'placement')) setAttribute(out, key, value);
  if (node.text !== undefined) out.text = node.text;
  if (path === '/domain' && node.attributes.type === 'kvm' && !options.kvmUsable) {
    setAttribute(out, 'type', 'qemu');
    changes.push("domain type 'kvm' → 'qemu': /dev/kvm is not usable here");
  }
  const volumeDisk = path === '/domain/devices/disk' && node.attributes.type === 'volume';
  if (volumeDisk) setAttribute(out, 'type', 'file');
  for (const childNode of node.children) {
    if (volumeDisk && childNode.name === 'source') {
      const pool = childNode.attributes.pool ?? '';
      const volume = childNode.attributes.volume ?? '';
      const source = element('source');
      setAttribute(source, 'file', options.volumePath(pool, volume));
      out.children.push(source);
      changes.push(`disk volume ${pool}/${volume} → file ${options.volumePath(pool, volume)}: no storage pools in the embedded driver`);
      continue;
    }
    const rebuilt = rebuild(childNode, options, changes, path);
    if (rebuilt) out.children.push(rebuilt);
  }
  return out;
}

/** The XML to hand to domxml-to-native; undefined when `xml` is not well-formed (other checks report that). */
export function qemuArgvCopy(xml: string, options: QemuArgvCopyOptions): QemuArgvCopy | undefined {
  const read = readXml(xml);
  if (!read.ok) return undefined;
  const changes: string[] = [];
  const root = rebuild(read.root, options, changes, '');
  return root ? { xml: toXml(root), changes } : undefined;
}
