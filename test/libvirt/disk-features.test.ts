// Issue #15, disks: what an existing domain's disks have — floppies, SCSI LUNs, any libvirt device name on an
// explicit bus, file/block/dir sources, image formats QEMU opens, startup policies, iSCSI volume modes,
// Gluster/HTTPS/NBD-over-socket/host-less RBD network disks with TLS — is imported into the fleet, synthesized
// as provider 0.9.7 attributes, rendered back to the same domain XML, and accepted by real libvirt.
// Sources of the libvirt facts: docs/formatdomain.rst "Hard drives, floppy disks, CDROMs" (libvirt 9.0.0);
// src/conf/domain_validate.c (virDomainDiskDefValidate: disk names hd/sd/vd/xvd on any bus, floppies fd;
// virDomainDiskDefSourceLUNValidate); src/qemu/qemu_domain.c (qemuDomainValidateStorageSource: dir is a
// read-only FAT disk); src/conf/domain_conf.c (virDomainDiskSourceNetworkParse: tls, tlsHostname).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDomains, type ImportResult } from '../../libvirt/import';
import { filesToCheck, type RenderedStack, type SynthesizedStack } from '../../libvirt/render-stack';
import { modeledElements, roundTripDifferences } from '../../libvirt/round-trip';
import { validateXmlFiles } from '../../libvirt/validate';
import { synthesizeImported } from '../support/imported-synth';
import { checkConformance } from '../../schema/conformance';
import { SKIP_TOOLS } from './tools';

const DOMAIN = `<domain type='kvm'>
  <name>disk-features</name>
  <memory unit='MiB'>1024</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='floppy'>
      <source file='/var/lib/libvirt/images/boot.img'/>
      <target dev='fda' bus='fdc'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='vmdk'/>
      <source file='/var/lib/libvirt/images/appliance.vmdk' startupPolicy='optional'/>
      <target dev='hda' bus='virtio'/>
    </disk>
    <disk type='block' device='lun'>
      <driver name='qemu' type='raw'/>
      <source dev='/dev/disk/by-id/wwn-0x5000c500a1b2c3d4'/>
      <target dev='sda' bus='scsi'/>
    </disk>
    <disk type='dir' device='disk'>
      <driver name='qemu' type='fat'/>
      <source dir='/srv/share'/>
      <target dev='vdb' bus='virtio'/>
      <readonly/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/dev/shm/scratch.img'/>
      <target dev='vdc' bus='virtio'/>
    </disk>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw'/>
      <source protocol='nbd' name='export1' tls='yes'>
        <host transport='unix' socket='/run/nbd/export1.sock'/>
      </source>
      <target dev='vdd' bus='virtio'/>
    </disk>
    <disk type='network' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source protocol='gluster' name='vol1/app.qcow2'>
        <host name='gluster1' port='24007'/>
        <host name='gluster2'/>
      </source>
      <target dev='vde' bus='virtio'/>
    </disk>
    <disk type='network' device='cdrom'>
      <source protocol='https' name='/isos/tools.iso' query='release=12'>
        <host name='mirror.example.org' port='443'/>
      </source>
      <target dev='sdb' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw'/>
      <source protocol='rbd' name='vms/disk-features'/>
      <target dev='vdf' bus='virtio'/>
    </disk>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='raw'/>
      <source pool='san' volume='unit:0:0:1' mode='direct'/>
      <target dev='vdg' bus='virtio'/>
    </disk>
  </devices>
</domain>
`;

