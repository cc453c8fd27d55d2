/**
 * Host capacity after the hypervisor's own share (Xen Dom0, KVM host reservation) and overcommit.
 * `hostCapacity` is the single definition of "usable capacity": the planner places against it and
 * constructs report it, so the two can never disagree.
 */
import type { Host, VmHypervisor } from '../fleet/model';
import { KVM_FALLBACK_RESERVED_CPUS, KVM_FALLBACK_RESERVED_MEMORY_MIB } from '../fleet/normalize';

/**
 * XenServer / Citrix Hypervisor 8 default Dom0 memory: 1 GiB + 5% of host RAM, initially capped at 8 GiB.
 * Source: https://docs.citrix.com/en-us/xenserver/current-release/memory-usage.html (research XEN-DOM0-MEM-FORMULA).
 */
export const XEN_DOM0_BASE_MEMORY_MIB = 1024;
export const XEN_DOM0_MEMORY_SHARE = 0.05;
export const XEN_DOM0_MEMORY_CAP_MIB = 8192;
/** Round Dom0 memory up to whole 256 MiB so the `dom0_mem=` boot value is a readable, stable number. */
export const XEN_DOM0_MEMORY_GRANULE_MIB = 256;
/**
 * Xen's default `dom0_max_vcpus` is every physical CPU, which lets Dom0 compete with guests on all cores.
 * We give Dom0 one vCPU per 16 pCPUs, never fewer than 2 (SUSE warns never to limit Dom0 to 1 vCPU,
 * https://www.suse.com/support/kb/doc/?id=000016299) and never more than the host has.
 * The 1-per-16 ratio is our own choice (research XEN-DOM0-VCPUS gives no number).
 */
export const XEN_DOM0_PCPUS_PER_VCPU = 16;
export const XEN_DOM0_MIN_VCPUS = 2;

/**
 * Xen's per-guest paging (shadow/HAP) memory, taken from the host outside the guest's own RAM. xl.cfg(5)
 * `shadow_memory`: "By default this is 1MB per guest vCPU plus 8KB per MB of guest RAM" (xen-project/xen
 * docs/man/xl.cfg.5.pod.in). libxl computes it in `libxl__get_required_paging_memory`
 * (tools/libs/light/libxl_create.c): 4 KiB × (256 per vCPU + up to 2 per MiB of RAM), i.e. at most the
 * documented figure, which is what we count.
 */
export const XEN_PAGING_MIB_PER_VCPU = 1;
export const XEN_PAGING_KIB_PER_GUEST_MIB = 8;
/**
 * Memory of a Xen host neither Dom0 nor guests can have: the hypervisor itself, "approximately 128 MB of
 * RAM" (XenServer 4.0.1 Installation Guide, Appendix D "Xen Memory Usage",
 * http://docs.vmd.citrix.com/XenServer/4.0.1/installation/apd.html), and the crash-kernel region XenServer
 * and XCP-ng boot Xen with, `crashkernel=256M,below=4G` (xenserver/host-installer backend.py,
 * `xen_mem_params`).
 */
export const XEN_HYPERVISOR_MEMORY_MIB = 128;
export const XEN_CRASH_KERNEL_MIB = 256;
/**
 * Memory a QEMU process takes beyond its guest's RAM, as oVirt's scheduler estimates it
 * (oVirt/ovirt-engine VmOverheadCalculatorImpl.java): 64 MiB fixed (libraries, QEMU's own structures),
 * guest RAM / 512 for page tables, 8 MiB per vCPU. Video RAM is not counted (the fleet's graphics are
 * VNC/SPICE consoles with the default small framebuffer).
 */
export const QEMU_FIXED_OVERHEAD_MIB = 64;
export const QEMU_PAGE_TABLE_RAM_DIVISOR = 512;
export const QEMU_MIB_PER_VCPU = 8;

/** Host memory a Xen guest takes beyond its RAM (xl.cfg `shadow_memory` default), in whole MiB. */
export function xenGuestOverheadMiB(vcpus: number, memoryMiB: number): number {
  return Math.ceil(vcpus * XEN_PAGING_MIB_PER_VCPU + (memoryMiB * XEN_PAGING_KIB_PER_GUEST_MIB) / 1024);
}

/** Host memory a KVM guest's QEMU process takes beyond the guest's RAM (oVirt's estimate), in whole MiB. */
export function kvmGuestOverheadMiB(vcpus: number, memoryMiB: number): number {
  return QEMU_FIXED_OVERHEAD_MIB + Math.ceil(memoryMiB / QEMU_PAGE_TABLE_RAM_DIVISOR) + vcpus * QEMU_MIB_PER_VCPU;
}

/**
 * Per-guest overhead the planner charges a VM. A VM whose hypervisor the planner picks (`auto`) is charged
 * the larger of the two, so whichever kind of host takes it has room for it.
 */
export function guestOverheadMiB(hypervisor: VmHypervisor, vcpus: number, memoryMiB: number): number {
  if (hypervisor === 'xen') return xenGuestOverheadMiB(vcpus, memoryMiB);
  if (hypervisor === 'kvm') return kvmGuestOverheadMiB(vcpus, memoryMiB);
  return Math.max(xenGuestOverheadMiB(vcpus, memoryMiB), kvmGuestOverheadMiB(vcpus, memoryMiB));
}

