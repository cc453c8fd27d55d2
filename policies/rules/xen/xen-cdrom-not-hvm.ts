import type { Rule } from '../../rule';
import { judgedOn, findingsPer, NO_PARTS } from '../helpers';
import { SRC } from '../sources';

export const xenCdromNotHvm: Rule = {
  id: 'XEN-CDROM-NOT-HVM',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen CD-ROMs only on HVM guests',
  rationale:
    'A CD-ROM is an emulated device of the HVM device model (QEMU); PV and PVH guests have no emulated devices and see every disk through ' +
    'blkfront (xl-disk-configuration(5): devtype=cdrom is for HVM guests). Give a PV/PVH guest the image as a read-only disk (readonly: true), or make it HVM.',
  sources: [SRC.xlDiskConfiguration],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), (j) => (j.effective.guestType === 'hvm' ? NO_PARTS : j.effective.disks), (j, d) =>
      d.device === 'cdrom'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} is a CD-ROM on a Xen ${String(j.effective.guestType).toUpperCase()} guest, which has no emulated CD-ROM; attach the image as a disk with readonly: true, or set guestType: hvm`,
          }
        : undefined),
};
