/**
 * Numeric bounds rules compare against; each default is a named constant with its source. A policy
 * file's `thresholds` section overrides them.
 */

/** Nova `initial_cpu_allocation_ratio` default (openstack/nova nova/conf/compute.py). */
export const DEFAULT_MAX_CPU_OVERCOMMIT = 16;
/** Nova `initial_ram_allocation_ratio` default (openstack/nova nova/conf/compute.py). */
export const DEFAULT_MAX_MEMORY_OVERCOMMIT = 1.5;
/** Beyond a quarter of the host, Dom0 holds memory guests could use (XenServer caps its default at 8 GiB). */
export const DEFAULT_MAX_DOM0_FRACTION = 0.25;
/** Live migration between hosts of very different sizes leaves the small ones unable to take the big ones' VMs. */
export const DEFAULT_MAX_POOL_MEMORY_SKEW = 2;
/** Red Hat's HCI/NFV example: 4 GB for the host plus 0.5 GB per VM (RHOSP 13 NFV guide). */
export const DEFAULT_HOST_RESERVE_BASE_MIB = 4096;
export const DEFAULT_HOST_RESERVE_PER_VM_MIB = 512;

export interface Thresholds {
  /** vCPUs per physical CPU above which `PLC-CPU-OVERCOMMIT` warns. */
  readonly maxCpuOvercommit: number;
  /** KVM memory overcommit ratio above which `KVM-MEM-OVERCOMMIT-HIGH` warns. */
  readonly maxMemoryOvercommit: number;
  /** Share of a Xen host's memory above which `XEN-DOM0-MEM-HIGH` warns. */
  readonly maxDom0Fraction: number;
  /** Largest / smallest member memory above which `MIG-MEMORY-SKEW` warns. */
  readonly maxPoolMemorySkew: number;
  /** Host memory a KVM host should keep for itself, plus the per-VM part below. */
  readonly hostReserveBaseMiB: number;
  readonly hostReservePerVmMiB: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  maxCpuOvercommit: DEFAULT_MAX_CPU_OVERCOMMIT,
  maxMemoryOvercommit: DEFAULT_MAX_MEMORY_OVERCOMMIT,
  maxDom0Fraction: DEFAULT_MAX_DOM0_FRACTION,
  maxPoolMemorySkew: DEFAULT_MAX_POOL_MEMORY_SKEW,
  hostReserveBaseMiB: DEFAULT_HOST_RESERVE_BASE_MIB,
  hostReservePerVmMiB: DEFAULT_HOST_RESERVE_PER_VM_MIB,
};
