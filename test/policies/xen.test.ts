import type { Host, Vm } from '../../fleet/model';
import { disk, fleet, kvmHost, nic, vm, xenHost } from './fixtures';
import { ruleTable } from './rule-table';

const GiB = 1024;
const KVM_ONLY = fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', guestType: 'pv' })] });

/** One Xen host `x1` (optionally changed) carrying the given VMs. */
function xen(host: Partial<Host> = {}, ...vms: Vm[]) {
  return fleet({ hosts: [xenHost('x1', host)], vms });
}
const on = (name: string, overrides: Partial<Vm> = {}): Vm => vm(name, { host: 'x1', ...overrides });
const dom0 = (overrides: Host['dom0']) => ({ dom0: { memoryMiB: 8 * GiB, vcpus: 4, pin: true, balloon: false, ...overrides } });

ruleTable('xen', {
  // libvirt src/libxl/libxl_capabilities.c: the libxl driver's guests are x86_64/i686 (PV, PVH, HVM) on x86
  // hosts and armv7l/aarch64 on Arm hosts; hyperplan's hosts are x86 (fleet/guest-devices.ts XEN_HOST_ARCHES).
  'XEN-GUEST-ARCH': {
    compliant: xen({}, on('a', { arch: 'i686', guestType: 'hvm' }), on('b')),
    nonCompliant: xen({}, on('a', { arch: 'ppc64le' }), on('b', { arch: 'aarch64' })),
    targets: ['vms[a]', 'vms[b]'],
    mentions: ['ppc64le guest', 'hypervisor: kvm'],
    notApplicable: KVM_ONLY,
  },
  // libvirt src/libxl/libxl_conf.c, libxlMakeNic: bridge, ethernet and network interfaces get a vif; user,
  // direct and the others fail with "unsupported interface type".
  'XEN-NIC-TYPE': {
    // libxl_conf.c libxlMakeNicList skips hostdev interfaces: they reach libxl as PCI devices
    // (tests/libxlxml2domconfigdata/moredevs-hvm: the hostdev interface is a "pcidevs" entry).
    compliant: xen({}, on('a', { networks: [nic(), { type: 'ethernet', target: 'vif-a' }, { type: 'hostdev', pci: '0000:0a:10.0' }] })),
    nonCompliant: xen({}, on('a', { networks: [nic(), { type: 'user' }, { type: 'direct', dev: 'eth0' }, { type: 'udp', address: '10.0.0.1', port: 5555 }] })),
    targets: ['vms[a].networks[1]', 'vms[a].networks[2]', 'vms[a].networks[3]'],
    mentions: ['type user', 'type: ethernet'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', networks: [{ type: 'user' }] })] }),
  },
  // libvirt src/libxl/libxl_conf.c, libxlMakeNetworkDiskSrcStr: only VIR_STORAGE_NET_PROTOCOL_RBD is turned
  // into a qdisk target; NBD, iSCSI and the rest fail with "Unsupported network block protocol".
  'XEN-NETWORK-DISK': {
    compliant: xen({}, on('a', { disks: [disk(), { sizeMiB: 0, network: { protocol: 'rbd', name: 'vms/a', hosts: [{ host: 'mon1' }] }, data: false }] })),
    nonCompliant: xen({}, on('a', { disks: [disk(), { sizeMiB: 0, network: { protocol: 'iscsi', name: 'iqn.2024-01.com.example:s/1', hosts: [{ host: 'san' }] }, data: false }] })),
    targets: ['vms[a].disks[1]'],
    mentions: ['iscsi network disk', 'volume:'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', disks: [{ sizeMiB: 0, network: { protocol: 'nbd', hosts: [{ host: 'n' }] }, data: false }] })] }),
  },
  // xl-disk-configuration(5): "cdrom — Convenience alias for devtype=cdrom"; an emulated CD-ROM is a device of
  // the HVM device model. PV/PVH guests have only blkfront disks (fleet/effective-vm.ts cloudInitSeedBus).
  'XEN-CDROM-NOT-HVM': {
    compliant: xen({}, on('a', { guestType: 'hvm', disks: [disk(), { sizeMiB: 0, device: 'cdrom', path: '/isos/tools.iso', data: false }] })),
    nonCompliant: xen({}, on('a', { guestType: 'pvh', disks: [disk(), { sizeMiB: 0, device: 'cdrom', path: '/isos/tools.iso', data: false }] })),
    targets: ['vms[a].disks[1]'],
    mentions: ['Xen PVH guest', 'readonly: true'],
    notApplicable: xen({}, on('a', { guestType: 'pv', disks: [disk(), disk({ readonly: true, data: true })] })),
  },
  // xl-disk-configuration(5): devtype is cdrom or disk, no floppy; libvirt src/libxl/libxl_conf.c, libxlMakeDisk
  // (is_cdrom only) and src/libxl/xen_xl.c, xenFormatXLDomainDisks, which skips floppies ("XXX floppy disks").
  'XEN-DISK-DEVICE': {
    compliant: xen({}, on('a', { guestType: 'hvm', disks: [disk(), { sizeMiB: 0, device: 'cdrom', path: '/isos/tools.iso', data: false }] })),
    nonCompliant: xen({}, on('a', { guestType: 'hvm', disks: [disk(), { sizeMiB: 0, device: 'floppy', path: '/img/boot.img', data: false }, { sizeMiB: 0, device: 'lun', path: '/dev/sdc', data: true }] })),
    targets: ['vms[a].disks[1]', 'vms[a].disks[2]'],
    mentions: ['is a floppy', 'readonly: true', 'hypervisor: kvm'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', disks: [disk(), { sizeMiB: 0, device: 'floppy', path: '/img/boot.img', data: false }] })] }),
  },
  // libvirt src/libxl/libxl_conf.c, libxlMakeDisk: qcow, qcow2, qed, vhd and raw map to libxl formats; any
  // other fails with "libxenlight does not support disk format %s with disk driver %s".
  'XEN-DISK-FORMAT': {
    compliant: xen({}, on('a', { disks: [disk(), { sizeMiB: 0, path: '/img/old.vhd', format: 'vhd', data: true }, { sizeMiB: 0, path: '/img/q.qed', format: 'qed', data: true }] })),
    nonCompliant: xen({}, on('a', { disks: [disk(), { sizeMiB: 0, path: '/img/appliance.vmdk', format: 'vmdk', data: true }] })),
    targets: ['vms[a].disks[1]'],
    mentions: ['is vmdk', 'qemu-img convert', 'hypervisor: kvm'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', disks: [disk(), { sizeMiB: 0, path: '/img/appliance.vmdk', format: 'vmdk', data: true }] })] }),
  },
  // libvirt 9.0.0 src/libxl/libxl_conf.c, libxlMakeDomBuildInfo: clock offsets variable/localtime/utc become
  // libxl's localtime and rtc_timeoffset, timezone and absolute are refused; of the timers only tsc (its mode)
  // and hpet (HVM only) are set, every other one is "unsupported timer type (name)".
  'XEN-CLOCK': {
    compliant: xen({}, on('a', { guestType: 'hvm', clock: { offset: 'variable', adjustment: 3600, basis: 'localtime', timers: [{ name: 'tsc', mode: 'native' }, { name: 'hpet', present: true }] } })),
    nonCompliant: xen({}, on('a', { guestType: 'pvh', clock: { offset: 'timezone', timezone: 'Europe/Paris', timers: [{ name: 'rtc', tickPolicy: 'catchup' }, { name: 'hpet', present: true }] } })),
    targets: ['vms[a].clock', 'vms[a].clock.timers[0]', 'vms[a].clock.timers[1]'],
    mentions: ['offset timezone', 'utc, localtime or variable'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', clock: { offset: 'timezone', timezone: 'Europe/Paris', timers: [{ name: 'rtc', tickPolicy: 'catchup' }] } })] }),
  },
  // libvirt src/libxl/libxl_domain.c, libxlDomainDefPostParse: "Xen PV domains always have a PV console"
  // (added when a non-HVM domain has none), so console: false holds on HVM guests only.
  'XEN-CONSOLE-PV': {
    compliant: xen({}, on('a', { guestType: 'hvm', console: false }), on('b', { guestType: 'pvh' })),
    nonCompliant: xen({}, on('a', { guestType: 'pvh', console: false })),
    targets: ['vms[a]'],
    mentions: ['Xen PVH guest', 'guestType: hvm'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', console: false })] }),
  },
  // xl.cfg(5), maxmem: an HVM guest started with memory below maxmem runs in populate-on-demand mode and
  // needs its balloon driver to release the difference, "or the guest will crash".
  'XEN-HVM-POD': {
    compliant: xen({}, on('a', { guestType: 'hvm' }), on('b', { guestType: 'pvh', currentMemoryKiB: 1024 * 1024 })),
    nonCompliant: xen({}, on('a', { guestType: 'hvm', currentMemoryKiB: 1024 * 1024 })),
    targets: ['vms[a]'],
    mentions: ['populate-on-demand', 'currentMemory'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', currentMemoryKiB: 1024 * 1024 })] }),
  },
  'XEN-DOM0-MEM-UNDECLARED': {
    compliant: xen(),
    nonCompliant: xen({ dom0: { vcpus: 4, pin: true, balloon: false } }),
    targets: ['hosts[x1]'],
    mentions: ['dom0.memory'],
    notApplicable: KVM_ONLY,
  },
  'XEN-DOM0-MEM-MIN': {
    compliant: xen(),
    // XenServer 8 / XCP-ng: Dom0 gets 1 GiB plus 5% of host memory (docs.citrix.com xenserver
    // memory-usage); the Xen Project Best Practices page calls 1024 MB "a good starting point".
    nonCompliant: xen(dom0({ memoryMiB: 768 })),
    targets: ['hosts[x1].dom0'],
    mentions: ['768 MiB', '1024 MiB'],
    notApplicable: xen({ dom0: { vcpus: 4 } }),
  },
  'XEN-DOM0-MEM-HVM': {
    // Xen Project Best Practices: plan Dom0 memory for "a QEMU device model per HVM guest" on top of
    // 1024 MB; 64 MiB per device model is oVirt's QEMU fixed overhead (VmOverheadCalculatorImpl.java).
    compliant: xen(dom0({ memoryMiB: 1024 + 2 * 64 }), on('a', { guestType: 'hvm' }), on('b', { guestType: 'hvm' }), on('c', { guestType: 'pvh' })),
    nonCompliant: xen(dom0({ memoryMiB: 1024 + 64 }), on('a', { guestType: 'hvm' }), on('b', { guestType: 'hvm' })),
    targets: ['hosts[x1].dom0'],
    mentions: ['2 HVM guests', '1152 MiB'],
    notApplicable: xen(dom0({ memoryMiB: 1024 }), on('a', { guestType: 'pvh' })),
  },
  'XEN-DOM0-MEM-LOW': {
    compliant: xen(),
    nonCompliant: xen(dom0({ memoryMiB: 2 * GiB })),
    targets: ['hosts[x1].dom0'],
    mentions: ['2048 MiB', '8192 MiB'],
    notApplicable: xen(dom0({ memoryMiB: 768 })),
  },
  'XEN-DOM0-MEM-HIGH': {
    compliant: xen(),
    nonCompliant: xen(dom0({ memoryMiB: 128 * GiB })),
    targets: ['hosts[x1].dom0'],
    mentions: ['25%'],
    notApplicable: KVM_ONLY,
  },
  'XEN-DOM0-BALLOON': {
    compliant: xen(),
    nonCompliant: xen(dom0({ balloon: true })),
    targets: ['hosts[x1].dom0'],
    notApplicable: KVM_ONLY,
  },
  'XEN-DOM0-VCPUS': {
    compliant: xen(),
    nonCompliant: fleet({ hosts: [xenHost('x1', dom0({ vcpus: 1 })), xenHost('x2', { dom0: { memoryMiB: 8 * GiB } })] }),
    targets: ['hosts[x1].dom0', 'hosts[x2].dom0'],
    notApplicable: KVM_ONLY,
  },
  'XEN-DOM0-PIN': {
    compliant: xen({}, on('db', { workload: 'io-heavy' })),
    nonCompliant: xen(dom0({ pin: false }), on('db', { workload: 'io-heavy' }), on('lb', { workload: 'network-heavy' })),
    targets: ['hosts[x1].dom0'],
    mentions: ['db, lb'],
    notApplicable: xen(dom0({ pin: false }), on('web')),
  },
  'XEN-GUEST-PV': {
    compliant: xen({}, on('v', { guestType: 'pvh' })),
    nonCompliant: xen({}, on('v', { guestType: 'pv' })),
    targets: ['vms[v]'],
    notApplicable: xen({}, on('v', { guestType: 'pv', securityClass: 'sensitive' })),
  },
  'XEN-GUEST-PV-SENSITIVE': {
    compliant: xen({}, on('v', { guestType: 'pvh', securityClass: 'sensitive' })),
    nonCompliant: xen({}, on('v', { guestType: 'pv', securityClass: 'isolated' })),
    targets: ['vms[v]'],
    mentions: ['isolated'],
    notApplicable: xen({}, on('v', { guestType: 'pv' })),
  },
  // libxl_dm.c (xen tools/libs/light): disks 0–3 become emulated IDE "whatever their name" (hd or xvd), sd names are passed
  // to QEMU as emulated SCSI; libvirt libxl_conf.c libxlMakeNic: netfront is PV-only, no model is VIF_IOEMU (emulated + PV).
  'XEN-HVM-EMULATED-DEVICE': {
    compliant: xen({}, on('v', { guestType: 'hvm', os: 'windows', disks: [disk({ bus: 'ide' })], networks: [nic({ model: 'e1000' })] })),
    nonCompliant: xen({}, on('v', { guestType: 'hvm', os: 'windows', disks: [disk({ bus: 'sata' })], networks: [nic({ model: 'netfront' })] })),
    targets: ['vms[v].disks[0]', 'vms[v].networks[0]'],
    mentions: ['sata', 'bus: xen', 'IDE'],
    notApplicable: xen({}, on('v', { guestType: 'pvh', os: 'windows', disks: [disk({ bus: 'sata' })] }), on('w', { guestType: 'hvm', networks: [nic({ model: 'netfront' })] })),
  },
  'XEN-PV-DISK-BUS': {
    compliant: xen({}, on('v', { guestType: 'pvh' })),
    nonCompliant: xen({}, on('v', { guestType: 'pvh', disks: [disk(), disk({ bus: 'sata', data: true })] })),
    targets: ['vms[v].disks[1]'],
    mentions: ['sata', 'PVH'],
    notApplicable: xen({}, on('v', { guestType: 'hvm', disks: [disk({ bus: 'sata' })] })),
  },
  'XEN-PV-NIC-MODEL': {
    compliant: xen({}, on('v', { guestType: 'pv' })),
    nonCompliant: xen({}, on('v', { guestType: 'pv', networks: [nic({ model: 'e1000' })] })),
    targets: ['vms[v].networks[0]'],
    mentions: ['e1000', 'netfront'],
    notApplicable: xen({}, on('v', { guestType: 'hvm', networks: [nic({ model: 'e1000' })] })),
  },
  'XEN-VIRTIO-DEVICE': {
    compliant: xen({}, on('v')),
    nonCompliant: xen({}, on('v', { disks: [disk({ bus: 'virtio' })], networks: [nic({ model: 'virtio' })] })),
    targets: ['vms[v].disks[0]', 'vms[v].networks[0]'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', disks: [disk({ bus: 'virtio' })] })] }),
  },
  'XEN-MEM-OVERCOMMIT-NO-BALLOON': {
    // Xen gives each domain its whole memory at creation (xl.cfg(5) `memory`/`maxmem`: a guest starts with
    // `memory` and only a balloon driver returns any); overcommit is acknowledged by balloon: true on every VM.
    compliant: xen({ overcommit: { cpu: 4, memory: 1.5 } }, on('v', { balloon: true }), on('w', { balloon: true })),
    // The default (balloon undeclared) used to count as ballooning, and one ballooning VM excused the others.
    nonCompliant: xen({ overcommit: { cpu: 4, memory: 1.5 } }, on('v', { balloon: true }), on('w'), on('z', { balloon: false })),
    targets: ['hosts[x1]'],
    mentions: ['1.5x', '2 of its 3 VMs (w, z)'],
    notApplicable: xen({}, on('v', { balloon: false })),
  },
  'XEN-NUMA-STRICT': {
    // xl-numa-placement(7) (xen-project/xen docs/man): without cpus= libxl picks the node(s) itself and only
    // pinning guarantees local memory; hyperplan renders <numatune> on KVM only.
    compliant: xen({}, on('v', { numa: 'preferred' })),
    nonCompliant: xen({}, on('v', { numa: 'strict' })),
    targets: ['vms[v]'],
    mentions: ['numa: preferred'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', numa: 'strict' })] }),
  },
  'XEN-PVH-BOOT': {
    compliant: xen({}, on('v', { guestType: 'pvh' })),
    nonCompliant: xen({}, on('v', { guestType: 'pvh', kernel: '' })),
    targets: ['vms[v]'],
    notApplicable: xen({}, on('v', { guestType: 'hvm', kernel: '' })),
  },
  // xl.cfg(5) "PVH guest options": "Currently there's no firmware available for PVH guests"; libvirt libxl_conf.c loads OVMF for HVM only.
  'XEN-PVH-FIRMWARE': {
    compliant: xen({}, on('v', { guestType: 'hvm', firmware: 'uefi', secureBoot: true }), on('w', { guestType: 'pvh' })),
    nonCompliant: xen({}, on('v', { guestType: 'pvh', firmware: 'uefi', secureBoot: true }), on('w', { guestType: 'pv', firmware: 'uefi' })),
    targets: ['vms[v]', 'vms[w]'],
    mentions: ['v is a Xen PVH guest', 'firmware: uefi and secureBoot: true', 'guestType: hvm'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', firmware: 'uefi', secureBoot: true })] }),
  },
  // Windows boots from firmware on emulated hardware: HVM only (xl.cfg(5): PVH has no firmware).
  'XEN-WINDOWS-NOT-HVM': {
    compliant: xen({}, on('v', { os: 'windows' }), on('w', { os: 'linux', guestType: 'pvh' })),
    nonCompliant: xen({}, on('v', { os: 'windows', guestType: 'pvh' })),
    targets: ['vms[v]'],
    mentions: ['PVH', 'guestType: hvm'],
    notApplicable: fleet({ hosts: [kvmHost('k1')], vms: [vm('v', { host: 'k1', os: 'windows' })] }),
  },
  'XEN-GUEST-TYPE-IMPLICIT': {
    compliant: xen({}, on('v', { guestType: 'pvh' })),
    nonCompliant: xen({}, on('v'), on('w', { firmware: 'uefi' })),
    targets: ['vms[v]', 'vms[w]'],
    mentions: ['derived pvh'],
    notApplicable: KVM_ONLY,
  },
});
