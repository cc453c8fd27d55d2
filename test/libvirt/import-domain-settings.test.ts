/**
 * Domain-level settings the importer keeps so that an adopted domain renders as libvirt had it (issue #15):
 * the machine libvirt gives a domain that names none, and a host bridge no libvirt network names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importDomains } from '../../libvirt/import';
import { filesToCheck } from '../../libvirt/render-stack';
import { modeledElements, roundTripDifferences, withLibvirtDefaults } from '../../libvirt/round-trip';
import { validateXmlFiles, type XmlFileToCheck } from '../../libvirt/validate';
import { synthesizeImported } from '../support/imported-synth';
import { SKIP_TOOLS } from './tools';

const work = mkdtempSync(join(tmpdir(), 'hyperplan-domain-settings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Imports `xml`, synthesizes it on a KVM and a Xen host, and renders its domain back to XML. */
async function roundTrip(name: string, xml: string): Promise<{ json: Record<string, any>; xml: string; files: XmlFileToCheck[] }> {
  const hosts = [
    { name: 'kvm-a', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-a/system', cpus: 64, memory: '256GiB' },
    { name: 'xen-a', hypervisor: 'xen', uri: 'xen+ssh://root@xen-a/system', cpus: 64, memory: '256GiB' },
  ];
  const stacks = await synthesizeImported(join(work, name), importDomains([{ file: `${name}.xml`, text: xml }]).fleet, hosts);
  // The stack of the guest's hypervisor is the one with a domain.
  const { json, rendered } = stacks.find((s) => s.json.resource?.libvirt_domain !== undefined)!;
  const dir = join(work, name, 'xml');
  for (const f of rendered.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.xml);
  }
  return { json, xml: rendered.files.find((f) => f.kind === 'domain')!.xml, files: filesToCheck(rendered, dir) };
}

const domain = (os: string, devices = ''): string =>
  `<domain type='kvm'><name>g</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu><os>${os}</os><devices>${devices}</devices></domain>`;
const vmOf = (xml: string) => {
  const result = importDomains([{ file: 'g.xml', text: xml }]);
  expect(result.failures).toEqual([]);
  return { vm: result.fleet.vms![0]!, fleet: result.fleet };
};

describe('a QEMU/KVM domain without a machine', () => {
  // libvirt 9.0.0 src/qemu/qemu_domain.c qemuDomainDefPostParse takes virQEMUCapsGetPreferredMachine, QEMU's
  // default='yes' machine (tests/qemucapabilitiesdata/caps_8.0.0.x86_64.xml: pc-i440fx-8.0 alias 'pc');
  // tests/qemuxml2xmloutdata/default-kvm-host-arch.xml is written back with machine='pc'.
  it("is imported on QEMU's default machine of its architecture, not the fleet's q35", () => {
    expect(vmOf(domain("<type>hvm</type>")).vm.machine).toBe('pc');
    expect(vmOf(domain("<type arch='i686'>hvm</type>")).vm.machine).toBe('pc');
    expect(vmOf(domain("<type arch='ppc64le'>hvm</type>")).vm.machine).toBe('pseries');
    expect(vmOf(domain("<type arch='s390x'>hvm</type>")).vm.machine).toBe('s390-ccw-virtio');
    // A machine the definition names is kept as it is.
    expect(vmOf(domain("<type arch='x86_64' machine='q35'>hvm</type>")).vm.machine).toBe('q35');
  });

  it('compares equal to the same domain with that machine spelled out', () => {
    const bare = modeledElements(domain('<type>hvm</type>'));
    expect(withLibvirtDefaults(bare).machine).toBe('pc');
    expect(roundTripDifferences(bare, modeledElements(domain("<type arch='x86_64' machine='pc'>hvm</type>")))).toEqual([]);
    expect(roundTripDifferences(bare, modeledElements(domain("<type arch='x86_64' machine='q35'>hvm</type>")))).toEqual(['machine']);
  });
});

