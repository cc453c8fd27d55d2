/**
 * An adopted domain on a QEMU-driver host (constructs/qemu-read-back.ts): what libvirt's QEMU driver adds
 * to every x86 definition is rendered, what the host or the run assigns is ignored, and nothing of it
 * applies to another driver (libvirt's test driver adds none of it: test/e2e/adopt.test.ts). Measured end
 * to end with libvirt 9.0.0 and QEMU 7.2 under KVM in test/e2e/adopt-qemu.test.ts; the sources:
 * - src/qemu/qemu_domain.c, qemuDomainDefAddImplicitInputDevice: `ARCH_IS_X86` → a PS/2 mouse and keyboard;
 * - qemu_domain.c, qemuDomainChrDefPostParse: "Set the default serial type", x86 → isa-serial, and its model;
 * - src/conf/domain_conf.c, virDomainGraphicsListensParseXML: the `listen` attribute becomes a `<listen
 *   type='address'>` element;
 * - dmacvicar/terraform-provider-libvirt v0.9.7, internal/libvirt/dialers/factory.go: the driver names
 *   qemu, lxc, xen, vbox, test, with or without a `+transport`.
 */
import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { Testing } from '../../constructs/cdk-engine';
import { KvmHost } from '../../constructs/kvm-host';
import type { DomainConfig } from '../../constructs/libvirt-bindings';
import { asReadBackAfterImport } from '../../constructs/domain-read-back';
import { assignedByQemuDriver, isQemuDriverUri, withQemuDriverDefaults } from '../../constructs/qemu-read-back';
import { VirtualMachine } from '../../constructs/virtual-machine';
import type { Vm } from '../../fleet/model';
import { fleet, kvmHost, resolved, resources, vm, type TerraformJson } from './fixtures';

const UUID = '11111111-2222-3333-4444-555555555501';
const PS2 = [
  { type: 'mouse', bus: 'ps2', source: {} },
  { type: 'keyboard', bus: 'ps2', source: {} },
];

function adopted(v: Vm, uri: string): { domain: Record<string, any>; ignored: string[] } {
  let ignored: string[] = [];
  const f = fleet({ vms: [v] });
  const build = (scope: Construct) => {
    const catalog = { pools: new Map(f.pools.map((p) => [p.name, p])), networks: new Map(f.networks.map((n) => [n.name, n])) };
    const host = new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1', { uri }), catalog });
    const machine = new VirtualMachine(host, `vm-${v.name}`, { effective: resolved(f, v, host.host), host });
    ignored = machine.adopt(UUID, host.provider, host.host.uri);
  };
  const json = JSON.parse(Testing.synthScope(build)) as TerraformJson;
  return { domain: Object.values(resources(json, 'libvirt_domain'))[0]!, ignored };
}

describe('which hosts run the QEMU driver', () => {
  it.each([
    ['qemu:///system', true],
    ['qemu:///system?socket=/run/x/libvirt-sock', true],
    ['qemu+ssh://root@kvm-a1/system', true],
    ['qemu+tls://kvm-a1/system', true],
    ['test:///default', false],
    ['xen+ssh://root@xen-s1/system', false],
    ['lxc:///', false],
    [undefined, false],
  ])('%s → %s', (uri, expected) => {
    expect(isQemuDriverUri(uri)).toBe(expected);
  });
});

