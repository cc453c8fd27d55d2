/**
 * Which rules are new or changed since the KVM/Xen audit (issue 12), the secrets work (issue 19) and the
 * failure simulation (issue 18), and why: the catalogue (docs/rules.md) prints this so that an operator
 * upgrading sees which findings to expect. Each entry names a rule of the catalogue (a test checks it).
 */
export interface RuleChange {
  readonly id: string;
  readonly change: 'new' | 'changed';
  readonly why: string;
}

export const RULE_CHANGES: readonly RuleChange[] = [
  { id: 'XEN-PVH-FIRMWARE', change: 'new', why: 'PVH has no firmware (xl.cfg(5)); uefi or secure boot on a PVH guest was silently ignored.' },
  { id: 'XEN-WINDOWS-NOT-HVM', change: 'new', why: 'Windows boots only as HVM; `os: windows` is a new VM key.' },
  { id: 'KVM-WINDOWS-HYPERV-PARTIAL', change: 'new', why: 'Hyper-V enlightenments the provider cannot express (spinlocks, stimer, tlbflush) are reported instead of dropped.' },
  { id: 'XEN-DOM0-MEM-HVM', change: 'new', why: 'Each HVM guest runs a device model in Dom0, so Dom0 memory grows with their number.' },
  { id: 'XEN-NUMA-STRICT', change: 'new', why: 'libxl places domains on NUMA nodes itself (xl-numa-placement(7)); `numa: strict` is not enforced on Xen.' },
  { id: 'PLC-VM-WIDER-THAN-HOST', change: 'new', why: 'A VM with more vCPUs than the physical CPUs left after reservation or Dom0 overcommits against itself.' },
  { id: 'MIG-HOST-MODEL-MIXED', change: 'new', why: 'host-model across different CPU generations blocks migration to the older ones (libvirt sends the full CPU definition).' },
  { id: 'SEC-SECRET-LOCAL-STATE', change: 'new', why: 'Terraform state holds secret values even as sensitive variables; a local state file keeps them on disk.' },
  { id: 'MIG-RESERVE-SURVIVAL', change: 'new', why: 'Proves a pool\'s n+1/n+2 reserve with a failure simulation under every placement filter, independently of the planner\'s headroom check (issue 18).' },
  { id: 'PLC-ZONE-LOSS-ANTI-AFFINITY', change: 'new', why: 'Warns when a zone failure leaves no member of an anti-affinity group able to restart anywhere (issue 18).' },
  { id: 'XEN-MEM-OVERCOMMIT-NO-BALLOON', change: 'changed', why: 'It never fired (balloon defaulted to true); memory overcommit on Xen now needs `balloon: true` declared on every VM.' },
  { id: 'XEN-DOM0-MEM-MIN', change: 'changed', why: 'Minimum raised from 400 MiB to 1 GiB, as the XenServer/XCP-ng docs and the Xen best-practice page give.' },
  { id: 'XEN-HVM-EMULATED-DEVICE', change: 'changed', why: 'libxl emulates disks 0–3 as IDE on HVM whatever their name (libxl_dm.c); the rule now warns only on scsi/sata/usb disks and on netfront for Windows.' },
  { id: 'HYB-NET-XEN-EMULATED', change: 'changed', why: 'The HVM default NIC is emulated plus PV (VIF_IOEMU); netfront is advised only for images with PV drivers.' },
  { id: 'SEC-SECURE-BOOT', change: 'changed', why: 'No longer exempts PVH guests: without firmware they are compliant only with a kernel held by Dom0.' },
  { id: 'KVM-DISK-IO-NATIVE', change: 'changed', why: 'io=native is for raw volumes; on sparse qcow2 it blocks QEMU while clusters are allocated.' },
  { id: 'KVM-KSM-SENSITIVE', change: 'changed', why: 'A host that does not declare `ksm: false` counts as running KSM.' },
  { id: 'MIG-MIXED-CPU-VENDOR', change: 'changed', why: 'The vendor is inferred from QEMU CPU model names (EPYC*, *-Server …) when `cpuVendor` is absent.' },
];
