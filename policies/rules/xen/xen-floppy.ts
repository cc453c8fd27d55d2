import type { Rule } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

export const xenFloppy: Rule = {
  id: 'XEN-FLOPPY',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen guests have no floppy drive',
  rationale:
    'libxl attaches CD-ROMs and disks only (xl-disk-configuration(5): devtype is cdrom or disk; libvirt libxl_conf.c, libxlMakeDisk, sets ' +
    'is_cdrom and nothing else), and a floppy name (fda) is not a Xen virtual device name; libvirt leaves floppies out of the xl ' +
    'configuration it writes (xen_xl.c: "XXX floppy disks"). Attach the image as a read-only disk, or run the guest on KVM.',
  sources: [SRC.xlDiskConfiguration, SRC.libvirtLibxlConf],
  check: (ctx) =>
    judgedOn(ctx, 'xen').flatMap((j) =>
      j.effective.disks
        .filter((d) => d.device === 'floppy')
        .map((d) => ({
          target: `${j.target}.disks[${d.index}]`,
          message: `disk ${d.index} of ${j.vm.name} is a floppy, which Xen cannot attach; make it a disk with readonly: true, or pin the VM to KVM with hypervisor: kvm`,
        }))),
};
