/**
 * The one import point for the generated dmacvicar/libvirt bindings (`.gen/providers/libvirt`, made by
 * `npm run get`). They stand in for a `@cdktf/provider-libvirt` package, which does not exist; if one
 * appears, or the engine moves to CDK Terrain, only this file changes.
 */
export { LibvirtProvider, type LibvirtProviderConfig } from '../.gen/providers/libvirt/provider';
export {
  Domain,
  type DomainClock,
  type DomainConfig,
  type DomainDevicesConsolesSource,
  type DomainDevicesDisks,
  type DomainDevicesRngs,
  type DomainDevicesSerialsSource,
  type DomainDevicesSerials,
  type DomainDevicesInputs,
  type DomainDevicesInterfaces,
  type DomainDevicesInterfacesSource,
  type DomainDevicesDisksSource,
  type DomainDevicesGraphics,
  type DomainFeatures,
  type DomainMemoryBackingMemoryHugePages,
  type DomainFeaturesHyperV,
  type DomainOs,
  domainClockToTerraform,
  domainCpuToTerraform,
  domainCpuTuneToTerraform,
  domainDevicesToTerraform,
  domainFeaturesToTerraform,
  domainMemoryBackingToTerraform,
  domainNumaTuneToTerraform,
  domainOsToTerraform,
} from '../.gen/providers/libvirt/domain';
export { Volume, type VolumeConfig } from '../.gen/providers/libvirt/volume';
export { Network, type NetworkConfig } from '../.gen/providers/libvirt/network';
export { Pool, type PoolConfig } from '../.gen/providers/libvirt/pool';
export { CloudinitDisk, type CloudinitDiskConfig } from '../.gen/providers/libvirt/cloudinit-disk';
export { DataLibvirtNodeInfo } from '../.gen/providers/libvirt/data-libvirt-node-info';
