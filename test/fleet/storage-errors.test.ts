// Storage pools and migration transports a platform cannot honour are located load errors.
import { describe, expect, it } from 'vitest';
import { problemLines, withLine } from './helpers';

const NFS = '  - { name: nfs, type: netfs, source: "nfs1:/x", path: /mnt/nfs }';
const SAN_AND_LVM = '  - { name: san, type: iscsi, portal: "san1:3260", target: "iqn.2024-01.com.example:vms" }\n  - { name: lvm, type: logical, source: vg0 }';
/** The base fleet plus pool `p` after the nfs pool. */
const withPool = (p: string): string => withLine(20, `${NFS}\n${p}`);
/** The base fleet with an iSCSI pool `san` and an LVM pool `lvm`, and web-1's disks replaced. */
const withDisks = (disks: string, after = ''): string =>
  withLine(20, `${NFS}\n${SAN_AND_LVM}`).replace('    disks: [{ size: 20GiB, pool: local, image: debian }]', `    disks: ${disks}${after}`);

describe('iSCSI pools', () => {
  // libvirt docs/storage.rst ("Example iSCSI pool input") and formatstorage.rst: the portal is
  // <source><host name=…/>, the target IQN <source><device path=…/>; iscsi-direct "requires a host, a path
  // which is the target IQN, and an initiator IQN". An IQN holds colons, so one host:path string cannot say both.
  it('need portal and target, not source', () => {
    expect(problemLines(withPool('  - { name: san, type: iscsi, source: "iqn.2024-01.com.example:vms" }'))).toEqual([
      "f.yaml:21:24: pools[2].type: an iscsi pool needs 'portal' (host or host:port of the iSCSI portal)",
      "f.yaml:21:24: pools[2].type: an iscsi pool needs 'target' (the target IQN, e.g. iqn.2024-01.com.example:vms)",
      "f.yaml:21:39: pools[2].source: an iscsi pool takes 'portal' (host or host:port) and 'target' (the target IQN) instead of 'source'",
    ]);
  });

  it('check the portal and the IQNs (RFC 3720 names)', () => {
    expect(problemLines(withPool('  - { name: san, type: iscsi, portal: "san 1", target: "vms-lun" }'))).toEqual([
      "f.yaml:21:39: pools[2].portal: 'san 1' is not a portal; write a host name or IPv4 address, optionally with :port (e.g. san1.example.com:3260)",
      "f.yaml:21:56: pools[2].target: 'vms-lun' is not an iSCSI name; write an IQN such as iqn.2024-01.com.example:vms (or eui./naa. form)",
    ]);
  });

  it('iscsi-direct also needs the initiator IQN', () => {
    expect(problemLines(withPool('  - { name: san, type: iscsi-direct, portal: "san1:3260", target: "iqn.2024-01.com.example:vms" }'))).toEqual([
      "f.yaml:21:24: pools[2].type: an iscsi-direct pool needs 'initiator' (the initiator IQN this host logs in with, e.g. iqn.2024-01.com.example:host1)",
    ]);
  });

  it('the iSCSI keys belong to iSCSI pools only', () => {
    expect(problemLines(withLine(19, '  - { name: local, type: dir, path: /x, portal: san1 }'))).toEqual([
      "f.yaml:19:49: pools[0].portal: 'portal' is for iscsi and iscsi-direct pools; this pool is dir",
    ]);
  });

  it('accepts portal, target and initiator', () => {
    expect(problemLines(withPool('  - { name: san, type: iscsi, portal: "san1:3260", target: "iqn.2024-01.com.example:vms", initiator: "iqn.2024-01.com.example:kvm-1" }'))).toEqual([]);
  });
});

