import type { Rule } from '../../rule';
import { judgedOn, findingsPer, disksOf } from '../helpers';
import { SRC } from '../sources';

export const xenDiskDevice: Rule = {
  id: 'XEN-DISK-DEVICE',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen guests have disks and CD-ROMs only: no floppy, no SCSI LUN passthrough',
  rationale:
    'libxl attaches CD-ROMs and disks only (xl-disk-configuration(5): devtype is cdrom or disk; libvirt libxl_conf.c, libxlMakeDisk, sets ' +
    'is_cdrom and nothing else), and a floppy name (fda) is not a Xen virtual device name; libvirt leaves floppies out of the xl ' +
    'configuration it writes (xen_xl.c: "XXX floppy disks"). A LUN would reach the guest as a plain disk without SCSI passthrough. ' +
    'Attach a floppy image as a read-only disk, a LUN as a disk (path: or volume:), or run the guest on KVM.',
  sources: [SRC.xlDiskConfiguration, SRC.libvirtLibxlConf],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), disksOf, (j, d) =>
      d.device === 'floppy' || d.device === 'lun'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message:
              d.device === 'floppy'
                ? `disk ${d.index} of ${j.vm.name} is a floppy, which Xen cannot attach; make it a disk with readonly: true, or pin the VM to KVM with hypervisor: kvm`
                : `disk ${d.index} of ${j.vm.name} is a SCSI LUN passthrough (device: lun), which Xen cannot attach; make it a plain disk, or pin the VM to KVM with hypervisor: kvm`,
          }
        : undefined),
};
