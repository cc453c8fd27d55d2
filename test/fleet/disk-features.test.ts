// Issue #15, disks: the fleet keys for what an existing domain's disks have (floppies, LUNs, path types,
// image formats, startup policies, iSCSI volume modes, more network protocols) — each bad input one located
// problem, and what effectiveVm() makes of the good ones.
import { describe, expect, it } from 'vitest';
import { effectiveVm } from '../../fleet/effective-vm';
import { FleetBuilder } from '../../fleet/builder';
import { loadFleetFromString } from '../../fleet/index';
import type { Fleet } from '../../fleet/model';
import { problemLines, withLine } from './helpers';

// BASE_FLEET's VM: line 27 disks.
const disks = (d: string): string => withLine(27, `    disks: ${d}`);
const OS_DISK = '{ size: 20GiB, pool: local, image: debian }';
const extra = (d: string): string => disks(`[${OS_DISK}, ${d}]`);

const CASES: readonly (readonly [name: string, text: string, expected: readonly string[]])[] = [
  // libvirt src/conf/domain_postparse.c: a floppy without bus is on fdc; src/conf/domain_validate.c: its name is fd*.
  ['floppy on another bus', extra('{ device: floppy, path: /img/boot.img, bus: ide }'), ['f.yaml:27:102: vms[0].disks[1].bus: a floppy is on the floppy controller (bus fdc), not on bus ide; remove bus:']],
  ['floppy named like a disk', extra('{ device: floppy, path: /img/boot.img, target: hdb }'), ["f.yaml:27:105: vms[0].disks[1].target: 'hdb' is not a floppy's name; floppies are named fda, fdb"]],
  ['floppy with a size', extra('{ device: floppy, size: 1MiB, pool: local, volume: b.img }'), ['f.yaml:27:82: vms[0].disks[1].size: a floppy has no size of its own; remove size:']],
  ['disk on the floppy controller', extra('{ path: /img/d.img, bus: fdc }'), ['f.yaml:27:83: vms[0].disks[1].bus: bus fdc (the floppy controller) takes floppies only; set device: floppy, or another bus']],
  // libvirt src/qemu/qemu_domain.c, qemuDomainValidateStorageSource.
  ['directory without readonly', extra('{ path: /srv/share, pathType: dir }'), ['f.yaml:27:58: vms[0].disks[1].readonly: QEMU shows a directory as a FAT disk read-only; add readonly: true']],
  ['directory in another format', extra('{ path: /srv/share, pathType: dir, readonly: true, format: raw }'), ['f.yaml:27:117: vms[0].disks[1].format: a directory is shown to the guest as a FAT disk; remove format: raw (or set fat)']],
  ['fat without a directory', extra('{ path: /img/d.img, format: fat }'), ['f.yaml:27:86: vms[0].disks[1].format: format fat is a host directory shown as a FAT disk (libvirt: "storage format \'fat\' is supported only with \'dir\' storage type"); add pathType: dir']],
  ['pathType without path', extra('{ pool: local, volume: v.img, pathType: block }'), ['f.yaml:27:98: vms[0].disks[1].pathType: pathType: says how libvirt opens path:; this disk has none']],
  ['created volume in an existing-disk format', disks('[{ size: 20GiB, pool: local, format: vmdk }]'), ['f.yaml:27:49: vms[0].disks[0].format: hyperplan creates this disk as a volume, which is qcow2 or raw; vmdk is for an existing disk (volume:, path: or network:)']],
  ['format QEMU does not open', extra('{ path: /img/d.cow, format: cow }'), ["f.yaml:27:86: vms[0].disks[1].format: expected one of qcow2, raw, qcow, qed, vmdk, vpc, vhd, vdi, ploop, bochs, cloop, dmg, fat, got 'cow'"]],
  // libvirt src/conf/domain_validate.c, virDomainDiskDefValidateStartupPolicy.
  ['requisite on a disk', extra('{ path: /img/d.img, startupPolicy: requisite }'), ['f.yaml:27:93: vms[0].disks[1].startupPolicy: startup policy requisite is for CD-ROMs and floppies only (libvirt refuses it on a disk); use optional or mandatory']],
  ['startup policy of a network disk', extra('{ network: { protocol: nbd, hosts: [{ host: n }] }, startupPolicy: optional }'), ['f.yaml:27:125: vms[0].disks[1].startupPolicy: libvirt has a startup policy for files, block devices and volumes, not for network disks; remove startupPolicy:']],
  ['volume mode without a volume', extra('{ path: /dev/sdc, volumeMode: direct }'), ['f.yaml:27:88: vms[0].disks[1].volumeMode: volumeMode: is how the disk uses an existing volume of an iSCSI pool; this disk names no volume:']],
  // libvirt src/conf/domain_validate.c, virDomainDiskDefSourceLUNValidate; QEMU removed virtio-blk SCSI passthrough in 5.0.
  ['LUN on virtio-blk', extra('{ device: lun, path: /dev/sdc, bus: virtio }'), ['f.yaml:27:94: vms[0].disks[1].bus: SCSI passthrough (device: lun) needs bus scsi (virtio-scsi); QEMU removed it from virtio-blk in 5.0, not virtio']],
  ['LUN of a file', extra('{ device: lun, path: /img/d.img }'), ['f.yaml:27:79: vms[0].disks[1].path: a LUN passes a host block device through; give a block device (pathType: block), or remove device: lun']],
  ['LUN of an NBD export', extra('{ device: lun, network: { protocol: nbd, hosts: [{ host: n }] } }'), ['f.yaml:27:82: vms[0].disks[1].network: a LUN is a block device or an iSCSI LUN, not a nbd disk; remove device: lun']],
  // libvirt src/conf/domain_conf.c, virDomainDiskSourceNetworkParse ("missing name for disk source"); formatdomain "Number of hosts".
  ['gluster without a name', extra('{ network: { protocol: gluster, hosts: [{ host: g1 }] } }'), ['f.yaml:27:69: vms[0].disks[1].network.name: gluster disks name their image as volume/path in name:']],
  ['https without a server', extra('{ network: { protocol: https, name: /a.iso } }'), ['f.yaml:27:69: vms[0].disks[1].network.hosts: https disks name their server in hosts:']],
  ['socket of an iscsi disk', extra('{ network: { protocol: iscsi, name: t/1, hosts: [{ socket: /run/s }] } }'), ['f.yaml:27:117: vms[0].disks[1].network.hosts[0].socket: iscsi disks reach their server over TCP; a UNIX socket is for nbd and gluster disks']],
  ['socket and host', extra('{ network: { protocol: nbd, hosts: [{ socket: /run/s, host: n }] } }'), ['f.yaml:27:118: vms[0].disks[1].network.hosts[0].host: a server is a UNIX socket or a host, not both; remove host:']],
  ['query of an nbd disk', extra('{ network: { protocol: nbd, query: a=b, hosts: [{ host: n }] } }'), ['f.yaml:27:93: vms[0].disks[1].network.query: a query string is part of an http or https URL, not of a nbd disk; remove query:']],
  ['nfs with a port', extra('{ network: { protocol: nfs, name: /x, hosts: [{ host: n, port: 2049 }] } }'), ['f.yaml:27:121: vms[0].disks[1].network.hosts[0].port: nfs disks take no port; remove port:']],
  ['server without host', extra('{ network: { protocol: nbd, hosts: [{ port: 10809 }] } }'), ['f.yaml:27:94: vms[0].disks[1].network.hosts[0].host: name the server with host: (or socket: for a UNIX socket)']],
  // QEMU docs/about/removed-features.rst: the sheepdog block driver is gone.
  ['sheepdog', extra('{ network: { protocol: sheepdog, name: img, hosts: [{ host: s }] } }'), ["f.yaml:27:81: vms[0].disks[1].network.protocol: expected one of rbd, iscsi, nbd, gluster, http, https, ftp, ftps, tftp, nfs, ssh, got 'sheepdog'"]],
];

