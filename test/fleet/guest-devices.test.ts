// Issue #15 item 3, "What libvirt had, kept": the fleet keys for architectures, CD-ROMs, network disks,
// NIC types, currentMemory, exact KiB sizes and existing volumes — each bad input one located problem.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KVM_ARCH_DEFAULT_MACHINE, machineFitsArch, nativeGuestArches, VM_ARCHES } from '../../fleet/guest-devices';
import { effectiveVm } from '../../fleet/effective-vm';
import { FleetBuilder } from '../../fleet/builder';
import { loadFleetFromString } from '../../fleet/index';
import type { Fleet } from '../../fleet/model';
import { problemLines, withLine } from './helpers';

// BASE_FLEET's VM: line 26 memory, 27 disks, 28 networks.
const vmLines = (lines: string): string => withLine(26, `    memory: 4GiB\n${lines}`);
const disks = (d: string): string => withLine(27, `    disks: ${d}`);
const nets = (n: string): string => withLine(28, `    networks: ${n}`);
const OS_DISK = '{ size: 20GiB, pool: local, image: debian }';

const CASES: readonly (readonly [name: string, text: string, expected: readonly string[]])[] = [
  ['arch unknown', vmLines('    arch: sparc64'), ["f.yaml:27:11: vms[0].arch: expected one of x86_64, i686, aarch64, ppc64le, ppc64, s390x, riscv64, got 'sparc64'"]],
  ['machine of another arch', vmLines('    arch: aarch64\n    machine: q35'), ["f.yaml:28:14: vms[0].machine: machine 'q35' is not a machine type of aarch64 guests; use one of virt[-<version>], sbsa-ref"]],
  ['machine with a version that is not one', vmLines('    machine: pc-q35-latest'), ["f.yaml:27:14: vms[0].machine: machine 'pc-q35-latest' is not a machine type of x86_64 guests; use one of pc[-<version>], pc-i440fx[-<version>], q35, pc-q35[-<version>], isapc, microvm, xenfv, xenpv, xenpvh"]],
  ['currentMemory above memory', vmLines('    currentMemory: 5GiB'), ["f.yaml:27:20: vms[0].currentMemory: currentMemory 5GiB is more than memory 4GiB; the balloon target at boot is at most the VM's memory"]],
  ['memory not whole KiB', withLine(26, '    memory: 1048577B'), ["f.yaml:26:13: vms[0].memory: size '1048577B' is not a whole number of KiB"]],
  ['Xen host of another arch', withLine(13, '    dom0: { memory: 4GiB, vcpus: 2 }\n    arch: aarch64'), ['f.yaml:14:11: hosts[1].arch: hyperplan deploys Xen on x86_64 hosts only (Xen on Arm has guests of its own kind), not aarch64']],
  ['two sources', disks('[{ size: 20GiB, pool: local, image: debian, path: /var/lib/x.qcow2 }]'), ['f.yaml:27:62: vms[0].disks[0].path: a disk takes its data from one of image, volume, path, network; this one gives image and path']],
  ['relative path', disks('[{ path: images/x.qcow2 }]'), ["f.yaml:27:21: vms[0].disks[0].path: 'images/x.qcow2' is not an absolute path on the host"]],
  ['path in a pool', disks('[{ path: /dev/sdb, pool: local }]'), ['f.yaml:27:37: vms[0].disks[0].pool: a disk with path: is outside any pool; remove pool:']],
  ['created disk without size', disks('[{ pool: local, image: debian }]'), ['f.yaml:27:13: vms[0].disks[0].size: hyperplan creates this disk as a volume; give its size:']],
  ['created disk without pool', disks('[{ size: 20GiB }]'), ['f.yaml:27:13: vms[0].disks[0].pool: hyperplan creates this disk as a volume; name its pool: (or give volume:, path: or network: for one that exists)']],
  ['existing volume without pool', disks('[{ volume: web-1.qcow2 }]'), ['f.yaml:27:13: vms[0].disks[0].pool: an existing volume is named in its pool; add pool:']],
  ['CD-ROM with size and image', disks(`[${OS_DISK}, { device: cdrom, size: 1GiB, image: /isos/a.iso }]`), [
    'f.yaml:27:81: vms[0].disks[1].size: a CD-ROM has no size of its own; remove size:',
    'f.yaml:27:94: vms[0].disks[1].image: a CD-ROM takes its ISO by path: (a file on the host) or pool: + volume: (an existing volume); image: creates a writable disk',
  ]],
  ['CD-ROM in a pool without volume', disks(`[${OS_DISK}, { device: cdrom, pool: local }]`), ["f.yaml:27:58: vms[0].disks[1].volume: name the ISO volume of pool 'local' with volume:"]],
  // libvirt refuses it when the domain starts: "disk type 'virtio' of 'vda' does not support ejectable media"
  // (dmacvicar/terraform-provider-libvirt libvirt/resource_libvirt_domain_test.go, TestAccLibvirtDomain_URLDisk).
  ['CD-ROM on virtio', disks(`[${OS_DISK}, { device: cdrom, bus: virtio }]`), ['f.yaml:27:80: vms[0].disks[1].bus: a CD-ROM cannot be on bus virtio: virtio-blk has no ejectable media; use sata, scsi or ide']],
  ['rbd without an image name', disks('[{ network: { protocol: rbd, hosts: [{ host: mon1 }] } }]'), ['f.yaml:27:24: vms[0].disks[0].network.name: rbd disks name their image as pool/image in name:']],
  // libvirt formatdomain "Hard drives, floppy disks, CDROMs": several <host> elements are Ceph monitors (rbd);
  // iSCSI and NBD name one server.
  ['iscsi with two servers', disks('[{ network: { protocol: iscsi, name: "iqn.2024-01.com.example:s/1", hosts: [{ host: a }, { host: b }] } }]'), ['f.yaml:27:87: vms[0].disks[0].network.hosts: iscsi disks have one server; 2 hosts are listed']],
  // libvirt formatdomain, <auth>: "supported for the iscsi and rbd protocols" with secret usage types iscsi and ceph.
  ['nbd with auth', disks('[{ network: { protocol: nbd, hosts: [{ host: a, port: 10809 }], auth: { username: u, secret: { type: ceph, usage: x } } } }]'), ['f.yaml:27:82: vms[0].disks[0].network.auth: libvirt has no authentication for nbd disks; remove auth:']],
  ['rbd with an iscsi secret', disks('[{ network: { protocol: rbd, name: p/i, hosts: [{ host: a }], auth: { username: u, secret: { type: iscsi, usage: x } } } }]'), ['f.yaml:27:111: vms[0].disks[0].network.auth.secret.type: rbd disks authenticate with a ceph secret, not iscsi']],
  ['secret named neither way', disks('[{ network: { protocol: rbd, name: p/i, hosts: [{ host: a }], auth: { username: u, secret: { type: ceph } } } }]'), ['f.yaml:27:103: vms[0].disks[0].network.auth.secret: name the libvirt secret by exactly one of usage: or uuid:']],
  // Never a secret value in the fleet: the secret is a libvirt object on the host, referenced by usage or uuid.
  ['secret value', disks('[{ network: { protocol: rbd, name: p/i, hosts: [{ host: a }], auth: { username: u, secret: { type: ceph, usage: x, value: AQB= } } } }]'), ["f.yaml:27:127: vms[0].disks[0].network.auth.secret.value: unknown key 'value'"]],
  ['port out of range', disks('[{ network: { protocol: nbd, hosts: [{ host: a, port: 70000 }] } }]'), ['f.yaml:27:66: vms[0].disks[0].network.hosts[0].port: must be at most 65535, got 70000']],
  ['secret uuid not a UUID', disks('[{ network: { protocol: iscsi, name: t/1, hosts: [{ host: a }], auth: { username: u, secret: { type: iscsi, uuid: nope } } } }]'), ["f.yaml:27:126: vms[0].disks[0].network.auth.secret.uuid: 'nope' is not a UUID"]],
  ['direct NIC without dev', nets('[{ type: direct }]'), ['f.yaml:28:16: vms[0].networks[0].dev: a direct (macvtap) NIC names its host interface with dev:, e.g. eth0']],
  ['user NIC on a network', nets('[{ type: user, network: prod }]'), ['f.yaml:28:39: vms[0].networks[0].network: a user NIC is not on a fleet network; remove network:']],
  ['mode without direct', nets('[{ network: prod, mode: vepa }]'), ['f.yaml:28:39: vms[0].networks[0].mode: mode: is the macvtap mode of a direct NIC; set type: direct or remove mode:']],
  ['dev without direct', nets('[{ type: ethernet, dev: eth0 }]'), ['f.yaml:28:39: vms[0].networks[0].dev: dev: is the host interface of a direct (macvtap) NIC, the device of a vdpa NIC or the interface of a passt user NIC; set type or remove dev:']],
  ['user NIC with a target', nets('[{ type: user, target: tap0 }]'), ['f.yaml:28:38: vms[0].networks[0].target: a user-mode NIC has no host device; remove target:']],
  // libvirt docs/schemas/domaincommon.rng, define "bridgeMode": (vepa|bridge|private|passthrough).
  ['macvtap mode unknown', nets('[{ type: direct, dev: eth0, mode: vepa2 }]'), ["f.yaml:28:49: vms[0].networks[0].mode: expected one of bridge, vepa, private, passthrough, got 'vepa2'"]],
  ['object NIC without network', nets('[{ model: virtio }]'), ['f.yaml:28:16: vms[0].networks[0].network: name the fleet network of this NIC with network: (or set type: user, ethernet or direct)']],
  ['cloud-init without a pool for its seed', withLine(27, '    disks: [{ path: /dev/vg0/web-1 }]\n    cloudInit: { sshKeys: ["ssh-ed25519 AAAA ops"] }'), ["f.yaml:28:16: vms[0].cloudInit: the cloud-init seed is a volume in the OS disk's pool, and the first disk is in no pool; put the first disk in a pool"]],
  // Device names: libvirt formatdomain "Hard drives, floppy disks, CDROMs" (target dev, "the 'logical'
  // device name"), the prefixes per bus as libvirt derives a missing bus (src/conf/domain_postparse.c,
  // virDomainDiskDefPostParse: hd ide, sd scsi, vd virtio, xvd xen).
  ['device name not one', disks(`[${OS_DISK}, { path: /dev/sdb, target: disk1 }]`), ["f.yaml:27:84: vms[0].disks[1].target: 'disk1' is not a disk device name like vdb, sda, hdc, xvda or fda (a prefix vd, sd, hd, xvd or fd, then letters)"]],
  // libvirt src/conf/domain_validate.c, virDomainDiskDefValidate: a floppy's name starts with fd, a disk's with hd, sd, vd or xvd.
  ['floppy name of a disk', disks(`[${OS_DISK}, { path: /dev/sdb, target: fdb }]`), ["f.yaml:27:84: vms[0].disks[1].target: 'fdb' is a floppy's name; set device: floppy, or name the disk vd*, sd*, hd* or xvd*"]],
  ['sd name without a bus', disks(`[${OS_DISK}, { path: /dev/sdb, target: sdb }]`), ['f.yaml:27:84: vms[0].disks[1].target: sd* names are on the scsi, sata, usb buses; name the bus with bus:']],
  ['one device name twice', disks(`[{ size: 20GiB, pool: local, image: debian, target: vdb }, { path: /dev/sdb, target: vdb }]`), ["f.yaml:27:97: vms[0].disks[1].target: device name 'vdb' is taken by disks[0]; each disk needs its own"]],
  // libvirt src/conf/schemas/domaincommon.rng, offOptions (on_poweroff, on_reboot) and crashOptions (on_crash).
  ['poweroff action of a crash', vmLines('    onPoweroff: coredump-destroy'), ["f.yaml:27:17: vms[0].onPoweroff: expected one of destroy, restart, preserve, rename-restart, got 'coredump-destroy'"]],
  ['hostdev NIC without pci', nets('[{ type: hostdev }]'), ['f.yaml:28:16: vms[0].networks[0].pci: a hostdev NIC names the host PCI network function with pci:, e.g. 0000:3b:00.1']],
  ['udp NIC without address', nets('[{ type: udp, port: 5555 }]'), ['f.yaml:28:16: vms[0].networks[0].address: a udp NIC names its socket address with address:']],
  ['local on a mcast NIC', nets('[{ type: mcast, address: 230.0.0.1, port: 5558, local: { address: 10.0.0.1, port: 5559 } }]'), ['f.yaml:28:70: vms[0].networks[0].local: local: is the local end of a udp NIC; set type: udp or remove it']],
  ['portgroup off a network NIC', nets('[{ type: user, portgroup: bob }]'), ["f.yaml:28:41: vms[0].networks[0].portgroup: portgroup: is a port group of the libvirt network of a network NIC; remove it"]],
  ['NIC type unknown', nets('[{ type: vhostuser }]'), ["f.yaml:28:24: vms[0].networks[0].type: expected one of network, user, ethernet, direct, hostdev, vdpa, client, server, mcast, udp, got 'vhostuser'"]],
];

