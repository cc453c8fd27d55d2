import type { Rule } from '../../rule';
import { findingsPer } from '../helpers';
import { SRC } from '../sources';

export const secDataDiskUnprotected: Rule = {
  id: 'SEC-DATA-DISK-UNPROTECTED',
  pack: 'security',
  severity: 'warning',
  summary: 'Data volumes keep Terraform delete protection (preventDestroy)',
  rationale:
    'Data disks outlive the VM; with prevent_destroy off, a rename or a force-new attribute change makes Terraform destroy the ' +
    'volume and its data. Turn protection off only for scratch data, deliberately.',
  sources: [SRC.terraformPreventDestroy],
  check: (ctx) =>
    findingsPer(ctx.fleet.vms, (vm) => vm.disks, (vm, disk) => {
      if (!disk.data || disk.preventDestroy !== false) return undefined;
      const index = vm.disks.indexOf(disk);
      return { target: `vms[${vm.name}].disks[${index}]`, message: `data disk ${index} of ${vm.name} has preventDestroy: false, so Terraform may destroy its data on replacement; remove preventDestroy (default true) or suppress for scratch data` };
    }),
};
