/**
 * One `<domain>` → the fleet's VM: name, memory, vCPUs, then each part by its own module (os/cpu, disks,
 * NICs, other devices). Whatever is not consumed is reported per element as dropped.
 */
import type { VmInput } from '../fleet/schema';
import { CRASH_ACTIONS, LIBVIRT_EVENT_DEFAULTS, LIFECYCLE_ACTIONS } from '../fleet/vocabulary';
import { importDevices } from './import-devices';
import { importDisks, type StorageResolver } from './import-disk';
import { importDomainSettings } from './import-domain-settings';
import { importNics, RUNTIME_DEVICE, type NetworkResolver } from './import-nic';
import { importCpu, importOs } from './import-os';
import { consumeQemuDriverState } from './import-qemu-state';
import {
  all, Consumption, first, kibText, NAME_RULE_SOURCE, type NameRegistry, NoteSink, sanitizeName, toKiB, type ImportDiagnostic, type ImportHypervisor,
} from './import-support';
import type { XmlNode } from './xml-read';

export interface DomainSources {
  readonly storage: StorageResolver;
  readonly networks: NetworkResolver;
  readonly vmNames: NameRegistry;
}

export interface ImportedDomain {
  readonly vm: VmInput;
  /** The domain's `<uuid>`, when it has one (Terraform imports a domain by it). */
  readonly uuid?: string;
  /** Elements kept whole. */
  readonly kept: number;
  readonly sink: NoteSink;
}

/** kvm or xen from `<domain type>` (qemu and kvm both run under the QEMU driver). */
export function domainHypervisor(domain: XmlNode): ImportHypervisor | undefined {
  const type = domain.attributes.type;
  if (type === 'kvm' || type === 'qemu') return 'kvm';
  if (type === 'xen') return 'xen';
  return undefined;
}

/**
 * What libvirt assigns at run time or on define: a running interface's tap device (`vnetN`), device
 * addresses and aliases. Consumed when they are exactly that; device addresses are one approximation per
 * domain (libvirt assigns new ones on define).
 */
function consumeDefaults(devices: XmlNode | undefined, used: Consumption, sink: NoteSink): void {
  let addresses = 0;
  const implicit: string[] = [];
  for (const device of devices?.children ?? []) {
    const target = first(device, 'target');
    if (device.name === 'interface' && target && RUNTIME_DEVICE.test(target.attributes.dev ?? '') && Object.keys(target.attributes).length === 1) used.use(target, 'dev');
    if (device.name === 'controller' && IMPLICIT_CONTROLLERS.has(device.attributes.type ?? '') && IMPLICIT_MODELS.has(device.attributes.model ?? '')) {
      used.use(device, 'type', 'index', 'model');
      implicit.push(`${device.attributes.type}${device.attributes.model ? ` (${device.attributes.model})` : ''}`);
    }
    for (const part of device.children) {
      if (part.name === 'address' || part.name === 'alias') {
        used.useAll(part);
        if (part.name === 'address') addresses += 1;
      }
    }
  }
  if (implicit.length > 0) sink.approximated(devices!.line, '/domain/devices/controller', `controllers ${implicit.join(', ')} left to libvirt, which adds those the devices need when the domain is defined`);
  if (addresses > 0) sink.approximated(devices!.line, '/domain/devices/*/address', `${addresses} device address(es) left to libvirt, which assigns them when the domain is defined`);
}

/** The total memory of the guest NUMA cells (`<cpu><numa><cell memory unit>`), undefined without cells. */
function numaCellsKiB(domain: XmlNode): number | undefined {
  const cells = all(first(first(domain, 'cpu'), 'numa'), 'cell').map((cell) => toKiB(cell.attributes.memory, cell.attributes.unit));
  return cells.length > 0 && cells.every((kib) => kib !== undefined) ? cells.reduce((sum: number, kib) => sum + kib!, 0) : undefined;
}

/** libvirt's actions (`LIFECYCLE_ACTIONS`, `CRASH_ACTIONS`) and its defaults (formatdomain "Events configuration"). */
const EVENTS = [
  { element: 'on_poweroff', key: 'onPoweroff', actions: LIFECYCLE_ACTIONS, libvirtDefault: LIBVIRT_EVENT_DEFAULTS.onPoweroff },
  { element: 'on_reboot', key: 'onReboot', actions: LIFECYCLE_ACTIONS, libvirtDefault: LIBVIRT_EVENT_DEFAULTS.onReboot },
  { element: 'on_crash', key: 'onCrash', actions: CRASH_ACTIONS, libvirtDefault: LIBVIRT_EVENT_DEFAULTS.onCrash },
] as const;

/** `<on_poweroff>`, `<on_reboot>`, `<on_crash>`: kept as fleet keys where they are not libvirt's default. */
function importEvents(domain: XmlNode, used: Consumption): Pick<VmInput, 'onPoweroff' | 'onReboot' | 'onCrash'> {
  const out: Record<string, string> = {};
  for (const { element, key, actions, libvirtDefault } of EVENTS) {
    const node = first(domain, element);
    const action = node?.text?.trim();
    if (action === undefined || !(actions as readonly string[]).includes(action)) continue;
    used.use(node, '#text');
    if (action !== libvirtDefault) out[key] = action;
  }
  return out as Pick<VmInput, 'onPoweroff' | 'onReboot' | 'onCrash'>;
}