describe('guest device keys: one located problem per bad input', () => {
  for (const [name, text, expected] of CASES) {
    it(name, () => {
      expect(problemLines(text)).toEqual(expected);
    });
  }
});

describe('architectures and machine types', () => {
  // QEMU defines the machines by name and version: hw/i386/pc_piix.c ("pc-i440fx-X.Y", alias "pc"),
  // hw/i386/pc_q35.c ("pc-q35-X.Y", alias "q35"), hw/arm/virt.c ("virt-X.Y", alias "virt"), hw/ppc/spapr.c
  // ("pseries-X.Y", mc->alias = "pseries"), hw/s390x/s390-virtio-ccw.c ("s390-ccw-virtio-X.Y", alias
  // "s390-ccw-virtio"), hw/riscv/virt.c (MACHINE_TYPE_NAME("virt"), not versioned).
  it.each([
    // pc-0.13: an i440FX machine of QEMU before 1.4 (hw/i386/pc_piix.c then named them pc-X.Y), still in old domain XML.
    ['x86_64', 'q35'], ['x86_64', 'pc-q35-8.2'], ['x86_64', 'pc-0.13'], ['x86_64', 'pc-i440fx-2.12'], ['i686', 'pc'], ['x86_64', 'xenfv'],
    ['aarch64', 'virt'], ['aarch64', 'virt-9.2'], ['ppc64le', 'pseries'], ['ppc64', 'pseries-9.0'], ['s390x', 's390-ccw-virtio'],
    ['s390x', 's390-ccw-virtio-8.2'], ['riscv64', 'virt'],
  ] as const)('%s accepts %s', (arch, machine) => {
    expect(machineFitsArch(arch, machine)).toBe(true);
  });
  it.each([
    ['aarch64', 'q35'], ['x86_64', 'virt'], ['ppc64le', 's390-ccw-virtio'], ['s390x', 'pseries'], ['riscv64', 'virt-9.2'], ['i686', 'pc-q35-x'], ['aarch64', 'xenpvh'],
  ] as const)('%s rejects %s', (arch, machine) => {
    expect(machineFitsArch(arch, machine)).toBe(false);
  });
  it('every architecture has a default KVM machine it accepts', () => {
    for (const arch of VM_ARCHES) expect(machineFitsArch(arch, KVM_ARCH_DEFAULT_MACHINE[arch])).toBe(true);
  });
  // libvirt src/qemu/qemu_capabilities.c, virQEMUCapsGuestIsNative.
  it('native guests per host architecture', () => {
    expect(nativeGuestArches('x86_64')).toEqual(['x86_64', 'i686']);
    expect(nativeGuestArches('ppc64le')).toEqual(['ppc64le', 'ppc64']);
    expect(nativeGuestArches('s390x')).toEqual(['s390x']);
  });
});