describe('a domain without <memory>', () => {
  // formatdomain "Memory Allocation": with guest NUMA cells <memory> may be left out, libvirt sums the cells
  // (libvirt 9.0.0 tests/qemuxml2argvdata/cpu-numa-no-memory-element starts QEMU with -m of their total).
  const numa = (cells: string): string =>
    `<domain type='kvm'><name>n</name><vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><cpu><numa>${cells}</numa></cpu><devices/></domain>`;
  it('takes the NUMA cells\' total, and fails located without cells', () => {
    const text = numa("<cell id='0' cpus='0' memory='109550' unit='KiB'/><cell id='1' cpus='1' memory='1' unit='MiB'/>");
    expect(vmOf(text).vm.memory).toBe('110574KiB');
    expect(withLibvirtDefaults(modeledElements(text)).memoryKiB).toBe(110574);
    const none = importDomains([{ file: 'n.xml', text: numa('') }]);
    expect(none.failures.map((f) => f.message)).toEqual(["domain 'n' has no usable <memory> (got '' KiB)"]);
  });
});

describe('a NIC on a host bridge', () => {
  it('names the bridge as a host-bridge-only network: no libvirt network is created for it', () => {
    const { vm, fleet } = vmOf(domain("<type arch='x86_64' machine='q35'>hvm</type>", "<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>"));
    expect(vm.networks).toEqual([{ network: 'br0', model: 'virtio' }]);
    expect(fleet.networks).toEqual([{ name: 'br0', mode: 'bridge', bridge: 'br0', libvirtNetwork: false }]);
  });
});

// libvirt 9.0.0 src/conf/schemas/domaincommon.rng (`clock`, `timer`, `osbootdev`, `vcpu`) and formatdomain.rst
// ("Time keeping", "BIOS bootloader", "CPU Allocation"); provider v0.9.7 binds clock.offset/adjustment/basis/
// time_zone/start and timer name/tick_policy/catch_up/present/track/frequency/mode, os.boot_devices[].dev,
// vcpu_placement and vcpu_cpuset (.gen/providers/libvirt/domain, generated from the provider's schema).
const SETTINGS = `<domain type='kvm'><name>clocked</name><memory unit='MiB'>1024</memory>
  <vcpu placement='static' cpuset='0-3,^2'>2</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='cdrom'/><boot dev='hd'/><boot dev='network'/></os>
  <clock offset='variable' adjustment='3600' basis='localtime'>
    <timer name='rtc' tickpolicy='catchup' track='guest'><catchup threshold='123' slew='120' limit='10000'/></timer>
    <timer name='tsc' frequency='4567890000' mode='native'/>
    <timer name='hpet' present='no'/>
  </clock>
  <devices/></domain>`;

describe('clock, boot order and vCPU placement', () => {
  it('keeps each as a fleet key, and consumes what is libvirt default', () => {
    const result = importDomains([{ file: 'c.xml', text: SETTINGS }]);
    const vm = result.fleet.vms![0]!;
    expect(vm).toMatchObject({
      cpuset: '0-3,^2',
      bootDevices: ['cdrom', 'hd', 'network'],
      clock: {
        offset: 'variable',
        adjustment: 3600,
        basis: 'localtime',
        timers: [
          { name: 'rtc', tickPolicy: 'catchup', catchup: { threshold: 123, slew: 120, limit: 10000 }, track: 'guest' },
          { name: 'tsc', frequency: 4567890000, mode: 'native' },
          { name: 'hpet', present: false },
        ],
      },
    });
    expect(vm.vcpuPlacement).toBeUndefined();
    // Nothing of them is reported dropped.
    expect(result.notes.filter((n) => n.status === 'dropped' && /clock|boot|vcpu/.test(n.path))).toEqual([]);

    const defaults = vmOf(domain("<type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/>").replace('<devices>', "<clock offset='utc'/><devices>")).vm;
    expect([defaults.clock, defaults.bootDevices, defaults.vcpuPlacement, defaults.cpuset]).toEqual([undefined, undefined, undefined, undefined]);
    const auto = vmOf(domain("<type arch='x86_64' machine='q35'>hvm</type>").replace('<vcpu>1</vcpu>', "<vcpu placement='auto'>1</vcpu>")).vm;
    expect(auto.vcpuPlacement).toBe('auto');
  });

  it('leaves a clock the schema does not take unconsumed, reported dropped', () => {
    // A track on the tsc timer: libvirt's schema has track on platform and rtc only.
    const result = importDomains([{ file: 'c.xml', text: domain("<type arch='x86_64' machine='q35'>hvm</type>").replace('<devices>', "<clock offset='utc'><timer name='tsc' track='guest'/></clock><devices>") }]);
    expect(result.fleet.vms![0]!.clock).toBeUndefined();
    expect(result.notes.some((n) => n.status === 'dropped' && n.path.startsWith('/domain/clock'))).toBe(true);
  });
});

