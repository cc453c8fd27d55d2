/** The smallest valid model objects; each test area's fixtures add the defaults its cases build on. */
import type { Vm } from '../../fleet/model';

/** A VM with every required field at its neutral value: 2 vCPUs, 4 GiB, no disks, no NICs, placed automatically. */
export function minimalVm(name: string): Vm {
  return {
    name,
    vcpus: 2,
    memoryMiB: 4096,
    hypervisor: 'auto',
    secureBoot: false,
    disks: [],
    networks: [],
    securityClass: 'general',
    workload: 'general',
    hugepages: false,
    numa: 'none',
    hostdevs: [],
    autostart: true,
  };
}
