import type { Rule } from '../../rule';
import { disksOf, findingsPer, judgedOn } from '../helpers';
import { SRC } from '../sources';

const PARAVIRT_BUSES: ReadonlySet<string> = new Set(['virtio', 'scsi']);

export const kvmDiskBus: Rule = {
  id: 'KVM-DISK-BUS',
  pack: 'kvm',
  severity: 'warning',
  summary: 'KVM disks use virtio (virtio-blk) or scsi (virtio-scsi)',
  rationale:
    'QEMU\'s maintainers recommend virtio-blk for performance-critical disks and virtio-scsi for many disks or SCSI features; ' +
    'ide, sata and usb are emulated controllers with far lower throughput and higher CPU cost.',
  sources: [SRC.qemuVirtioBlkScsi, SRC.virtioBlkVsScsi],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), disksOf, (j, d) =>
      // A CD-ROM is never virtio-blk; its bus is judged by KVM-IDE-NO-CONTROLLER. Bus xen is no emulated
      // bus but none at all on KVM: KVM-XEN-DISK-BUS's error.
      d.device === 'disk' && !PARAVIRT_BUSES.has(d.bus) && d.bus !== 'xen'
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} uses emulated bus ${d.bus}; set bus: virtio (or scsi for many disks / SCSI passthrough)`,
          }
        : undefined),
};
