import type { Rule } from '../../rule';
import { judgedOn, findingsPer, isPvOrPvh, NO_PARTS } from '../helpers';
import { SRC } from '../sources';

export const xenPvDiskBus: Rule = {
  id: 'XEN-PV-DISK-BUS',
  pack: 'xen',
  severity: 'error',
  summary: 'PV and PVH guest disks use bus xen',
  rationale:
    'PV and PVH guests have no emulated controllers (PVH has no device model at all); their disks are xvdX devices served by blkfront, ' +
    'which libvirt writes as bus xen. An ide/sata/scsi/usb disk cannot be attached. virtio is reported by XEN-VIRTIO-DEVICE.',
  sources: [SRC.libvirtLibxlPvh, SRC.xlCfg],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'xen'), (j) => (isPvOrPvh(j) ? j.effective.disks : NO_PARTS), (j, d) =>
      d.bus !== 'xen' && d.bus !== 'virtio'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} uses bus ${d.bus} on a Xen ${String(j.effective.guestType).toUpperCase()} guest, which has no emulated controllers; set bus: xen or remove the bus to use the default`,
          }
        : undefined),
};