describe('clock, boot order and vCPU placement through synthesis', () => {
  it('are synthesized through the provider bindings, rendered as libvirt had them, and libvirt accepts the XML', async () => {
    const kvm = await roundTrip('kvm', SETTINGS);
    const domainJson = Object.values(kvm.json.resource.libvirt_domain as Record<string, Record<string, unknown>>)[0]!;
    expect(domainJson).toMatchObject({
      vcpu_cpuset: '0-3,^2',
      os: { boot_devices: [{ dev: 'cdrom' }, { dev: 'hd' }, { dev: 'network' }] },
      clock: {
        offset: 'variable',
        adjustment: '3600',
        basis: 'localtime',
        timer: [
          { name: 'rtc', tick_policy: 'catchup', catch_up: { threshold: 123, slew: 120, limit: 10000 }, track: 'guest' },
          { name: 'tsc', frequency: 4567890000, mode: 'native' },
          { name: 'hpet', present: 'no' },
        ],
      },
    });
    expect(roundTripDifferences(modeledElements(SETTINGS), modeledElements(kvm.xml))).toEqual([]);
    // A clock with a timezone offset and a placement auto (the importer writes vcpuPlacement: auto).
    const zoned = SETTINGS.replace(/<clock[^]*<\/clock>/, "<clock offset='timezone' timezone='Europe/Paris'/>").replace("placement='static' cpuset='0-3,^2'", "placement='auto'");
    const zonedKvm = await roundTrip('zoned', zoned);
    expect(roundTripDifferences(modeledElements(zoned), modeledElements(zonedKvm.xml))).toEqual([]);
    expect(zonedKvm.xml).toContain("<vcpu placement='auto'>2</vcpu>");
    // A Xen HVM guest's variable clock (as libvirt's xl parser writes rtc_timeoffset) and its boot order.
    const xen = `<domain type='xen'><name>xen-clock</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>
      <os><type arch='x86_64' machine='xenfv'>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os>
      <clock offset='variable' adjustment='0' basis='utc'><timer name='tsc' present='yes' mode='native'/><timer name='hpet' present='yes'/></clock>
      <devices/></domain>`;
    const xenRendered = await roundTrip('xen', xen);
    expect(roundTripDifferences(modeledElements(xen), modeledElements(xenRendered.xml))).toEqual([]);
    if (SKIP_TOOLS) return;
    const { results } = await validateXmlFiles([...kvm.files, ...zonedKvm.files, ...xenRendered.files].filter((f) => f.kind === 'domain'), ['schema', 'parser']);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  }, 120_000);
});

// libvirt 9.0.0 formatdomain.rst "Network interfaces" and domaincommon.rng `interface-options`: hostdev
// (<source><address type='pci'/>), vdpa (<source dev>), client/server/mcast/udp (<source address port>, udp's
// <local>), user with <backend type='passt'/> and <source dev>, network with portgroup. Provider v0.9.7 binds each
// as a branch of devices.interfaces[].source (hostdev.pci.address, vdpa.device, client/server/mcast/udp with
// address/port/local, user.dev, network.port_group) and devices.interfaces[].backend.type.
const NICS = `<domain type='kvm'><name>nics</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='hostdev' managed='yes'><mac address='00:11:22:33:44:55'/><driver name='vfio'/><source><address type='pci' domain='0x0000' bus='0x03' slot='0x07' function='0x1'/></source></interface>
    <interface type='vdpa'><mac address='52:54:00:95:db:c0'/><source dev='/dev/vhost-vdpa-0'/><model type='virtio'/></interface>
    <interface type='udp'><mac address='52:54:00:8c:b9:05'/><source address='192.168.10.1' port='5555'><local address='192.168.10.1' port='5556'/></source><model type='rtl8139'/></interface>
    <interface type='server'><mac address='52:54:00:8c:b9:06'/><source address='192.168.0.1' port='5558'/></interface>
    <interface type='mcast'><mac address='52:54:00:8c:b9:07'/><source address='230.0.0.1' port='5558'/></interface>
    <interface type='user'><mac address='00:11:22:33:44:56'/><source dev='eth42'/><backend type='passt'/><model type='virtio'/></interface>
    <interface type='network'><mac address='52:54:00:8c:b9:08'/><source network='rednet' portgroup='bob' portid='873be5a0-6b8a-4a0b-a1df-ef3659cd64bc'/><model type='virtio'/></interface>
  </devices></domain>`;