/** Controllers libvirt adds by itself for the devices present (domain_conf.c, qemu_domain_address.c). */
const IMPLICIT_CONTROLLERS = new Set(['pci', 'usb', 'ide', 'sata', 'virtio-serial', 'xenbus']);
/** Their default models (no model, or the one libvirt picks for the machine). */
const IMPLICIT_MODELS = new Set(['', 'pci-root', 'pcie-root', 'pcie-root-port', 'pcie-to-pci-bridge', 'dmi-to-pci-bridge', 'piix3-uhci', 'ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3', 'qemu-xhci']);

export type DomainImport = { readonly ok: true; readonly domain: ImportedDomain } | { readonly ok: false; readonly error: ImportDiagnostic };

/** Imports one domain; `hypervisor` overrides `<domain type>`, `extra` adds fleet keys (host pin, autostart). */
export function importDomain(file: string, domain: XmlNode, sources: DomainSources, hypervisor: ImportHypervisor | undefined, extra: Partial<VmInput> = {}): DomainImport {
  const fail = (line: number, message: string): DomainImport => ({ ok: false, error: { file, line, severity: 'error', message } });
  if (domain.name !== 'domain') return fail(domain.line, `root element is <${domain.name}>; expected a libvirt <domain>`);
  const kind = hypervisor ?? domainHypervisor(domain);
  const nameNode = first(domain, 'name');
  const rawName = nameNode?.text?.trim();
  if (!rawName) return fail(nameNode?.line ?? domain.line, 'domain has no <name>; every VM needs one');
  const memoryNode = first(domain, 'memory');
  // Without <memory> libvirt takes the sum of the guest NUMA cells' memory (formatdomain "Memory
  // Allocation": memory "can be omitted" when NUMA cells are set; tests/qemuxml2argvdata/
  // cpu-numa-no-memory-element starts with -m of the cells' total).
  const memoryKiB = memoryNode ? toKiB(memoryNode.text, memoryNode.attributes.unit) : numaCellsKiB(domain);
  if (memoryKiB === undefined || memoryKiB < 1) {
    return fail(memoryNode?.line ?? domain.line, `domain '${rawName}' has no usable <memory> (got '${memoryNode?.text ?? ''}' ${memoryNode?.attributes.unit ?? 'KiB'})`);
  }
  if (!kind) return fail(domain.line, `domain type '${domain.attributes.type ?? ''}' is neither kvm, qemu nor xen; pass --hypervisor kvm|xen`);

  const used = new Consumption();
  used.use(domain, 'type');
  // The run-time id of a running domain, not part of its definition.
  if (domain.attributes.id !== undefined) used.use(domain, 'id');
  used.use(nameNode, '#text');
  const name = sources.vmNames.claim(sanitizeName(rawName, 'vm'));
  const sink = new NoteSink(file, `vms[${name}]`);
  if (name !== rawName) sink.approximated(nameNode!.line, '/domain/name', `'${rawName}' is imported as '${name}' (fleet names: ${NAME_RULE_SOURCE})`);
  const uuidNode = first(domain, 'uuid');
  const uuid = uuidNode?.text?.trim();
  used.use(uuidNode, '#text');
  used.use(memoryNode, '#text', 'unit');
  const memory = kibText(memoryKiB);
  if (!memory.exact) sink.approximated(memoryNode?.line ?? domain.line, '/domain/memory', `${memoryNode ? `${memoryNode.text} ${memoryNode.attributes.unit ?? 'KiB'}` : `${memoryKiB} KiB (the NUMA cells' total)`} rounded up to ${memory.text}`);
  const current = first(domain, 'currentMemory');
  const currentKiB = toKiB(current?.text, current?.attributes.unit);
  // libvirt reports currentMemory equal to memory when no balloon target was set.
  const currentMemory = currentKiB !== undefined && currentKiB >= 1 && currentKiB < memoryKiB ? kibText(currentKiB).text : undefined;
  if (currentKiB !== undefined && currentKiB <= memoryKiB) used.use(current, '#text', 'unit');

  const vcpuNode = first(domain, 'vcpu');
  let vcpus = 1;
  if (vcpuNode && /^\d+$/.test(vcpuNode.text ?? '') && Number(vcpuNode.text) >= 1) {
    vcpus = Number(vcpuNode.text);
    used.use(vcpuNode, '#text');
  } else {
    sink.approximated(vcpuNode?.line ?? domain.line, '/domain/vcpu', 'no usable <vcpu>; imported with 1 vCPU');
  }

  const os = importOs(domain, kind, used, sink);
  const cpu = importCpu(domain, used);
  const devices = first(domain, 'devices');
  used.use(devices);
  const disks = importDisks(devices, { hypervisor: kind, used, sink, storage: sources.storage });
  const osType = first(first(domain, 'os'), 'type');
  const nics = importNics(devices, { hypervisor: kind, used, sink, networks: sources.networks, arch: osType?.attributes.arch, machine: osType?.attributes.machine });
  const other = importDevices(devices, kind, used);
  const events = importEvents(domain, used);
  const settings = importDomainSettings(domain, used);
  consumeDefaults(devices, used, sink);
  if (kind === 'kvm') consumeQemuDriverState(domain, devices, used, sink);
  used.reportDropped(domain, '/domain', sink);
  const vm: VmInput = {
    name,
    vcpus,
    memory: memory.text,
    ...(currentMemory ? { currentMemory } : {}),
    hypervisor: kind,
    ...os,
    ...cpu,
    ...(disks.length > 0 ? { disks } : {}),
    ...(nics.length > 0 ? { networks: nics } : {}),
    ...other,
    ...events,
    ...settings,
    ...extra,
  };
  return { ok: true, domain: { vm, ...(uuid ? { uuid } : {}), kept: used.kept(), sink } };
}