const KEPT = `apiVersion: hyperplan/v1
hosts:
  - { name: k1, hypervisor: kvm, uri: "qemu:///system", cpus: 8, memory: 32GiB }
  - { name: x1, hypervisor: xen, uri: "xen:///system", cpus: 8, memory: 32GiB, dom0: { memory: 4GiB, vcpus: 2 } }
networks:
  - { name: lab, mode: nat, cidr: 192.168.122.0/24 }
pools:
  - { name: images, type: dir, path: /var/lib/libvirt/images }
vms:
  - name: old
    vcpus: 1
    memory: 1048577KiB
    currentMemory: 524289KiB
    arch: i686
    machine: pc
    disks:
      - { pool: images, volume: old.qcow2 }
      - { device: cdrom }
      - { size: 1048577KiB, pool: images, data: true }
      - { path: /dev/vg0/old-data }
      - { network: { protocol: rbd, name: vms/old, hosts: [{ host: mon1, port: 6789 }] } }
    networks: [lab, { type: user }, { type: ethernet, target: tap3 }, { type: direct, dev: eth0, mode: passthrough }]
  - { name: arm, vcpus: 1, memory: 1GiB, arch: aarch64, hypervisor: kvm, disks: [{ device: cdrom, path: /isos/arm.iso }] }
`;

