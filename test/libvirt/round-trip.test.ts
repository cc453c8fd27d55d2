/**
 * The comparison behind "imported and round-tripped" (libvirt/round-trip.ts, scripts/round-trip.ts): the
 * modeled elements of a domain, and libvirt's own defaults filled in where a definition leaves them out.
 * Sources, libvirt 9.0.0: src/conf/domain_postparse.c (virDomainDefPostParseMemory: currentMemory =
 * memory; virDomainDiskDefPostParse: hd ide, sd scsi, vd virtio, xvd xen), src/qemu/qemu_domain.c
 * (qemuDomainDeviceDiskDefPostParse: a disk without format is raw; qemuDomainDefaultNetModel),
 * src/libxl/libxl_conf.c (libxlMakeDisk: "If driverName is not specified, default to raw").
 */
import { describe, expect, it } from 'vitest';
import { modeledElements, roundTripDifferences, withLibvirtDefaults } from '../../libvirt/round-trip';

const KVM = `<domain type='qemu'><name>a</name><memory unit='MiB'>1024</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
  <disk type='file' device='cdrom'><source file='/isos/a.iso'/><target dev='hdc'/></disk>
  <interface type='network'><source network='default'/><mac address='52:54:00:00:00:01'/></interface>
</devices></domain>`;

describe('round-trip comparison', () => {
  it('models the elements hyperplan keeps, and fills in what libvirt assumes', () => {
    const modeled = modeledElements(KVM);
    expect(modeled).toMatchObject({ type: 'kvm', name: 'a', memoryKiB: 1048576, currentMemoryKiB: undefined, vcpu: undefined, arch: 'x86_64', machine: 'pc', osType: 'hvm' });
    const filled = withLibvirtDefaults(modeled);
    expect(filled).toMatchObject({ vcpu: '1', currentMemoryKiB: 1048576 });
    expect(filled.disks[0]).toMatchObject({ target: { dev: 'hdc', bus: 'ide' }, format: 'raw', device: 'cdrom' });
    expect(filled.interfaces[0]!.model).toBe('rtl8139');
  });

  it('gives a Xen guest its machine of the guest type and a PV NIC netfront', () => {
    const pv = withLibvirtDefaults(modeledElements(`<domain type='xen'><name>p</name><memory>524288</memory><os><type>linux</type></os><devices><interface type='bridge'><source bridge='br0'/></interface></devices></domain>`));
    expect([pv.machine, pv.interfaces[0]!.model]).toEqual(['xenpv', 'netfront']);
  });

  it('finds what changed and ignores what is only a default spelled out, or a sanitized name', () => {
    const rendered = KVM.replace("<target dev='hdc'/>", "<target dev='hdc' bus='ide'/><driver name='qemu' type='raw'/>").replace('<name>a</name>', '<name>a-1</name>').replace('<vcpu>', '');
    expect(roundTripDifferences(modeledElements(KVM), modeledElements(rendered))).toEqual([]);
    expect(roundTripDifferences(modeledElements(KVM), modeledElements(KVM.replace("dev='hdc'", "dev='hdb'")))).toEqual(['disks']);
  });

  it('reads a disk without type as a file, and ignores the order of attributes', () => {
    // libvirt src/conf/domain_conf.c, virDomainDiskDefParseSourceXML: type defaults to VIR_STORAGE_TYPE_FILE.
    const untyped = KVM.replace("<disk type='file' device='cdrom'>", "<disk device='cdrom'>");
    expect(withLibvirtDefaults(modeledElements(untyped)).disks[0]!.type).toBe('file');
    expect(roundTripDifferences(modeledElements(KVM), modeledElements(untyped))).toEqual([]);
    const volume = (attributes: string): string => KVM.replace("<disk type='file' device='cdrom'><source file='/isos/a.iso'/>", `<disk type='volume' device='cdrom'><source ${attributes}/>`);
    expect(roundTripDifferences(modeledElements(volume("volume='v' pool='p'")), modeledElements(volume("pool='p' volume='v'")))).toEqual([]);
    expect(roundTripDifferences(modeledElements(volume("volume='v' pool='p'")), modeledElements(volume("pool='p' volume='w'")))).toEqual(['disks']);
  });

  it("ignores the source index a running domain's XML carries, and puts a floppy without bus on fdc", () => {
    // libvirt src/conf/domain_conf.c, virDomainDiskDefParseSourceXML: index is read only from live XML (not
    // with VIR_DOMAIN_DEF_PARSE_INACTIVE); src/conf/domain_postparse.c: a floppy without bus is on fdc.
    const live = KVM.replace("<source file='/isos/a.iso'/>", "<source file='/isos/a.iso' index='2'/>");
    expect(roundTripDifferences(modeledElements(KVM), modeledElements(live))).toEqual([]);
    const floppy = withLibvirtDefaults(modeledElements(KVM.replace("device='cdrom'><source file='/isos/a.iso'/><target dev='hdc'/>", "device='floppy'><source file='/img/b.img'/><target dev='fda'/>")));
    expect(floppy.disks[0]!.target).toEqual({ dev: 'fda', bus: 'fdc' });
  });
});