const work = mkdtempSync(join(tmpdir(), 'hyperplan-disk-features-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Body = Record<string, any>;
let imported: ImportResult;
let json: SynthesizedStack;
let rendered: RenderedStack;

beforeAll(async () => {
  imported = importDomains([{ file: 'disk-features.xml', text: DOMAIN }]);
  const hosts = [{ name: 'kvm-1', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-1/system', cpus: 16, memory: '64GiB' }];
  ({ json, rendered } = (await synthesizeImported(work, imported.fleet, hosts))[0]!);
}, 120_000);

const domainXml = (): string => rendered.files.find((f) => f.kind === 'domain')!.xml;
const disksOf = (): Body[] => Object.values((json as Body).resource.libvirt_domain as Record<string, Body>)[0]!.devices.disks as Body[];

describe('importing the disks of an existing domain', () => {
  it('keeps every disk, with the keys that say what libvirt had', () => {
    expect(imported.failures).toEqual([]);
    const disks = imported.fleet.vms![0]!.disks!;
    expect(disks).toEqual([
      { device: 'floppy', path: '/var/lib/libvirt/images/boot.img', bus: 'fdc' },
      { path: '/var/lib/libvirt/images/appliance.vmdk', startupPolicy: 'optional', bus: 'virtio', format: 'vmdk', target: 'hda', cache: 'default' },
      { device: 'lun', path: '/dev/disk/by-id/wwn-0x5000c500a1b2c3d4', bus: 'scsi', format: 'raw', cache: 'default' },
      { path: '/srv/share', pathType: 'dir', readonly: true, bus: 'virtio', format: 'fat', target: 'vdb', cache: 'default' },
      { path: '/dev/shm/scratch.img', pathType: 'file', bus: 'virtio', format: 'raw', target: 'vdc', cache: 'default' },
      { network: { protocol: 'nbd', name: 'export1', hosts: [{ socket: '/run/nbd/export1.sock' }], tls: true }, bus: 'virtio', format: 'raw', target: 'vdd', cache: 'default' },
      { network: { protocol: 'gluster', name: 'vol1/app.qcow2', hosts: [{ host: 'gluster1', port: 24007 }, { host: 'gluster2' }] }, bus: 'virtio', format: 'qcow2', target: 'vde', cache: 'default' },
      { device: 'cdrom', network: { protocol: 'https', name: '/isos/tools.iso', query: 'release=12', hosts: [{ host: 'mirror.example.org', port: 443 }] }, bus: 'sata' },
      { network: { protocol: 'rbd', name: 'vms/disk-features', hosts: [] }, bus: 'virtio', format: 'raw', target: 'vdf', cache: 'default' },
      { pool: 'san', volume: 'unit:0:0:1', volumeMode: 'direct', bus: 'virtio', format: 'raw', target: 'vdg', cache: 'default' },
    ]);
  });

  it('drops nothing of the disks', () => {
    expect(imported.notes.filter((n) => n.status === 'dropped' && n.path.startsWith('/domain/devices/disk'))).toEqual([]);
  });

  it('drops what QEMU cannot open, and a disk the loader would refuse, reported with its path', () => {
    const dropped = (result: ImportResult): string[] => result.notes.filter((n) => n.status === 'dropped').map((n) => n.path);
    // qemu_block.c refuses cow ("mishandled storage format"): the format is dropped, the disk kept.
    const cow = importDomains([{ file: 'd.xml', text: DOMAIN.replace("type='vmdk'", "type='cow'") }]);
    expect(cow.fleet.vms![0]!.disks![1]).not.toHaveProperty('format');
    expect(dropped(cow)).toEqual(['/domain/devices/disk[2]/driver@type']);
    // QEMU removed sheepdog; an iSCSI disk with a Ceph secret is one the loader refuses: both disks dropped whole.
    const sheepdog = DOMAIN.replace("protocol='rbd' name='vms/disk-features'/>", "protocol='sheepdog' name='image'><host name='sd1'/></source>");
    const wrongSecret = DOMAIN.replace(
      "<source protocol='rbd' name='vms/disk-features'/>",
      "<source protocol='iscsi' name='iqn.2024-01.com.example:s/1'><host name='san'/><auth username='u'><secret type='ceph' usage='x'/></auth></source>",
    );
    for (const text of [sheepdog, wrongSecret]) {
      const result = importDomains([{ file: 'd.xml', text }]);
      expect(result.fleet.vms![0]!.disks).toHaveLength(9);
      expect(dropped(result)).toEqual(['/domain/devices/disk[9]']);
    }
  });
});

describe('synthesized for provider 0.9.7 and rendered back', () => {
  it('conforms to the provider schema', () => {
    expect(checkConformance(json as Parameters<typeof checkConformance>[0])).toEqual([]);
  });

  it('creates no volume for any of them', () => {
    expect((json as Body).resource.libvirt_volume).toBeUndefined();
  });

  // The provider's disk source union: its branch is libvirt's <disk type>; startup_policy sits on the source.
  it('spells each source as the provider takes it', () => {
    const disks = disksOf();
    expect(disks[0]).toMatchObject({ device: 'floppy', source: { file: { file: '/var/lib/libvirt/images/boot.img' } }, target: { dev: 'fda', bus: 'fdc' } });
    expect(disks[1]).toMatchObject({ source: { file: { file: '/var/lib/libvirt/images/appliance.vmdk' }, startup_policy: 'optional' }, target: { dev: 'hda', bus: 'virtio' }, driver: { type: 'vmdk' } });
    expect(disks[2]).toMatchObject({ device: 'lun', source: { block: { dev: '/dev/disk/by-id/wwn-0x5000c500a1b2c3d4' } }, target: { bus: 'scsi' } });
    expect(disks[3]).toMatchObject({ read_only: true, source: { dir: { dir: '/srv/share' } }, driver: { type: 'fat' } });
    expect(disks[4]!.source).toEqual({ file: { file: '/dev/shm/scratch.img' } });
    expect(disks[5]!.source).toEqual({ network: { protocol: 'nbd', name: 'export1', tls: 'yes', hosts: [{ transport: 'unix', socket: '/run/nbd/export1.sock' }] } });
    expect(disks[8]!.source).toEqual({ network: { protocol: 'rbd', name: 'vms/disk-features' } });
    expect(disks[9]!.source).toEqual({ volume: { pool: expect.stringContaining('libvirt_pool'), volume: 'unit:0:0:1', mode: 'direct' } });
  });

  it('renders the domain back with every modeled disk element as it was', () => {
    expect(roundTripDifferences(modeledElements(DOMAIN), modeledElements(domainXml()))).toEqual([]);
    expect(domainXml()).toContain("<disk type='dir'>");
    expect(domainXml()).toMatch(/<source protocol='nbd' name='export1' tls='yes'>\s*<host transport='unix' socket='\/run\/nbd\/export1.sock'\/>/);
  });

  it.skipIf(SKIP_TOOLS)('passes the RelaxNG schema, the libvirt parser and the QEMU driver (command line built)', async () => {
    const dir = join(work, 'xml');
    for (const f of rendered.files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.xml);
    }
    const files = filesToCheck(rendered, dir).filter((f) => f.kind === 'domain');
    const { results } = await validateXmlFiles(files, ['schema', 'parser', 'qemu-argv']);
    expect(results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.message}`)).toEqual([]);
    expect(results.map((r) => r.check).sort()).toEqual(['parser', 'qemu-argv', 'schema']);
  }, 120_000);
});
