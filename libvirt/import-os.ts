/**
 * `<os>`, `<bootloader>` and `<cpu>` → guest type (Xen), machine, firmware, Secure Boot, direct kernel boot
 * and CPU mode/model.
 */
import type { VmInput } from '../fleet/schema';
import { DEFAULT_ARCH, machineFitsArch, VM_ARCHES, type VmArch } from '../fleet/guest-devices';
import { all, type Consumption, first, isCpuMode, type NoteSink, type ImportHypervisor } from './import-support';
import { QEMU_DEFAULT_MACHINE } from './qemu-default-machine';
import type { XmlNode } from './xml-read';

type Writable<T> = { -readonly [K in keyof T]?: T[K] };
export type OsFields = Pick<VmInput, 'arch' | 'guestType' | 'firmware' | 'secureBoot' | 'machine' | 'kernel' | 'initrd' | 'cmdline' | 'bootloader'>;
export type CpuFields = Pick<VmInput, 'cpuMode' | 'cpuModel'>;


export function importOs(domain: XmlNode, hypervisor: ImportHypervisor, used: Consumption, sink: NoteSink): OsFields {
  const os = first(domain, 'os');
  const type = first(os, 'type');
  const out: Writable<OsFields> = {};
  used.use(os);
  const osType = type?.text?.trim();
  used.use(type, '#text');
  const arch = type?.attributes.arch;
  if ((VM_ARCHES as readonly string[]).includes(arch ?? '')) {
    // x86_64 is the fleet's default; any other architecture is written out.
    if (arch !== DEFAULT_ARCH) out.arch = arch as VmArch;
    used.use(type, 'arch');
  }
  const bootloader = first(domain, 'bootloader');
  if (bootloader?.text) {
    out.bootloader = bootloader.text.trim();
    used.use(bootloader, '#text');
  }
  if (hypervisor === 'xen') {
    // The OS type names the guest type; libxl's machine follows from it (own-checks.ts checks the pair).
    if (osType === 'linux' || osType === 'xen' || (!osType && out.bootloader)) out.guestType = 'pv';
    else if (osType === 'xenpvh') out.guestType = 'pvh';
    else if (osType === 'hvm') out.guestType = 'hvm';
    else sink.approximated(type?.line ?? domain.line, '/domain/os/type', `Xen OS type '${osType ?? ''}' unknown; guest type left to the fleet default`);
    if (type?.attributes.machine !== undefined) used.use(type, 'machine');
  } else if (type?.attributes.machine && machineFitsArch((out.arch ?? DEFAULT_ARCH) as VmArch, type.attributes.machine)) {
    out.machine = type.attributes.machine;
    used.use(type, 'machine');
  } else if (type?.attributes.machine === undefined && QEMU_DEFAULT_MACHINE[arch ?? DEFAULT_ARCH] !== undefined) {
    // No machine: libvirt gives the domain QEMU's default one when it is defined, not the fleet's default.
    out.machine = QEMU_DEFAULT_MACHINE[arch ?? DEFAULT_ARCH];
  }
  if (os?.attributes.firmware === 'efi') {
    out.firmware = 'uefi';
    used.use(os, 'firmware');
  }
  const loader = first(os, 'loader');
  if (loader) {
    const path = loader.text?.trim() ?? '';
    if (loader.attributes.type === 'pflash' || /ovmf|edk2|\.fd$/i.test(path)) out.firmware = 'uefi';
    else if (/hvmloader|seabios|bios/i.test(path) || path === '') out.firmware = out.firmware ?? 'bios';
    if (loader.attributes.secure === 'yes') out.secureBoot = true;
    used.use(loader, '#text', 'type', 'readonly', 'secure');
  }
  for (const feature of all(first(os, 'firmware'), 'feature')) {
    if (feature.attributes.name === 'secure-boot') {
      if (feature.attributes.enabled === 'yes') out.secureBoot = true;
      used.use(first(os, 'firmware'));
      used.use(feature, 'name', 'enabled');
    }
  }
  for (const key of ['kernel', 'initrd', 'cmdline'] as const) {
    const node = first(os, key);
    if (node?.text) {
      out[key] = node.text.trim();
      used.use(node, '#text');
    }
  }
  // ACPI and the APIC are what hyperplan writes for every HVM guest (constructs/virtual-machine.ts features).
  const features = first(domain, 'features');
  if (osType === 'hvm' && features && features.children.length > 0 && features.children.every((f) => (f.name === 'acpi' || f.name === 'apic') && Object.keys(f.attributes).length === 0 && f.children.length === 0)) {
    used.useAll(features);
  }
  // <boot dev> elements: import-domain-settings.ts.
  return out;
}

export function importCpu(domain: XmlNode, used: Consumption): CpuFields {
  const cpu = first(domain, 'cpu');
  if (!cpu) return {};
  const out: Writable<CpuFields> = {};
  const model = first(cpu, 'model');
  const mode = cpu.attributes.mode ?? (model?.text ? 'custom' : undefined);
  if (isCpuMode(mode)) {
    out.cpuMode = mode;
    used.use(cpu, 'mode');
  }
  if (model?.text && (mode === 'custom' || mode === undefined)) {
    out.cpuModel = model.text.trim();
    used.use(model, '#text');
  }
  if (out.cpuMode || out.cpuModel) used.use(cpu);
  return out;
}
