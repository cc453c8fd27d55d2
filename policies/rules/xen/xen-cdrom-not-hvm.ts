import type { Rule } from '../../rule';
import { judgedOn } from '../helpers';
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
    judgedOn(ctx, 'xen').flatMap((j) => {
      const type = j.effective.guestType;
      if (type === 'hvm') return [];
      return j.effective.disks
        .filter((d) => d.device === 'cdrom')
        .map((d) => ({
          target: `${j.target}.disks[${d.index}]`,
          message: `disk ${d.index} of ${j.vm.name} is a CD-ROM on a Xen ${String(type).toUpperCase()} guest, which has no emulated CD-ROM; attach the image as a disk with readonly: true, or set guestType: hvm`,
        }));
    }),
};
