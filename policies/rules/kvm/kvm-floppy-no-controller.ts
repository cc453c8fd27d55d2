import { isX86 } from '../../../fleet/guest-devices';
import type { Rule } from '../../rule';
import { judgedOn, findingsPer, NO_PARTS } from '../helpers';
import { SRC } from '../sources';

export const kvmFloppyNoController: Rule = {
  id: 'KVM-FLOPPY-NO-CONTROLLER',
  pack: 'kvm',
  severity: 'error',
  summary: 'KVM floppies only on x86 PC machines (i440FX, q35)',
  rationale:
    "A floppy drive hangs off QEMU's ISA floppy controller (isa-fdc): built into the i440FX and ISA PC machines, added by libvirt " +
    'on q35 (qemu_domain.c, qemuDomainNeedsFDC; qemu_command.c builds isa-fdc). microvm and the machines of the other architectures ' +
    '(virt, pseries, s390-ccw-virtio) have no ISA bus, so the guest cannot start. Attach the image as a read-only disk instead.',
  sources: [SRC.libvirtQemuDomain, SRC.libvirtQemuCommand],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), (j) => (isX86(j.effective.arch) && j.effective.machine !== 'microvm' ? NO_PARTS : j.effective.disks), (j, d) =>
      d.device === 'floppy'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} is a floppy, which machine ${j.effective.machine} (${j.effective.arch}) has no controller for; make it a disk with readonly: true`,
          }
        : undefined),
};