describe('disk keys of existing domains: one located problem per bad input', () => {
  for (const [name, text, expected] of CASES) {
    it(name, () => {
      expect(problemLines(text)).toEqual(expected);
    });
  }
});

describe('disk keys of existing domains: the effective disks', () => {
  const fleetWith = (diskList: string): Fleet => {
    const loaded = loadFleetFromString(extra(diskList), 'f.yaml');
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
    return loaded.fleet;
  };

  it('puts a floppy on the floppy controller as fda, raw, with libvirt cache and I/O defaults, and creates no volume for it', () => {
    const fleet = fleetWith('{ device: floppy, pool: local, volume: boot.img }');
    const floppy = effectiveVm(fleet, fleet.vms[0]!, 'kvm').disks[1]!;
    expect(floppy).toMatchObject({ device: 'floppy', bus: 'fdc', target: 'fda', format: 'raw', readonly: false, volume: 'boot.img' });
    expect(floppy).not.toHaveProperty('cache');
    expect(floppy).not.toHaveProperty('io');
  });

  it('keeps a name of another prefix on an explicit bus, as libvirt does (hda on virtio: tests/qemuxml2argvdata/disk-virtio-ccw.xml)', () => {
    const fleet = fleetWith('{ path: /dev/sdc, bus: virtio, target: hda }, { path: /dev/sdd }');
    expect(effectiveVm(fleet, fleet.vms[0]!, 'kvm').disks.map((d) => [d.target, d.bus])).toEqual([['vda', 'virtio'], ['hda', 'virtio'], ['vdb', 'virtio']]);
  });

  it('puts a LUN on virtio-scsi, raw; opens paths as block under /dev and file elsewhere unless told; a directory is fat', () => {
    const fleet = fleetWith('{ device: lun, path: /dev/sdc }, { path: /dev/shm/a.img, pathType: file }, { path: /srv/share, pathType: dir, readonly: true }, { path: /img/a.vmdk, format: vmdk }');
    const [, lun, shm, dir, vmdk] = effectiveVm(fleet, fleet.vms[0]!, 'kvm').disks;
    expect(lun).toMatchObject({ device: 'lun', bus: 'scsi', target: 'sda', format: 'raw', pathType: 'block' });
    expect(shm).toMatchObject({ pathType: 'file', format: 'raw' });
    expect(dir).toMatchObject({ pathType: 'dir', format: 'fat', readonly: true });
    expect(vmdk).toMatchObject({ pathType: 'file', format: 'vmdk', driverName: 'qemu' });
  });

  it('is accepted by FleetBuilder with the same keys', () => {
    const built = new FleetBuilder()
      .host({ name: 'k1', hypervisor: 'kvm', uri: 'qemu:///system', cpus: 8, memory: '32GiB' })
      .vm({
        name: 'v',
        vcpus: 1,
        memory: '1GiB',
        disks: [
          { path: '/img/a.vmdk', format: 'vmdk', startupPolicy: 'optional' },
          { device: 'floppy', path: '/img/boot.img' },
          { device: 'lun', path: '/dev/sdc' },
          { network: { protocol: 'nbd', hosts: [{ socket: '/run/nbd.sock' }], tls: true } },
          { network: { protocol: 'rbd', name: 'vms/v' } },
        ],
      })
      .build();
    expect(built.vms[0]!.disks.map((d) => d.device ?? d.network?.protocol ?? d.format)).toEqual(['vmdk', 'floppy', 'lun', 'nbd', 'rbd']);
    expect(built.vms[0]!.disks[4]!.network!.hosts).toEqual([]);
  });
});
