/** Every built-in rule, by pack; a test asserts this list equals the rule files on disk. */
import type { Rule } from './rule';
import { xenDom0Balloon } from './rules/xen/xen-dom0-balloon';
import { xenDom0MemHigh } from './rules/xen/xen-dom0-mem-high';
import { xenDom0MemHvm } from './rules/xen/xen-dom0-mem-hvm';
import { xenDom0MemLow } from './rules/xen/xen-dom0-mem-low';
import { xenDom0MemMin } from './rules/xen/xen-dom0-mem-min';
import { xenDom0MemUndeclared } from './rules/xen/xen-dom0-mem-undeclared';
import { xenDom0Pin } from './rules/xen/xen-dom0-pin';
import { xenDom0Vcpus } from './rules/xen/xen-dom0-vcpus';
import { xenGuestPvSensitive } from './rules/xen/xen-guest-pv-sensitive';
import { xenGuestPv } from './rules/xen/xen-guest-pv';
import { xenGuestTypeImplicit } from './rules/xen/xen-guest-type-implicit';
import { xenHvmEmulatedDevice } from './rules/xen/xen-hvm-emulated-device';
import { xenMemOvercommitNoBalloon } from './rules/xen/xen-mem-overcommit-no-balloon';
import { xenNumaStrict } from './rules/xen/xen-numa-strict';
import { xenPvDiskBus } from './rules/xen/xen-pv-disk-bus';
import { xenPvNicModel } from './rules/xen/xen-pv-nic-model';
import { xenPvhBoot } from './rules/xen/xen-pvh-boot';
import { xenPvhFirmware } from './rules/xen/xen-pvh-firmware';
import { xenVirtioDevice } from './rules/xen/xen-virtio-device';
import { xenWindowsNotHvm } from './rules/xen/xen-windows-not-hvm';
import { kvmDiskBus } from './rules/kvm/kvm-disk-bus';
import { kvmDiskCacheMigration } from './rules/kvm/kvm-disk-cache-migration';
import { kvmDiskCacheRisky } from './rules/kvm/kvm-disk-cache-risky';
import { kvmDiskIoNative } from './rules/kvm/kvm-disk-io-native';
import { kvmHostReserve } from './rules/kvm/kvm-host-reserve';
import { kvmKsmSensitive } from './rules/kvm/kvm-ksm-sensitive';
import { kvmMachineLegacy } from './rules/kvm/kvm-machine-legacy';
import { kvmMemOvercommitHigh } from './rules/kvm/kvm-mem-overcommit-high';
import { kvmMemOvercommitNoBalloon } from './rules/kvm/kvm-mem-overcommit-no-balloon';
import { kvmNicModel } from './rules/kvm/kvm-nic-model';
import { kvmRngMissing } from './rules/kvm/kvm-rng-missing';
import { kvmVirtioBlkLimit } from './rules/kvm/kvm-virtio-blk-limit';
import { kvmWindowsHypervPartial } from './rules/kvm/kvm-windows-hyperv-partial';
import { hybIoHeavyOnXen } from './rules/hybrid/hyb-io-heavy-on-xen';
import { hybNetKvmNoMultiqueue } from './rules/hybrid/hyb-net-kvm-no-multiqueue';
import { hybNetXenEmulated } from './rules/hybrid/hyb-net-xen-emulated';
import { hybSensitiveOnKvm } from './rules/hybrid/hyb-sensitive-on-kvm';
import { migHostModelMixed } from './rules/migration/mig-host-model-mixed';
import { migHostPassthroughMixed } from './rules/migration/mig-host-passthrough-mixed';
import { migHostPassthrough } from './rules/migration/mig-host-passthrough';
import { migHostdev } from './rules/migration/mig-hostdev';
import { migMemorySkew } from './rules/migration/mig-memory-skew';
import { migMixedCpuVendor } from './rules/migration/mig-mixed-cpu-vendor';
import { migMixedHypervisor } from './rules/migration/mig-mixed-hypervisor';
import { migNoSharedStorage } from './rules/migration/mig-no-shared-storage';
import { migReserveNone } from './rules/migration/mig-reserve-none';
import { migReserveSurvival } from './rules/migration/mig-reserve-survival';
import { migReserveUnsatisfied } from './rules/migration/mig-reserve-unsatisfied';
import { migStorageNotShared } from './rules/migration/mig-storage-not-shared';
import { migVmLocalDisk } from './rules/migration/mig-vm-local-disk';
import { plcAntiAffinityZone } from './rules/placement/plc-anti-affinity-zone';
import { plcCpuOvercommit } from './rules/placement/plc-cpu-overcommit';
import { plcIsolatedSharedHost } from './rules/placement/plc-isolated-shared-host';
import { plcUnplaced } from './rules/placement/plc-unplaced';
import { plcVmWiderThanHost } from './rules/placement/plc-vm-wider-than-host';
import { plcZoneLossAntiAffinity } from './rules/placement/plc-zone-loss-anti-affinity';
import { secDataDiskUnprotected } from './rules/security/sec-data-disk-unprotected';
import { secGraphicsOpen } from './rules/security/sec-graphics-open';
import { secHostdevNoIommu } from './rules/security/sec-hostdev-no-iommu';
import { secInlineSecret } from './rules/security/sec-inline-secret';
import { secSecretLocalState } from './rules/security/sec-secret-local-state';
import { secSecureBoot } from './rules/security/sec-secure-boot';
import { kvmGuestArch } from './rules/kvm/kvm-guest-arch';
import { kvmIdeNoController } from './rules/kvm/kvm-ide-no-controller';
import { kvmCurrentMemoryNoBalloon } from './rules/kvm/kvm-current-memory-no-balloon';
import { kvmXenDiskBus } from './rules/kvm/kvm-xen-disk-bus';
import { xenGuestArch } from './rules/xen/xen-guest-arch';
import { xenNicType } from './rules/xen/xen-nic-type';
import { xenNetworkDisk } from './rules/xen/xen-network-disk';
import { xenCdromNotHvm } from './rules/xen/xen-cdrom-not-hvm';
import { xenConsolePv } from './rules/xen/xen-console-pv';
import { xenHvmPod } from './rules/xen/xen-hvm-pod';
import { xenClock } from './rules/xen/xen-clock';
import { secUserdataPassword } from './rules/security/sec-userdata-password';
import { xenDiskDevice } from './rules/xen/xen-disk-device';
import { xenDiskFormat } from './rules/xen/xen-disk-format';
import { kvmFloppyNoController } from './rules/kvm/kvm-floppy-no-controller';

