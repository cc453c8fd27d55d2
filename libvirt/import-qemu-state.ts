/**
 * What libvirt's QEMU driver writes into a KVM domain's XML by itself, at define or at start, consumed
 * instead of reported as dropped: the fleet leaves each to libvirt, which writes it again, and an adopted
 * domain reads it back or ignores it (constructs/qemu-read-back.ts, with the same sources). Measured on
 * libvirt 9.0.0 / QEMU 7.2 (test/e2e/adopt-qemu.test.ts). Only exactly what libvirt writes is consumed;
 * anything an operator chose beyond it stays unconsumed and is reported dropped.
 *
 * Silently (run-time state, not configuration):
 * - `<resource><partition>/machine</partition>` (src/qemu/qemu_cgroup.c, qemuInitCgroup: the default
 *   partition of a started domain);
 * - a dynamic `<seclabel>` with its generated `<label>`/`<imagelabel>` (src/security: the label is
 *   generated at start for `type='dynamic'`);
 * - a disk's `source index` and an empty `<backingStore/>` (qemu_domain.c, qemuDomainDetermineDiskChain);
 * - a network NIC's `source portid` and `bridge` (qemu_process.c, qemuProcessNetworkPrepareDevices: the
 *   port the network driver allocates);
 * - a pty's `<source path>` and a console's `tty` (qemu_process.c, qemuProcessLookupPTYs);
 * - the port of a display with `autoport='yes'` (qemu_process.c, qemuProcessVNCAllocatePorts);
 * - a PCI controller's `<model name>` equal to its model and its `<target chassis port>`
 *   (qemu_domain_address.c, qemuDomainPCIControllerSetDefaults).
 * As one approximation per domain (defaults the host picks; the fleet has no key for them):
 * - the `<emulator>` (qemu_domain.c, qemuDomainDefPostParseBasic: the host's default for arch and type);
 * - the PS/2 mouse and keyboard of an x86 guest (qemu_domain.c, qemuDomainDefAddImplicitInputDevice);
 * - `<audio type='none'/>` (qemu_domain.c, qemuDomainDefAddDefaultAudioBackend);
 * - the one video device of a guest with graphics (src/conf/domain_conf.c, virDomainDefAddImplicitVideo);
 * - an x86 serial port's `isa-serial` target type and model (qemu_domain.c, qemuDomainChrDefPostParse).
 */
import { all, first, type Consumption, type NoteSink } from './import-support';
import type { XmlNode } from './xml-read';

const X86_ARCHES: ReadonlySet<string> = new Set(['i686', 'x86_64']);
const ISA_SERIAL = 'isa-serial';
const PTY = 'pty';

function attributeCount(node: XmlNode): number {
  return Object.keys(node.attributes).length;
}

/** Whether `node` has exactly the listed attributes with these values. */
function isOnly(node: XmlNode | undefined, attributes: Readonly<Record<string, string>>): node is XmlNode {
  if (!node) return false;
  return Object.entries(node.attributes).every(([name, value]) => attributes[name] === value) && attributeCount(node) === Object.keys(attributes).length;
}

function runtimeState(domain: XmlNode, devices: XmlNode | undefined, used: Consumption): void {
  const resource = first(domain, 'resource');
  if (resource && resource.children.length === 1 && first(resource, 'partition')?.text?.trim() === '/machine' && attributeCount(resource) === 0) used.useAll(resource);
  for (const seclabel of all(domain, 'seclabel')) if (seclabel.attributes.type === 'dynamic') used.useAll(seclabel);
  for (const disk of all(devices, 'disk')) {
    const source = first(disk, 'source');
    if (source?.attributes.index !== undefined) used.use(source, 'index');
    const backing = first(disk, 'backingStore');
    if (backing && backing.children.length === 0 && attributeCount(backing) === 0) used.use(backing);
  }
  for (const nic of all(devices, 'interface')) {
    const source = first(nic, 'source');
    if (nic.attributes.type === 'network' && source) used.use(source, ...['portid', 'bridge'].filter((a) => source.attributes[a] !== undefined));
  }
  for (const name of ['serial', 'console']) {
    for (const chardev of all(devices, name)) {
      if ((chardev.attributes.type ?? PTY) !== PTY) continue;
      if (chardev.attributes.tty !== undefined) used.use(chardev, 'tty');
      const source = first(chardev, 'source');
      if (isOnly(source, { path: source?.attributes.path ?? '' }) && source.children.length === 0) used.use(source, 'path');
    }
  }
  for (const graphics of all(devices, 'graphics')) if (graphics.attributes.autoport === 'yes' && graphics.attributes.port !== undefined) used.use(graphics, 'port');
  for (const controller of all(devices, 'controller')) {
    if (controller.attributes.type !== 'pci') continue;
    const model = first(controller, 'model');
    if (isOnly(model, { name: controller.attributes.model ?? '' })) used.use(model, 'name');
    const target = first(controller, 'target');
    if (target && target.children.length === 0 && Object.keys(target.attributes).every((a) => a === 'chassis' || a === 'port')) used.use(target, ...Object.keys(target.attributes));
  }
}

function hostDefaults(domain: XmlNode, devices: XmlNode | undefined, used: Consumption): string[] {
  const left: string[] = [];
  const emulator = first(devices, 'emulator');
  if (emulator?.text?.trim()) {
    used.use(emulator, '#text');
    left.push(`emulator ${emulator.text.trim()}`);
  }
  const x86 = X86_ARCHES.has(first(first(domain, 'os'), 'type')?.attributes.arch ?? '');
  if (x86) {
    for (const input of all(devices, 'input')) {
      if (isOnly(input, { type: input.attributes.type === 'keyboard' ? 'keyboard' : 'mouse', bus: 'ps2' }) && input.children.every((c) => c.name === 'alias' || c.name === 'address')) {
        used.use(input, 'type', 'bus');
        left.push(`PS/2 ${input.attributes.type}`);
      }
    }
    for (const serial of all(devices, 'serial')) {
      const target = first(serial, 'target');
      if (target?.attributes.type !== ISA_SERIAL) continue;
      const model = first(target, 'model');
      if (model && !isOnly(model, { name: ISA_SERIAL })) continue;
      used.use(target, 'type');
      used.use(model, 'name');
      left.push('isa-serial port');
    }
  }
  const audios = all(devices, 'audio');
  if (audios.length === 1 && isOnly(audios[0], { id: '1', type: 'none' }) && audios[0].children.length === 0) {
    used.use(audios[0], 'id', 'type');
    left.push('audio none');
  }
  const videos = all(devices, 'video');
  const videoModel = first(videos[0], 'model');
  if (all(devices, 'graphics').length > 0 && videos.length === 1 && videoModel && videoModel.children.length === 0 && videos[0]!.children.every((c) => c === videoModel || c.name === 'alias' || c.name === 'address')) {
    used.use(videos[0]);
    used.use(videoModel, ...Object.keys(videoModel.attributes));
    left.push(`video ${videoModel.attributes.type ?? ''}`.trim());
  }
  return left;
}

/** Consumes what the QEMU driver writes by itself into a KVM domain (see the header); one note for the host's defaults. */
export function consumeQemuDriverState(domain: XmlNode, devices: XmlNode | undefined, used: Consumption, sink: NoteSink): void {
  runtimeState(domain, devices, used);
  const left = hostDefaults(domain, devices, used);
  if (left.length > 0) {
    sink.approximated(devices?.line ?? domain.line, '/domain/devices', `${left.join(', ')} left to libvirt's QEMU driver, which adds them itself (the emulator and audio backend per host)`);
  }
}