function keptFleet(): Fleet {
  const loaded = loadFleetFromString(KEPT, 'kept.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.fleet;
}

describe('normalized model', () => {
  const fleet = keptFleet();
  const old = fleet.vms[0]!;

  it('keeps KiB sizes exactly and counts whole MiB (rounded up) for the planner', () => {
    expect(old).toMatchObject({ memoryMiB: 1025, memoryKiB: 1048577, currentMemoryKiB: 524289, arch: 'i686', machine: 'pc' });
    expect(old.disks[2]).toMatchObject({ sizeMiB: 1025, sizeKiB: 1048577 });
    // A whole-MiB size has no separate KiB value: the model (and the synthesized bytes) stay as before.
    expect(fleet.vms[1]).toMatchObject({ memoryMiB: 1024 });
    expect(fleet.vms[1]).not.toHaveProperty('memoryKiB');
  });

  it('keeps where each disk comes from and takes no pool space for the ones it does not create', () => {
    expect(old.disks.map((d) => ({ pool: d.pool, volume: d.volume, path: d.path, device: d.device, sizeMiB: d.sizeMiB, protocol: d.network?.protocol }))).toEqual([
      { pool: 'images', volume: 'old.qcow2', path: undefined, device: undefined, sizeMiB: 0, protocol: undefined },
      { pool: undefined, volume: undefined, path: undefined, device: 'cdrom', sizeMiB: 0, protocol: undefined },
      { pool: 'images', volume: undefined, path: undefined, device: undefined, sizeMiB: 1025, protocol: undefined },
      { pool: undefined, volume: undefined, path: '/dev/vg0/old-data', device: undefined, sizeMiB: 0, protocol: undefined },
      { pool: undefined, volume: undefined, path: undefined, device: undefined, sizeMiB: 0, protocol: 'rbd' },
    ]);
    expect(old.networks).toEqual([
      { network: 'lab' },
      { type: 'user' },
      { type: 'ethernet', target: 'tap3' },
      { type: 'direct', dev: 'eth0', mode: 'passthrough' },
    ]);
  });

  it('resolves the machine, CD-ROM buses and formats per architecture and hypervisor', () => {
    const kvm = effectiveVm(fleet, old, 'kvm');
    expect(kvm).toMatchObject({ arch: 'i686', machine: 'pc' });
    // i440FX has a built-in IDE controller, so a CD-ROM defaults to it there.
    expect(kvm.disks.map((d) => [d.target, d.bus, d.device, d.format, d.readonly])).toEqual([
      ['vda', 'virtio', 'disk', 'qcow2', false],
      ['hda', 'ide', 'cdrom', 'raw', true],
      ['vdb', 'virtio', 'disk', 'qcow2', false],
      ['vdc', 'virtio', 'disk', 'raw', false],
      ['vdd', 'virtio', 'disk', 'raw', false],
    ]);
    // QEMU's network drivers have no aio= setting: no io default for the rbd disk.
    expect(kvm.disks[4]).not.toHaveProperty('io');
    expect(kvm.nics.map((n) => [n.type, n.vhost])).toEqual([['network', true], ['user', false], ['ethernet', true], ['direct', true]]);
    const arm = effectiveVm(fleet, fleet.vms[1]!, 'kvm');
    // aarch64 virt has neither IDE nor SATA: the CD-ROM is virtio-scsi.
    expect(arm).toMatchObject({ arch: 'aarch64', machine: 'virt' });
    expect(arm.disks[0]).toMatchObject({ bus: 'scsi', target: 'sda', device: 'cdrom' });
    const xen = effectiveVm(fleet, { ...old, machine: undefined, guestType: 'hvm' }, 'xen');
    // Xen HVM: an emulated IDE CD-ROM; a raw network disk still names qemu (libxl serves it through qdisk only).
    expect(xen.disks[1]).toMatchObject({ bus: 'ide', target: 'hda' });
    expect(xen.disks[4]).toMatchObject({ driverName: 'qemu', format: 'raw' });
  });

  it('is accepted by FleetBuilder with the same keys', () => {
    const built = new FleetBuilder()
      .host({ name: 'k1', hypervisor: 'kvm', uri: 'qemu:///system', cpus: 8, memory: '32GiB' })
      .pool({ name: 'images', type: 'dir', path: '/var/lib/libvirt/images' })
      .vm({
        name: 'v',
        vcpus: 1,
        memory: '1048577KiB',
        currentMemory: '1GiB',
        arch: 'i686',
        disks: [{ pool: 'images', volume: 'v.qcow2' }, { device: 'cdrom', path: '/isos/a.iso' }],
        networks: [{ type: 'direct', dev: 'eth0', mode: 'bridge' }],
      })
      .build();
    expect(built.vms[0]).toMatchObject({ memoryKiB: 1048577, currentMemoryKiB: 1048576, arch: 'i686' });
    expect(() => new FleetBuilder().vm({ name: 'bad', vcpus: 1, memory: '1GiB', disks: [{ device: 'cdrom', bus: 'virtio' }] }).build()).toThrow(/CD-ROM cannot be on bus virtio/);
  });
});

describe('disk device names (target)', () => {
  const fleetWith = (diskList: string): Fleet => {
    const loaded = loadFleetFromString(disks(diskList), 'f.yaml');
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
    return loaded.fleet;
  };

  it('keeps the names the fleet gives; the other disks take the next name of their bus that none takes', () => {
    const fleet = fleetWith(`[${OS_DISK}, { path: /dev/sdb, target: vda }, { device: cdrom, bus: ide, target: hdc }, { path: /dev/sdc }, { path: /dev/sdd, target: vdaa }]`);
    const effective = effectiveVm(fleet, fleet.vms[0]!, 'kvm');
    expect(effective.disks.map((d) => [d.target, d.bus])).toEqual([['vdb', 'virtio'], ['vda', 'virtio'], ['hdc', 'ide'], ['vdc', 'virtio'], ['vdaa', 'virtio']]);
  });

  it('takes the bus from a name only one bus uses (hd ide, vd virtio, xvd xen), as libvirt does for a disk without bus', () => {
    const fleet = fleetWith(`[${OS_DISK}, { path: /dev/sdb, target: hdb }]`);
    expect(effectiveVm(fleet, fleet.vms[0]!, 'kvm').disks[1]).toMatchObject({ target: 'hdb', bus: 'ide' });
  });

  it('names 26 disks a to z and a 27th only by its own target (vdaa), which the loader then accepts', () => {
    const many = Array.from({ length: 27 }, (_, i) => `{ path: /dev/vg/d${i}${i === 26 ? ', target: vdaa' : ''} }`).join(', ');
    const effective = effectiveVm(fleetWith(`[${many}]`), fleetWith(`[${many}]`).vms[0]!, 'kvm');
    expect(effective.disks.map((d) => d.target).slice(24)).toEqual(['vdy', 'vdz', 'vdaa']);
  });

  it('is accepted by FleetBuilder, as are the event actions', () => {
    const built = new FleetBuilder()
      .vm({ name: 'v', vcpus: 1, memory: '1GiB', disks: [{ path: '/dev/sdb', bus: 'scsi', target: 'sdc' }], onReboot: 'destroy', onCrash: 'coredump-restart' })
      .build();
    expect(built.vms[0]!.disks[0]).toMatchObject({ target: 'sdc', bus: 'scsi' });
    expect(built.vms[0]).toMatchObject({ onReboot: 'destroy', onCrash: 'coredump-restart' });
  });
});

describe('README: "Existing guests: what libvirt had, kept"', () => {
  it('documents a fleet that loads as written', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Existing guests'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const loaded = loadFleetFromString(yaml, 'README.md');
    expect(loaded.ok ? [] : loaded.problems.map((p) => p.message)).toEqual([]);
    expect(loaded.ok && loaded.fleet.vms.map((v) => v.arch)).toEqual(['i686', 'aarch64']);
  });
});
