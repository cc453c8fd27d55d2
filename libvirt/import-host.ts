/**
 * A live host (`virsh nodeinfo` + `capabilities`) → the fleet's host: its URI, CPUs, memory, NUMA cells
 * and CPU model. The hypervisor kind comes from the URI's driver (qemu → kvm; xen, libxl → xen); libvirt's
 * test driver serves both, so there the domains' own types decide.
 */
import type { HostInput } from '../fleet/schema';
import { DEFAULT_ARCH, VM_ARCHES, XEN_HOST_ARCHES, type VmArch } from '../fleet/guest-devices';
import { all, first, type NoteSink, toKiB, type ImportHypervisor } from './import-support';
import type { NodeInfo } from './live-host';
import { readXml } from './xml-read';

/** The driver and host parts of a libvirt URI (`qemu+ssh://root@kvm-a1/system` → qemu, kvm-a1). */
export function uriParts(uri: string): { readonly driver: string; readonly host?: string; readonly path: string } {
  const match = /^([a-z0-9]+)(?:\+[a-z0-9]+)?:\/\/(?:[^@/]*@)?([^/:?]*)(?::\d+)?(\/[^?]*)?/i.exec(uri);
  if (!match) return { driver: '', path: '' };
  return { driver: match[1]!.toLowerCase(), ...(match[2] ? { host: match[2] } : {}), path: match[3] ?? '' };
}

/** kvm or xen from the URI's driver; undefined for drivers that can be either (test) or neither. */
export function hypervisorOfUri(uri: string): ImportHypervisor | undefined {
  const { driver } = uriParts(uri);
  if (driver === 'qemu' || driver === 'kvm') return 'kvm';
  if (driver === 'xen' || driver === 'libxl') return 'xen';
  return undefined;
}

/** A fleet name for the host: the URI's host part, else the test driver's file name, else `localhost`. */
export function hostBaseName(uri: string): string {
  const { host, path } = uriParts(uri);
  if (host) return host.split('.')[0]!;
  const file = path.split('/').filter(Boolean).pop();
  return file && uriParts(uri).driver === 'test' ? file.replace(/\.xml$/i, '') : 'localhost';
}

/** The host entry; `hypervisor` is decided by the caller (URI or domains). */
export function importHost(name: string, uri: string, hypervisor: ImportHypervisor, nodeInfo: NodeInfo, capabilities: string, sink: NoteSink): HostInput {
  // Host memory is a capacity: round down, never promise what is not there.
  const memoryMiB = Math.floor(nodeInfo.memoryKiB / 1024);
  if (memoryMiB * 1024 !== nodeInfo.memoryKiB) sink.approximated(1, 'nodeinfo/Memory size', `${nodeInfo.memoryKiB} KiB rounded down to ${memoryMiB} MiB`);
  const read = readXml(capabilities);
  const hostNode = read.ok ? first(read.root, 'host') : undefined;
  const cpu = first(hostNode, 'cpu');
  const cpuModel = first(cpu, 'model')?.text?.trim();
  const cpuVendor = first(cpu, 'vendor')?.text?.trim();
  // nodeinfo's "CPU model" is the host's machine architecture (uname -m; libvirt virNodeInfo.model), which
  // the test driver takes from its node file, where its capabilities always say i686.
  const arch = nodeInfo.cpuModel;
  const knownArch = (VM_ARCHES as readonly string[]).includes(arch ?? '') && arch !== DEFAULT_ARCH ? (arch as VmArch) : undefined;
  const cells = all(first(first(hostNode, 'topology'), 'cells'), 'cell').map((cell) => {
    const memoryNode = first(cell, 'memory');
    const kib = toKiB(memoryNode?.text, memoryNode?.attributes.unit) ?? 0;
    const cpus = Number(first(cell, 'cpus')?.attributes.num ?? all(first(cell, 'cpus'), 'cpu').length);
    return { cpus, memory: `${Math.floor(kib / 1024)}MiB` };
  });
  const numa = cells.length > 1 && cells.every((c) => c.cpus >= 1 && c.memory !== '0MiB') ? cells : undefined;
  if (!read.ok) sink.dropped(1, 'capabilities', `capabilities XML unreadable (${read.error.message}); CPU model and NUMA cells left out`);
  return {
    name,
    hypervisor,
    uri,
    cpus: nodeInfo.cpus,
    memory: memoryMiB % 1024 === 0 ? `${memoryMiB / 1024}GiB` : `${memoryMiB}MiB`,
    ...(numa ? { numaNodes: numa } : {}),
    ...(cpuModel ? { cpuModel } : {}),
    ...(cpuVendor ? { cpuVendor } : {}),
    ...(knownArch && (hypervisor === 'kvm' || XEN_HOST_ARCHES.has(knownArch)) ? { arch: knownArch } : {}),
  };
}
