import type { Rule } from '../../rule';
import { findingsEach } from '../helpers';
import { SRC } from '../sources';

export const migHostdev: Rule = {
  id: 'MIG-HOSTDEV',
  pack: 'migration',
  severity: 'error',
  summary: 'VMs in migration pools have no PCI passthrough devices',
  rationale:
    'VMs with PCI, vGPU or SR-IOV passthrough are not live-migratable on KVM (except vendor-specific VF migration), and Xen\'s ' +
    'log-dirty tracking does not work with passthrough. Choose one: passthrough or migration.',
  sources: [SRC.harvesterMigration, SRC.xenMigration],
  check: (ctx) =>
    findingsEach(ctx.fleet.vms, (vm) =>
      vm.migrationPool !== undefined && vm.hostdevs.length > 0
        ? {
            target: `vms[${vm.name}]`,
            message: `${vm.name} is in migration pool ${vm.migrationPool} but passes through ${vm.hostdevs.join(', ')}; remove the hostdevs or take the VM out of the pool`,
          }
        : undefined),
};