export const RULES: readonly Rule[] = [
  xenDom0Balloon,
  xenDom0MemHigh,
  xenDom0MemHvm,
  xenDom0MemLow,
  xenDom0MemMin,
  xenDom0MemUndeclared,
  xenDom0Pin,
  xenDom0Vcpus,
  xenGuestPvSensitive,
  xenGuestPv,
  xenGuestTypeImplicit,
  xenHvmEmulatedDevice,
  xenMemOvercommitNoBalloon,
  xenNumaStrict,
  xenPvDiskBus,
  xenPvNicModel,
  xenPvhBoot,
  xenPvhFirmware,
  xenVirtioDevice,
  xenWindowsNotHvm,
  xenGuestArch,
  xenNicType,
  xenNetworkDisk,
  xenCdromNotHvm,
  xenHvmPod,
  xenDiskDevice,
  xenDiskFormat,
  xenClock,
  xenConsolePv,
  kvmDiskBus,
  kvmDiskCacheMigration,
  kvmDiskCacheRisky,
  kvmDiskIoNative,
  kvmHostReserve,
  kvmKsmSensitive,
  kvmMachineLegacy,
  kvmMemOvercommitHigh,
  kvmMemOvercommitNoBalloon,
  kvmNicModel,
  kvmRngMissing,
  kvmVirtioBlkLimit,
  kvmWindowsHypervPartial,
  kvmGuestArch,
  kvmIdeNoController,
  kvmCurrentMemoryNoBalloon,
  kvmXenDiskBus,
  kvmFloppyNoController,
  hybIoHeavyOnXen,
  hybNetKvmNoMultiqueue,
  hybNetXenEmulated,
  hybSensitiveOnKvm,
  migHostModelMixed,
  migHostPassthroughMixed,
  migHostPassthrough,
  migHostdev,
  migMemorySkew,
  migMixedCpuVendor,
  migMixedHypervisor,
  migNoSharedStorage,
  migReserveNone,
  migReserveSurvival,
  migReserveUnsatisfied,
  migStorageNotShared,
  migVmLocalDisk,
  plcAntiAffinityZone,
  plcCpuOvercommit,
  plcIsolatedSharedHost,
  plcUnplaced,
  plcVmWiderThanHost,
  plcZoneLossAntiAffinity,
  secDataDiskUnprotected,
  secGraphicsOpen,
  secHostdevNoIommu,
  secInlineSecret,
  secSecretLocalState,
  secSecureBoot,
  secUserdataPassword,
];