describe('disks on LUN pools', () => {
  // libvirt docs/storage.rst, iSCSI pool: "Volumes must be pre-allocated on the iSCSI server, and cannot be
  // created via the libvirt APIs" (the same for SCSI and multipath pools).
  it('a disk there names its existing LUN', () => {
    expect(problemLines(withDisks('[{ size: 20GiB, pool: san }]'))).toEqual([
      "f.yaml:29:34: vms[0].disks[0].pool: pool 'san' is iscsi: its volumes are LUNs that exist on the storage side and libvirt cannot create one; name the LUN with volume: (e.g. unit:0:0:1)",
    ]);
  });

  it('an existing LUN cannot be written from an image, and volume: names an existing volume of any pool', () => {
    expect(problemLines(withDisks('[{ size: 20GiB, pool: san, volume: "unit:0:0:1", image: debian }]'))).toEqual([
      "f.yaml:29:68: vms[0].disks[0].image: a disk on an existing LUN of iscsi pool 'san' cannot be written from an image; put the image on the LUN beforehand and remove image:",
    ]);
    // Issue #15: an existing volume of any pool type is adopted as it is (no volume resource is created).
    expect(problemLines(withDisks('[{ size: 20GiB, pool: local, volume: "web-1.qcow2" }]'))).toEqual([]);
    expect(problemLines(withDisks('[{ pool: local, volume: "web-1.qcow2", image: debian }]'))).toEqual([
      "f.yaml:29:58: vms[0].disks[0].image: existing volume 'web-1.qcow2' of pool 'local' is used as it is and cannot be written from an image; remove image:",
    ]);
  });

  it('the cloud-init seed cannot go into a LUN pool', () => {
    expect(problemLines(withDisks('[{ size: 20GiB, pool: san, volume: "unit:0:0:1" }]', '\n    cloudInit: { sshKeys: ["ssh-ed25519 AAAA"] }'))).toEqual([
      "f.yaml:30:16: vms[0].cloudInit: the cloud-init seed is a volume in the OS disk's pool, and iscsi pool 'san' cannot create one; put the first disk in a pool where volumes can be created",
    ]);
  });
});

describe('disks on logical (LVM) pools', () => {
  // libvirt src/storage/storage_backend_logical.c (virStorageBackendLogicalCreateVol creates a plain LV,
  // whatever format is asked) and docs/storage.rst: "The logical volume pool does not use the volume format type element".
  it('a qcow2 image or format there is an error where it is written', () => {
    expect(problemLines(withDisks('[{ size: 20GiB, pool: lvm, image: debian }]'))).toEqual([
      "f.yaml:29:46: vms[0].disks[0].image: pool 'lvm' is logical (LVM): libvirt creates plain LVs there, which hold raw data only, but this disk is qcow2 (from its image); use a raw image",
    ]);
    expect(problemLines(withDisks('[{ size: 20GiB, pool: lvm, format: qcow2 }]'))).toEqual([
      "f.yaml:29:47: vms[0].disks[0].format: pool 'lvm' is logical (LVM): libvirt creates plain LVs there, which hold raw data only, but this disk is qcow2; set format: raw",
    ]);
    expect(problemLines(withDisks('[{ size: 20GiB, pool: lvm, image: /img/x.qcow2 }]'))).toEqual([
      "f.yaml:29:46: vms[0].disks[0].image: pool 'lvm' is logical (LVM): libvirt creates plain LVs there, which hold raw data only, but this disk is qcow2 (from its image); use a raw image",
    ]);
  });

  it('disks without a format are raw there, and raw images and LUNs load', () => {
    expect(problemLines(withDisks('[{ size: 20GiB, pool: lvm }, { size: 20GiB, pool: lvm, image: /img/x.raw }, { size: 1GiB, pool: san, volume: "unit:0:0:1" }]'))).toEqual([]);
  });
});

describe('migration transport', () => {
  // libvirt src/libxl/libxl_migration.h: LIBXL_MIGRATION_FLAGS has no VIR_MIGRATE_TLS.
  it('TLS is refused on a Xen pool; an unknown transport is refused everywhere', () => {
    expect(problemLines(withLine(15, '  - { name: mp, hypervisor: kvm, hosts: [kvm-1], sharedStorage: nfs }\n  - { name: xp, hypervisor: xen, hosts: [xen-1], transport: tls }'))).toEqual([
      "f.yaml:16:61: migrationPools[1].transport: libvirt's libxl driver has no TLS migration; use transport: tunnelled (the default on Xen) or plain",
    ]);
    expect(problemLines(withLine(15, '  - { name: mp, hypervisor: kvm, hosts: [kvm-1], sharedStorage: nfs, transport: ssh }'))).toEqual([
      "f.yaml:15:81: migrationPools[0].transport: expected one of tls, tunnelled, plain, got 'ssh'",
    ]);
  });
});
