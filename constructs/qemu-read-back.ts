/**
 * What libvirt's QEMU driver puts into a domain definition beyond what it was given, and what it assigns
 * when the domain starts, as provider v0.9.7 reads it back after import (the driver-independent part is
 * domain-read-back.ts). Measured end to end on libvirt 9.0.0 with QEMU 7.2 under KVM
 * (test/e2e/adopt-qemu.test.ts); libvirt's test driver (test/e2e/adopt.test.ts) adds none of it.
 *
 * Filled in (the same on every QEMU host for the same definition):
 * - a PS/2 mouse and keyboard on x86 (src/qemu/qemu_domain.c, qemuDomainDefAddImplicitInputDevice:
 *   `ARCH_IS_X86` → virDomainDefMaybeAddInput mouse/keyboard on bus ps2); the provider reads each input's
 *   empty `<source>` as an empty object;
 * - a serial port's target type and model on x86: `isa-serial` (qemu_domain.c, qemuDomainChrDefPostParse:
 *   "Set the default serial type", `ARCH_IS_X86` → VIR_DOMAIN_CHR_SERIAL_TARGET_TYPE_ISA, then the model
 *   VIR_DOMAIN_CHR_SERIAL_TARGET_MODEL_ISA_SERIAL).
 *
 * Ignored (`lifecycle.ignore_changes`), because their value depends on the host or on the run, not on
 * the definition, and the fleet has no key for them:
 * - the emulator (qemu_domain.c, qemuDomainDefPostParseBasic: `virQEMUCapsGetDefaultEmulator` for the
 *   domain's arch and type: /usr/bin/qemu-system-x86_64 on Debian, /usr/libexec/qemu-kvm on RHEL);
 * - the audio backend (qemu_domain.c, qemuDomainDefAddDefaultAudioBackend: `<audio type='none'/>` or the
 *   host's, following qemu.conf `vnc_allow_host_audio` / `nogfx_allow_host_audio`);
 * - the video device of a domain with graphics (src/conf/domain_conf.c, virDomainDefAddImplicitVideo;
 *   the model per QEMU binary: qemuDomainDeviceVideoDefPostParse, measured `cirrus` with 16 MiB here);
 * - the CPU details around the mode and model: the default CPU of a definition without one
 *   (qemu_domain.c, qemuDomainDefSetDefaultCPU: the machine type's default model, `fallback='forbid'`),
 *   and at start the model, vendor and features QEMU actually enabled with `check='full'`
 *   (src/qemu/qemu_process.c, qemuProcessUpdateGuestCPU expands host-model into the host's CPU,
 *   qemuProcessUpdateLiveGuestCPU records what QEMU enabled or disabled);
 * - what a running domain reports and a stopped one does not: each device's `<alias>` (src/qemu/
 *   qemu_alias.c, qemuAssignDeviceAliases), a disk's `source index` and `<backingStore/>` (qemu_domain.c,
 *   qemuDomainDetermineDiskChain), a pty's path and a console's `tty` (qemu_process.c,
 *   qemuProcessLookupPTYs), a network NIC's bridge and port (src/conf/virnetworkportdef.c: the network
 *   driver's port, qemu_process.c qemuProcessNetworkPrepareDevices), the memballoon's address, the cgroup
 *   partition (`<resource><partition>/machine`, qemu_cgroup.c qemuInitCgroup), the dynamic security
 *   label (src/security/security_dac.c, virSecurityDACGenLabel: `+uid:+gid` from qemu.conf), and a
 *   graphics port allocated for `autoport` (qemu_process.c, qemuProcessVNCAllocatePorts /
 *   qemuProcessSPICEAllocatePorts).
 */
import type { DomainConfig, DomainDevicesGraphics, DomainDevicesInputs, DomainDevicesSerials } from './libvirt-bindings';

/** x86 guests, where the QEMU driver adds the PS/2 devices and ISA serial ports (`ARCH_IS_X86`: i686, x86_64). */
const X86_ARCHES: ReadonlySet<string> = new Set(['i686', 'x86_64']);

const ISA_SERIAL = 'isa-serial';

/** The PS/2 mouse and keyboard, as the provider reads them (an empty `source` object each). */
const PS2_INPUTS: readonly DomainDevicesInputs[] = [
  { type: 'mouse', bus: 'ps2', source: {} },
  { type: 'keyboard', bus: 'ps2', source: {} },
];

/** Whether the provider reaches libvirt's QEMU driver through `uri` (qemu:///system, qemu+ssh://…). */
export function isQemuDriverUri(uri: string | undefined): boolean {
  return uri !== undefined && /^qemu(\+[a-z]+)?:/.test(uri);
}

function isList<T>(value: T[] | unknown): value is T[] {
  return Array.isArray(value);
}

type QemuReadBackAttributes = Pick<DomainConfig, 'os' | 'devices'>;

/** `config` with what the QEMU driver adds to every definition it reads (see the header). */
export function withQemuDriverDefaults<C extends QemuReadBackAttributes>(config: C): C {
  const devices = config.devices;
  if (!devices || !X86_ARCHES.has(config.os?.typeArch ?? '')) return config;
  const inputs = isList<DomainDevicesInputs>(devices.inputs) ? devices.inputs : [];
  const missing = PS2_INPUTS.filter((ps2) => !inputs.some((input) => input.type === ps2.type && input.bus === ps2.bus));
  const serials = isList<DomainDevicesSerials>(devices.serials)
    ? devices.serials.map((serial) =>
        serial.target?.type === undefined ? { ...serial, target: { ...serial.target, type: ISA_SERIAL, model: { name: ISA_SERIAL } } } : serial,
      )
    : devices.serials;
  return {
    ...config,
    devices: {
      ...devices,
      ...(missing.length > 0 ? { inputs: [...missing, ...inputs] } : {}),
      ...(serials === undefined ? {} : { serials }),
    },
  };
}

function indexed(list: unknown, path: string, parts: readonly string[]): string[] {
  if (!isList(list)) return [];
  return list.flatMap((_, index) => parts.map((part) => `${path}[${index}].${part}`));
}

/**
 * The attribute paths (`lifecycle.ignore_changes`) of an adopted QEMU-driver domain whose values the host
 * or the run assigns (see the header), for `config` as the read-back renders it.
 */
export function assignedByQemuDriver(config: Pick<DomainConfig, 'cpu' | 'devices'>): string[] {
  const devices = config.devices;
  const graphics = isList<DomainDevicesGraphics>(devices?.graphics) ? devices.graphics : [];
  return [
    'devices.emulator',
    'devices.audios',
    ...(graphics.length > 0 ? ['devices.videos'] : []),
    ...(config.cpu ? ['cpu.match', 'cpu.check', 'cpu.model_fallback', 'cpu.vendor', 'cpu.features'] : []),
    ...indexed(devices?.disks, 'devices.disks', ['alias', 'source.index', 'backing_store']),
    ...indexed(devices?.interfaces, 'devices.interfaces', ['alias', 'source.network.bridge', 'source.network.port_id']),
    ...indexed(devices?.serials, 'devices.serials', ['alias', 'source.pty.path']),
    ...indexed(devices?.consoles, 'devices.consoles', ['alias', 'source.pty.path', 'tty']),
    ...indexed(devices?.inputs, 'devices.inputs', ['alias']),
    ...graphics.map((g, index) => `devices.graphics[${index}].${g.spice ? 'spice' : 'vnc'}.port`),
    ...(devices?.memBalloon ? ['devices.mem_balloon.address', 'devices.mem_balloon.alias'] : []),
    'resource',
    'sec_label',
  ];
}
