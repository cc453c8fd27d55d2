import { XEN_DISK_FORMATS } from '../../../fleet/guest-devices';
import type { Rule } from '../../rule';
import { judgedOn, findingsPer, disksOf } from '../helpers';
import { SRC } from '../sources';

export const xenDiskFormat: Rule = {
  id: 'XEN-DISK-FORMAT',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen disks are raw, qcow, qcow2, qed or vhd',
  rationale:
    "libvirt's libxl driver maps a disk's format to libxl's for raw, qcow, qcow2, qed and vhd only and refuses the others with " +
    '"libxenlight does not support disk format" (libxl_conf.c, libxlMakeDisk); QEMU on KVM opens vmdk, vdi, vpc and the rest. ' +
    'Convert the image (qemu-img convert -O qcow2), or run the guest on KVM.',
  sources: [SRC.libvirtLibxlConf],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), disksOf, (j, d) =>
      XEN_DISK_FORMATS.has(d.format)
        ? undefined
        : {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} is ${d.format}, which libxl cannot open; convert it to qcow2 or raw (qemu-img convert), or pin the VM to KVM with hypervisor: kvm`,
          }),
};