describe('NIC types beyond network, bridge, user, ethernet and direct', () => {
  it('keeps hostdev, vdpa, socket, passt and port-group NICs, synthesizes them and renders them as libvirt had them', async () => {
    const result = importDomains([{ file: 'nics.xml', text: NICS }]);
    expect(result.fleet.vms![0]!.networks).toEqual([
      { type: 'hostdev', pci: '0000:03:07.1', model: 'rtl8139', mac: '00:11:22:33:44:55' },
      { type: 'vdpa', dev: '/dev/vhost-vdpa-0', model: 'virtio', mac: '52:54:00:95:db:c0' },
      { type: 'udp', address: '192.168.10.1', port: 5555, local: { address: '192.168.10.1', port: 5556 }, model: 'rtl8139', mac: '52:54:00:8c:b9:05' },
      { type: 'server', address: '192.168.0.1', port: 5558, model: 'rtl8139', mac: '52:54:00:8c:b9:06' },
      { type: 'mcast', address: '230.0.0.1', port: 5558, model: 'rtl8139', mac: '52:54:00:8c:b9:07' },
      { type: 'user', backend: 'passt', dev: 'eth42', model: 'virtio', mac: '00:11:22:33:44:56' },
      { network: 'rednet', portgroup: 'bob', model: 'virtio', mac: '52:54:00:8c:b9:08' },
    ]);
    expect(result.notes.filter((n) => n.status === 'dropped' && n.path.startsWith('/domain/devices/interface'))).toEqual([]);
    const { json, xml, files } = await roundTrip('nics', NICS);
    const interfaces = (Object.values(json.resource.libvirt_domain as Record<string, any>)[0]!.devices as { interfaces: unknown[] }).interfaces;
    expect(interfaces[0]).toMatchObject({ managed: true, source: { hostdev: { pci: { address: { domain: 0, bus: 3, slot: 7, function: 1 } } } } });
    expect(interfaces[5]).toMatchObject({ source: { user: { dev: 'eth42' } }, backend: { type: 'passt' } });
    expect(interfaces[6]).toMatchObject({ source: { network: { network: '${libvirt_network.kvm_a_net_rednet.name}', port_group: 'bob' } } });
    expect(xml.replace(/\s+/g, ' ')).toContain("<source> <address type='pci' domain='0' bus='3' slot='7' function='1'/> </source>");
    expect(roundTripDifferences(modeledElements(NICS), modeledElements(xml))).toEqual([]);
    if (SKIP_TOOLS) return;
    const { results } = await validateXmlFiles(files.filter((f) => f.kind === 'domain'), ['schema']);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // libvirt's parser too, without the passt NIC: the parser check of this machine's libvirt refuses
    // <backend type='passt'> ("Invalid value for attribute 'type' in element 'backend'"), which the 9.0.0
    // schema above accepts.
    const withoutPasst = await roundTrip('nics-parser', NICS.replace(/<interface type='user'>.*?<\/interface>/, ''));
    const parsed = await validateXmlFiles(withoutPasst.files.filter((f) => f.kind === 'domain'), ['schema', 'parser']);
    expect(parsed.results.filter((r) => !r.ok)).toEqual([]);
  }, 60_000);
});