describe('what the QEMU driver adds to an x86 definition', () => {
  it('adds a PS/2 mouse and keyboard before the inputs the configuration has, once', () => {
    const tablet = { type: 'tablet', bus: 'usb' };
    const config = { os: { type: 'hvm', typeArch: 'x86_64' }, devices: { inputs: [tablet] } };
    expect(withQemuDriverDefaults(config).devices.inputs).toEqual([...PS2, tablet]);
    const again = withQemuDriverDefaults(withQemuDriverDefaults(config));
    expect(again.devices.inputs).toEqual([...PS2, tablet]);
    const i686: Pick<DomainConfig, 'os' | 'devices'> = { os: { type: 'hvm', typeArch: 'i686' }, devices: {} };
    expect(withQemuDriverDefaults(i686).devices?.inputs).toEqual(PS2);
  });

  it('adds nothing on other architectures (their serial type depends on the machine)', () => {
    const config = { os: { type: 'hvm', typeArch: 'aarch64', typeMachine: 'virt' }, devices: { serials: [{ target: { port: 0 } }] } };
    expect(withQemuDriverDefaults(config)).toEqual(config);
  });

  it("gives a serial port without a target type isa-serial with its model, and keeps one that has a type", () => {
    const config = { os: { type: 'hvm', typeArch: 'x86_64' }, devices: { serials: [{ target: { port: 0 } }, { target: { port: 1, type: 'pci-serial' } }] } };
    expect(withQemuDriverDefaults(config).devices.serials).toEqual([
      { target: { port: 0, type: 'isa-serial', model: { name: 'isa-serial' } } },
      { target: { port: 1, type: 'pci-serial' } },
    ]);
  });

  it('reads a VNC or SPICE listen address back as its first listener too, on any driver', () => {
    const base = { memory: 1024, memoryUnit: 'MiB', os: { type: 'hvm' } };
    const vnc = asReadBackAfterImport({ ...base, devices: { graphics: [{ vnc: { autoPort: true, listen: '127.0.0.1' } }] } });
    expect(vnc.devices.graphics).toEqual([{ vnc: { autoPort: true, listen: '127.0.0.1', listeners: [{ address: { address: '127.0.0.1' } }] } }]);
    const spice = asReadBackAfterImport({ ...base, devices: { graphics: [{ spice: { autoPort: true, listen: '0.0.0.0' } }] } });
    expect(spice.devices.graphics).toEqual([{ spice: { autoPort: true, listen: '0.0.0.0', listeners: [{ address: { address: '0.0.0.0' } }] } }]);
  });
});

describe('an adopted domain on a QEMU-driver host', () => {
  const desk = vm('desk-1', { graphics: { type: 'vnc', listen: '127.0.0.1' } });

  it('renders the PS/2 inputs and the isa-serial console port; a test-driver host gets neither', () => {
    const { domain } = adopted(desk, 'qemu:///system');
    expect(domain.devices.inputs).toEqual(PS2);
    expect(domain.devices.serials[0].target).toEqual({ port: 0, type: 'isa-serial', model: { name: 'isa-serial' } });
    const onTestDriver = adopted(desk, 'test:///default').domain;
    expect(onTestDriver.devices).not.toHaveProperty('inputs');
    expect(onTestDriver.devices.serials[0].target).toEqual({ port: 0 });
  });

  it('ignores what the host or the run assigns, device by device, and nothing of it on a test-driver host', () => {
    const { domain, ignored } = adopted(desk, 'qemu+ssh://root@kvm-a1/system');
    const qemu = [
      'devices.emulator', 'devices.audios', 'devices.videos',
      'cpu.match', 'cpu.check', 'cpu.model_fallback', 'cpu.vendor', 'cpu.features',
      'devices.disks[0].alias', 'devices.disks[0].source.index', 'devices.disks[0].backing_store',
      'devices.interfaces[0].alias', 'devices.interfaces[0].source.network.bridge', 'devices.interfaces[0].source.network.port_id',
      'devices.serials[0].alias', 'devices.serials[0].source.pty.path',
      'devices.consoles[0].alias', 'devices.consoles[0].source.pty.path', 'devices.consoles[0].tty',
      'devices.inputs[0].alias', 'devices.inputs[1].alias',
      'devices.graphics[0].vnc.port',
      'devices.mem_balloon.address', 'devices.mem_balloon.alias',
      'resource', 'sec_label',
    ];
    expect(ignored).toEqual(expect.arrayContaining(qemu));
    expect(domain.lifecycle.ignore_changes).toEqual(ignored);
    const onTestDriver = adopted(desk, 'test:///default').ignored;
    for (const path of qemu) expect(onTestDriver).not.toContain(path);
  });

  it('keeps a domain the fleet says is shut off (running: false, written by import --from) shut off; any other runs', () => {
    expect(adopted(vm('cd-1', { running: false }), 'qemu:///system').domain.running).toBe(false);
    expect(adopted(desk, 'qemu:///system').domain.running).toBe(true);
  });

  it('ignores no video and no CPU details where the configuration has no graphics and no CPU', () => {
    expect(assignedByQemuDriver({ devices: { disks: [] } })).toEqual(['devices.emulator', 'devices.audios', 'resource', 'sec_label']);
  });
});
