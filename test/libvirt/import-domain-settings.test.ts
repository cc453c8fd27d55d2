/**
 * Domain-level settings the importer keeps so that an adopted domain renders as libvirt had it (issue #15):
 * the machine libvirt gives a domain that names none, and a host bridge no libvirt network names.
 */
import { describe, expect, it } from 'vitest';
import { importDomains } from '../../libvirt/import';
import { modeledElements, roundTripDifferences, withLibvirtDefaults } from '../../libvirt/round-trip';

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

describe('a NIC on a host bridge', () => {
  it('names the bridge as a host-bridge-only network: no libvirt network is created for it', () => {
    const { vm, fleet } = vmOf(domain("<type arch='x86_64' machine='q35'>hvm</type>", "<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>"));
    expect(vm.networks).toEqual([{ network: 'br0', model: 'virtio' }]);
    expect(fleet.networks).toEqual([{ name: 'br0', mode: 'bridge', bridge: 'br0', libvirtNetwork: false }]);
  });
});