export interface Dom0Sizing {
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly pin: boolean;
  readonly balloon: boolean;
  /** True when at least one value was derived here rather than declared in the fleet. */
  readonly derived: boolean;
}

export interface HostCapacity {
  /** Usable vCPUs: (cpus − reserved) × overcommit.cpu, floored. */
  readonly cpu: number;
  /** Usable MiB: (memory − reserved − hypervisor − hugepage pool) × overcommit.memory, floored. */
  readonly memoryMiB: number;
  /** pCPUs kept for Dom0 (Xen) or the host OS (KVM). */
  readonly reservedCpu: number;
  /** MiB kept for Dom0 (Xen) or the host OS (KVM). */
  readonly reservedMemoryMiB: number;
  /** MiB the Xen hypervisor and its crash kernel hold (0 on KVM). */
  readonly hypervisorMemoryMiB: number;
  /** MiB in the host's hugepage pool: only hugepage-backed guests use it, never overcommitted (0 when none). */
  readonly hugepageMiB: number;
}

/** Size of a host's declared hugepage pool in MiB. */
export function hugepagePoolMiB(host: Host): number {
  return host.hugepages === undefined ? 0 : (host.hugepages.sizeKiB * host.hugepages.count) / 1024;
}

function roundUp(value: number, granule: number): number {
  return Math.ceil(value / granule) * granule;
}

/** Dom0 memory XenServer 8 gives a host of this size (the XEN-DOM0-MEM-LOW rule's recommendation). */
export function xenServerDom0MemoryMiB(hostMemoryMiB: number): number {
  return Math.min(XEN_DOM0_BASE_MEMORY_MIB + XEN_DOM0_MEMORY_SHARE * hostMemoryMiB, XEN_DOM0_MEMORY_CAP_MIB);
}

/** Dom0 memory derived for a host that declares none: the XenServer 8 value, in whole 256 MiB. */
export function derivedDom0MemoryMiB(hostMemoryMiB: number): number {
  return roundUp(xenServerDom0MemoryMiB(hostMemoryMiB), XEN_DOM0_MEMORY_GRANULE_MIB);
}

export function derivedDom0Vcpus(hostCpus: number): number {
  return Math.min(hostCpus, Math.max(XEN_DOM0_MIN_VCPUS, Math.ceil(hostCpus / XEN_DOM0_PCPUS_PER_VCPU)));
}

/**
 * Dom0 settings of a Xen host: the declared values, the rest derived. Pinning and ballooning default to
 * off: Dom0 must keep a fixed memory size (research XEN-DOM0-MEM-FIXED, XEN-DOM0-NO-BALLOON-WHY) and
 * `dom0_vcpus_pin` is off in Xen by default.
 */
export function dom0Sizing(host: Host): Dom0Sizing {
  const declared = host.dom0 ?? {};
  return {
    memoryMiB: declared.memoryMiB ?? derivedDom0MemoryMiB(host.memoryMiB),
    vcpus: declared.vcpus ?? derivedDom0Vcpus(host.cpus),
    pin: declared.pin ?? false,
    balloon: declared.balloon ?? false,
    derived: declared.memoryMiB === undefined || declared.vcpus === undefined || declared.pin === undefined || declared.balloon === undefined,
  };
}

/** Physical CPUs a host has for guests: its CPUs less those kept for Dom0 or the host OS. */
export function guestPhysicalCpus(host: Host, capacity: HostCapacity = hostCapacity(host)): number {
  return Math.max(0, host.cpus - capacity.reservedCpu);
}

/** Usable capacity of a host; the one definition planner and constructs share. */
export function hostCapacity(host: Host): HostCapacity {
  let reservedCpu: number;
  let reservedMemoryMiB: number;
  if (host.hypervisor === 'xen') {
    const dom0 = dom0Sizing(host);
    reservedCpu = dom0.vcpus;
    reservedMemoryMiB = dom0.memoryMiB;
  } else {
    reservedCpu = host.reserved?.cpus ?? KVM_FALLBACK_RESERVED_CPUS;
    reservedMemoryMiB = host.reserved?.memoryMiB ?? KVM_FALLBACK_RESERVED_MEMORY_MIB;
  }
  const hypervisorMemoryMiB = host.hypervisor === 'xen' ? XEN_HYPERVISOR_MEMORY_MIB + XEN_CRASH_KERNEL_MIB : 0;
  const hugepageMiB = hugepagePoolMiB(host);
  const regularMiB = host.memoryMiB - reservedMemoryMiB - hypervisorMemoryMiB - hugepageMiB;
  return {
    cpu: Math.floor(Math.max(0, host.cpus - reservedCpu) * host.overcommit.cpu),
    memoryMiB: Math.floor(Math.max(0, regularMiB) * host.overcommit.memory),
    reservedCpu,
    reservedMemoryMiB,
    hypervisorMemoryMiB,
    hugepageMiB,
  };
}
