import { describe, expect, it } from 'vitest';
import {
  derivedDom0MemoryMiB, derivedDom0Vcpus, dom0Sizing, guestOverheadMiB, hostCapacity, kvmGuestOverheadMiB, XEN_CRASH_KERNEL_MIB,
  XEN_HYPERVISOR_MEMORY_MIB, xenGuestOverheadMiB,
} from '../../planner/capacity';
import { GiB, host } from './fixtures';

describe('dom0Sizing', () => {
  it.each([
    [16 * GiB, 2048], // 1024 + 819.2 → 1843.2 → next 256
    [64 * GiB, 4352], // 1024 + 3276.8 → 4300.8 → 4352
    [128 * GiB, 7680], // 1024 + 6553.6 → 7577.6 → 7680
    [256 * GiB, 8192], // capped
    [1024 * GiB, 8192],
  ])('memory for %i MiB of host RAM is %i MiB (XenServer 8: 1 GiB + 5%%, cap 8 GiB, 256 MiB steps)', (memory, expected) => {
    expect(derivedDom0MemoryMiB(memory)).toBe(expected);
  });

  it.each([
    [1, 1],
    [4, 2],
    [32, 2],
    [48, 3],
    [64, 4],
    [256, 16],
  ])('vCPUs for %i pCPUs is %i', (cpus, expected) => {
    expect(derivedDom0Vcpus(cpus)).toBe(expected);
  });

  it('derives everything when nothing is declared, pin and balloon off', () => {
    expect(dom0Sizing(host('xen-1', { cpus: 64, memoryMiB: 64 * GiB }))).toEqual({ memoryMiB: 4352, vcpus: 4, pin: false, balloon: false, derived: true });
  });

  it('keeps declared values and reports nothing derived when all are declared', () => {
    const declared = { memoryMiB: 6144, vcpus: 6, pin: true, balloon: false };
    expect(dom0Sizing(host('xen-1', { dom0: declared }))).toEqual({ ...declared, derived: false });
  });
});

describe('hostCapacity', () => {
  it('Xen: (cpus − Dom0 vCPUs) × overcommit and (memory − Dom0 memory) × overcommit', () => {
    const xen = host('xen-1', { cpus: 64, memoryMiB: 64 * GiB, overcommit: { cpu: 4, memory: 1 } });
    // Besides Dom0, the hypervisor (~128 MB, XenServer 4.0.1 Installation Guide App. D) and the crash
    // kernel XenServer boots Xen with (crashkernel=256M, xenserver/host-installer backend.py).
    expect(hostCapacity(xen)).toEqual({
      cpu: 240, memoryMiB: 64 * GiB - 4352 - 384, reservedCpu: 4, reservedMemoryMiB: 4352, hypervisorMemoryMiB: 384, hugepageMiB: 0,
    });
    expect(XEN_HYPERVISOR_MEMORY_MIB + XEN_CRASH_KERNEL_MIB).toBe(384);
  });

  it('KVM: host reservation, overcommit, floored', () => {
    const kvm = host('kvm-1', { cpus: 33, memoryMiB: 100 * GiB, reserved: { cpus: 2, memoryMiB: 4 * GiB }, overcommit: { cpu: 1.5, memory: 1.1 } });
    expect(hostCapacity(kvm)).toEqual({
      cpu: 46, memoryMiB: Math.floor(96 * GiB * 1.1), reservedCpu: 2, reservedMemoryMiB: 4 * GiB, hypervisorMemoryMiB: 0, hugepageMiB: 0,
    });
  });

  it('KVM without any declared reservation keeps Nova’s 512 MiB for the host', () => {
    const { reserved: _ignored, ...bare } = host('kvm-1', { cpus: 8, memoryMiB: 16 * GiB });
    expect(hostCapacity(bare)).toEqual({ cpu: 8, memoryMiB: 16 * GiB - 512, reservedCpu: 0, reservedMemoryMiB: 512, hypervisorMemoryMiB: 0, hugepageMiB: 0 });
  });

  it('KVM: the hugepage pool leaves the overcommitted share and is never overcommitted itself', () => {
    const kvm = host('kvm-1', { cpus: 8, memoryMiB: 64 * GiB, reserved: { cpus: 0, memoryMiB: 0 }, overcommit: { cpu: 1, memory: 1.5 }, hugepages: { sizeKiB: 1024 * 1024, count: 16 } });
    expect(hostCapacity(kvm)).toMatchObject({ memoryMiB: 48 * GiB * 1.5, hugepageMiB: 16 * GiB });
  });
});

describe('per-guest overhead', () => {
  it('Xen: xl.cfg(5) shadow_memory default, 1 MiB per vCPU plus 8 KiB per MiB of RAM', () => {
    // xen-project/xen docs/man/xl.cfg.5.pod.in: "By default this is 1MB per guest vCPU plus 8KB per MB of
    // guest RAM"; libxl__get_required_paging_memory (tools/libs/light/libxl_create.c) stays within it.
    expect(xenGuestOverheadMiB(4, 8 * GiB)).toBe(4 + 64);
    expect(xenGuestOverheadMiB(1, 100)).toBe(2); // 1 MiB + 800 KiB, rounded up to whole MiB
  });

  it('KVM: oVirt’s QEMU estimate, 64 MiB + RAM/512 + 8 MiB per vCPU', () => {
    // oVirt/ovirt-engine VmOverheadCalculatorImpl.java: getStaticOverheadInMb (64 + RAM/512 on x86) and
    // getPossibleOverheadInMb (8 per vCPU).
    expect(kvmGuestOverheadMiB(4, 8 * GiB)).toBe(64 + 16 + 32);
  });

  it('a VM the planner may put on either kind is charged the larger overhead', () => {
    expect(guestOverheadMiB('auto', 4, 8 * GiB)).toBe(kvmGuestOverheadMiB(4, 8 * GiB));
    expect(guestOverheadMiB('xen', 64, 1 * GiB)).toBe(xenGuestOverheadMiB(64, 1 * GiB));
    expect(guestOverheadMiB('auto', 1, 64 * GiB)).toBe(xenGuestOverheadMiB(1, 64 * GiB)); // 513 MiB against QEMU's 200
  });
});
