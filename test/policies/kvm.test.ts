import type { Host, Vm } from '../../fleet/model';
import { disk, fleet, kvmHost, migrationPool, nic, pinned, run, vm, xenHost } from './fixtures';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../policies/registry';
import { ruleTable } from './rule-table';

const GiB = 1024;

/** One KVM host `k1` (optionally changed) carrying the given VMs. */
function kvm(host: Partial<Host> = {}, ...vms: Vm[]) {
  return fleet({ hosts: [kvmHost('k1', host)], vms });
}
const on = (name: string, overrides: Partial<Vm> = {}): Vm => vm(name, { host: 'k1', ...overrides });
/** The same VMs on a Xen host, where KVM rules do not apply. */
function onXen(...vms: Vm[]) {
  return fleet({ hosts: [xenHost('k1')], vms });
}
function pooled(...vms: Vm[]) {
  return fleet({
    hosts: [kvmHost('k1'), kvmHost('k2')],
    migrationPools: [migrationPool('p', ['k1', 'k2'])],
    vms: vms.map((v) => ({ ...v, migrationPool: 'p' })),
  });
}

ruleTable('kvm', {
  // Issue #15: architectures. libvirt src/qemu/qemu_capabilities.c, virQEMUCapsGuestIsNative: a guest runs
  // natively (domain type kvm) when its arch is the host's, i686 on x86_64, armv7l on aarch64, or both ppc64.
  'KVM-GUEST-ARCH': {
    compliant: fleet({ hosts: [kvmHost('k1'), kvmHost('a1', { arch: 'aarch64' })], vms: [on('v', { arch: 'i686' }), vm('arm', { host: 'a1', arch: 'aarch64' })] }),
    nonCompliant: fleet({ hosts: [kvmHost('k1'), kvmHost('a1', { arch: 'aarch64' })], vms: [on('v', { arch: 'aarch64' }), vm('x', { host: 'a1' })] }),
    targets: ['vms[v]', 'vms[x]'],
    mentions: ['aarch64 guest on x86_64 host k1', 'arch: aarch64'],
    notApplicable: onXen(on('v', { arch: 'aarch64' })),
  },
  // libvirt src/qemu/qemu_domain.c, qemuDomainMachineHasBuiltinIDE: only i440FX (pc, pc-i440fx-*) and a
  // few non-server boards have a built-in IDE controller; on q35 libvirt refuses the domain with "IDE
  // controllers are unsupported for this QEMU binary or machine type" (qemu_command.c / qemu_validate.c).
  'KVM-IDE-NO-CONTROLLER': {
    compliant: kvm({}, on('v', { machine: 'pc-i440fx-8.2', disks: [disk(), { sizeMiB: 0, device: 'cdrom', bus: 'ide', data: false }] })),
    nonCompliant: kvm({}, on('v', { disks: [disk(), { sizeMiB: 0, device: 'cdrom', bus: 'ide', data: false }, disk({ bus: 'ide', data: true })] })),
    targets: ['vms[v].disks[1]', 'vms[v].disks[2]'],
    mentions: ['cdrom 1', 'machine q35', 'bus: sata'],
    notApplicable: onXen(on('v', { guestType: 'hvm', disks: [disk({ bus: 'ide' })] })),
  },
  // libvirt src/qemu/qemu_command.c (qemuBuildFloppyCommandLineControllerOptions: the floppy controller is
  // isa-fdc) and src/qemu/qemu_domain.c (qemuDomainNeedsFDC: q35 gets an explicit one); i440FX has it built in.
  'KVM-FLOPPY-NO-CONTROLLER': {
    compliant: kvm({}, on('v', { disks: [disk(), { sizeMiB: 0, device: 'floppy', path: '/img/boot.img', data: false }] }), on('w', { machine: 'pc', disks: [disk(), { sizeMiB: 0, device: 'floppy', data: false }] })),
    nonCompliant: kvm({ arch: 'ppc64le' }, on('v', { arch: 'ppc64le', disks: [disk(), { sizeMiB: 0, device: 'floppy', path: '/img/boot.img', data: false }] })),
    targets: ['vms[v].disks[1]'],
    mentions: ['machine pseries (ppc64le)', 'readonly: true'],
    notApplicable: onXen(on('v', { guestType: 'hvm', disks: [disk(), { sizeMiB: 0, device: 'floppy', path: '/img/boot.img', data: false }] })),
  },
  // libvirt formatdomain "Memory Allocation": currentMemory is the actual allocation, below memory "to allow
  // for ballooning up"; without a balloon device (memballoon model none) nothing takes memory back.
  'KVM-CURRENT-MEMORY-NO-BALLOON': {
    compliant: kvm({}, on('v', { currentMemoryKiB: 2 * 1024 * 1024 }), on('w', { balloon: false, currentMemoryKiB: 4 * 1024 * 1024 })),
    nonCompliant: kvm({}, on('v', { balloon: false, currentMemoryKiB: 2 * 1024 * 1024 })),
    targets: ['vms[v]'],
    mentions: ['2097152 KiB of 4194304 KiB', 'balloon: false'],
    notApplicable: onXen(on('v', { balloon: false, currentMemoryKiB: 2 * 1024 * 1024 })),
  },
  'KVM-DISK-BUS': {
    // A SATA CD-ROM is not a disk on an emulated bus: CD-ROMs cannot be virtio-blk.
    compliant: kvm({}, on('v', { disks: [disk(), disk({ bus: 'scsi', data: true }), { sizeMiB: 0, device: 'cdrom', path: '/isos/a.iso', data: false }] })),
    nonCompliant: kvm({}, on('v', { disks: [disk(), disk({ bus: 'sata', data: true }), disk({ bus: 'ide', data: true })] })),
    targets: ['vms[v].disks[1]', 'vms[v].disks[2]'],
    mentions: ['sata', 'virtio'],
    notApplicable: onXen(on('v', { guestType: 'hvm', disks: [disk({ bus: 'sata' })] })),
  },
  // libvirt src/qemu/qemu_command.c, qemuBuildDiskDeviceProps: VIR_DOMAIN_DISK_BUS_XEN falls to
  // "unsupported disk bus '%1$s' with device setup", so a KVM guest with a bus xen disk never starts.
  'KVM-XEN-DISK-BUS': {
    compliant: kvm({}, on('v', { disks: [disk(), disk({ bus: 'sata', data: true })] })),
    nonCompliant: kvm({}, on('v', { disks: [disk(), disk({ bus: 'xen', data: true })] })),
    targets: ['vms[v].disks[1]'],
    mentions: ['bus xen', 'bus: virtio'],
    notApplicable: onXen(on('v', { disks: [disk({ bus: 'xen' })] })),
  },
  'KVM-NIC-MODEL': {
    compliant: kvm({}, on('v')),
    nonCompliant: kvm({}, on('v', { networks: [nic({ model: 'e1000' })] })),
    targets: ['vms[v].networks[0]'],
    mentions: ['e1000'],
    notApplicable: onXen(on('v', { guestType: 'hvm', networks: [nic({ model: 'e1000' })] })),
  },
  'KVM-DISK-CACHE-RISKY': {
    compliant: kvm({}, on('v', { disks: [disk({ cache: 'writethrough' })] })),
    nonCompliant: kvm({}, on('v', { disks: [disk({ cache: 'unsafe' }), disk({ cache: 'writeback', data: true })] })),
    targets: ['vms[v].disks[0]', 'vms[v].disks[1]'],
    mentions: ['cache=unsafe'],
    notApplicable: pooled(on('v', { disks: [disk({ cache: 'unsafe' })] })),
  },
  'KVM-DISK-CACHE-MIGRATION': {
    compliant: pooled(on('v', { disks: [disk({ cache: 'directsync' }), disk({ data: true })] })),
    nonCompliant: pooled(on('v', { disks: [disk({ cache: 'writethrough' }), disk({ cache: 'default', data: true })] })),
    targets: ['vms[v].disks[0]', 'vms[v].disks[1]'],
    mentions: ['migration pool p', 'cache=writethrough'],
    notApplicable: kvm({}, on('v', { disks: [disk({ cache: 'writethrough' })] })),
  },
  // QEMU block/file-posix.c refuses aio=native without cache.direct=on; a sparse qcow2 blocks io_submit on
  // cluster allocation (Nova nova/virt/libvirt/imagebackend.py: native only for preallocated images).
  'KVM-DISK-IO-NATIVE': {
    compliant: kvm({}, on('v', { disks: [disk({ io: 'native', format: 'raw' }), disk({ data: true })] })),
    nonCompliant: kvm({}, on('v', { disks: [disk({ io: 'native', format: 'raw', cache: 'writethrough' }), disk({ io: 'native', data: true })] })),
    targets: ['vms[v].disks[0]', 'vms[v].disks[1]'],
    mentions: ['cache=writethrough'],
    notApplicable: kvm({}, on('v', { disks: [disk({ io: 'threads', cache: 'writethrough' })] })),
  },
  'KVM-HOST-RESERVE': {
    compliant: kvm({}, on('a'), on('b')),
    nonCompliant: fleet({
      hosts: [kvmHost('k1', { reserved: undefined }), kvmHost('k2', { reserved: { memoryMiB: 4 * GiB, cpus: 2 } })],
      vms: [vm('a', { host: 'k2' }), vm('b', { host: 'k2' })],
    }),
    targets: ['hosts[k1]', 'hosts[k2]'],
    notApplicable: onXen(on('v')),
  },
  'KVM-MEM-OVERCOMMIT-HIGH': {
    compliant: kvm({ overcommit: { cpu: 4, memory: 1.5 } }),
    nonCompliant: kvm({ overcommit: { cpu: 4, memory: 2 } }),
    targets: ['hosts[k1]'],
    mentions: ['2x', '1.5x'],
    notApplicable: fleet({ hosts: [xenHost('x1', { overcommit: { cpu: 4, memory: 2 } })] }),
  },
  'KVM-MEM-OVERCOMMIT-NO-BALLOON': {
    compliant: kvm({ overcommit: { cpu: 4, memory: 1.2 } }, on('v')),
    nonCompliant: kvm({ overcommit: { cpu: 4, memory: 1.2 } }, on('v', { balloon: false }), on('w')),
    targets: ['hosts[k1]'],
    mentions: ['(v)'],
    notApplicable: kvm({}, on('v', { balloon: false })),
  },
  // Undeclared KSM is not safe: Proxmox enables KSM by default (pve.proxmox.com wiki, Kernel Samepage Merging).
  'KVM-KSM-SENSITIVE': {
    compliant: kvm({ ksm: false }, on('v', { securityClass: 'sensitive' })),
    nonCompliant: fleet({
      hosts: [kvmHost('k1', { ksm: true }), kvmHost('k2', { ksm: undefined })],
      vms: [on('v', { securityClass: 'sensitive' }), on('w'), vm('i', { host: 'k2', securityClass: 'isolated' })],
    }),
    targets: ['hosts[k1]', 'hosts[k2]'],
    mentions: ['(v)'],
    notApplicable: fleet({ hosts: [kvmHost('k1', { ksm: undefined })], vms: [on('w')] }),
  },
  'KVM-MACHINE-LEGACY': {
    compliant: kvm({}, on('v')),
    nonCompliant: kvm({}, on('v', { machine: 'pc-i440fx-8.2' }), on('w', { machine: 'pc' })),
    targets: ['vms[v]', 'vms[w]'],
    mentions: ['pc-i440fx-8.2', 'q35'],
    notApplicable: onXen(on('v', { guestType: 'hvm', machine: 'pc' })),
  },
  'KVM-RNG-MISSING': {
    compliant: kvm({}, on('v')),
    nonCompliant: kvm({}, on('v', { rng: false })),
    targets: ['vms[v]'],
    notApplicable: onXen(on('v', { rng: false })),
  },
  'KVM-VIRTIO-BLK-LIMIT': {
    compliant: kvm({}, on('v', { disks: Array.from({ length: 28 }, () => disk()) })),
    nonCompliant: kvm({}, on('v', { disks: Array.from({ length: 29 }, () => disk()) })),
    targets: ['vms[v]'],
    mentions: ['29'],
    notApplicable: kvm({}, on('v', { disks: Array.from({ length: 40 }, () => disk({ bus: 'scsi' })) })),
  },
  // libvirt requires state on spinlocks/stimer/tlbflush ("Missing required attribute 'state'", virsh 9.0 on the test driver);
  // provider 0.9.7's schema has none for them (docs/resources/domain.md, features.hyper_v.spinlocks: retries only).
  'KVM-WINDOWS-HYPERV-PARTIAL': {
    compliant: kvm({}, on('v', { os: 'linux' })),
    nonCompliant: kvm({}, on('v', { os: 'windows' })),
    targets: ['vms[v]'],
    mentions: ['spinlocks (retries 8191), stimer, tlbflush', 'relaxed'],
    notApplicable: fleet({ hosts: [xenHost('x1')], vms: [vm('v', { host: 'x1', os: 'windows' })] }),
  },
});

describe('KVM-KSM-SENSITIVE on a host that does not declare ksm', () => {
  it('says the host does not declare KSM off', () => {
    const f = kvm({ ksm: undefined }, on('v', { securityClass: 'sensitive' }));
    const results = run(RULES.find((r) => r.id === 'KVM-KSM-SENSITIVE')!, f, pinned(f));
    expect(results).toHaveLength(1);
    expect(results[0]!.message).toContain('does not declare KSM off');
  });
});
