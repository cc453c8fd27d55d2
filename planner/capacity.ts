/**
 * Host capacity after the hypervisor's own share (Xen Dom0, KVM host reservation) and overcommit.
 * `hostCapacity` is the single definition of "usable capacity": the planner places against it and
 * constructs report it, so the two can never disagree.
 */
import type { Host } from '../fleet/model';

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
 * Host reservation for a KVM host that declares none (neither on the host nor in `defaults.kvm`): Nova's
 * defaults, `reserved_host_memory_mb=512`, `reserved_host_cpus=0` (openstack/nova nova/conf/compute.py,
 * research NOVA-HOST-RESERVE).
 */
export const KVM_FALLBACK_RESERVED_MEMORY_MIB = 512;
export const KVM_FALLBACK_RESERVED_CPUS = 0;

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
  /** Usable MiB: (memory − reserved) × overcommit.memory, floored. */
  readonly memoryMiB: number;
  /** pCPUs kept for Dom0 (Xen) or the host OS (KVM). */
  readonly reservedCpu: number;
  /** MiB kept for Dom0 (Xen) or the host OS (KVM). */
  readonly reservedMemoryMiB: number;
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
  return {
    cpu: Math.floor(Math.max(0, host.cpus - reservedCpu) * host.overcommit.cpu),
    memoryMiB: Math.floor(Math.max(0, host.memoryMiB - reservedMemoryMiB) * host.overcommit.memory),
    reservedCpu,
    reservedMemoryMiB,
  };
}
