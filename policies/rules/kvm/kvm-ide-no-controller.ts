import { hasBuiltinIde, isX86 } from '../../../fleet/guest-devices';
import type { Rule } from '../../rule';
import { findingsPer, judgedOn, NO_PARTS } from '../helpers';
import { SRC } from '../sources';

export const kvmIdeNoController: Rule = {
  id: 'KVM-IDE-NO-CONTROLLER',
  pack: 'kvm',
  severity: 'error',
  summary: 'KVM IDE disks and CD-ROMs only on machines with an IDE controller (i440FX, not q35)',
  rationale:
    "QEMU's q35 machine has an AHCI (SATA) controller and no IDE; the non-x86 machines have neither. libvirt refuses the domain with " +
    '"IDE controllers are unsupported for this QEMU binary or machine type" (qemuDomainMachineHasBuiltinIDE). Use bus sata on q35, ' +
    'scsi on the other architectures, or machine pc for a guest that needs IDE.',
  sources: [SRC.libvirtQemuDomain],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), (j) => (isX86(j.effective.arch) && hasBuiltinIde(j.effective.machine) ? NO_PARTS : j.effective.disks), (j, d) => {
      const e = j.effective;
      return d.bus === 'ide'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `${d.device} ${d.index} of ${j.vm.name} is on bus ide, which machine ${e.machine} (${e.arch}) does not have; set bus: ${isX86(e.arch) ? 'sata' : 'scsi'}`,
          }
        : undefined;
    }),
};
