import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

/** virtio-blk uses one PCI function per disk; QEMU documents 28 as the practical ceiling. */
export const MAX_VIRTIO_BLK_DISKS = 28;

export const kvmVirtioBlkLimit: Rule = {
  id: 'KVM-VIRTIO-BLK-LIMIT',
  pack: 'kvm',
  severity: 'error',
  summary: `KVM guests have at most ${MAX_VIRTIO_BLK_DISKS} virtio-blk disks`,
  rationale: `Each virtio-blk disk takes a PCI function; QEMU's guidance is virtio-scsi beyond ${MAX_VIRTIO_BLK_DISKS} disks, where one controller serves many.`,
  sources: [SRC.qemuVirtioBlkScsi],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) => {
      // Only a VM with more disks than the limit can pass it: no count (and no filtered list) for the others.
      if (j.effective.disks.length <= MAX_VIRTIO_BLK_DISKS) return undefined;
      const count = j.effective.disks.filter((d) => d.bus === 'virtio').length;
      if (count <= MAX_VIRTIO_BLK_DISKS) return undefined;
      return {
        target: j.target,
        message: `${j.vm.name} has ${count} virtio-blk disks, more than ${MAX_VIRTIO_BLK_DISKS}; put data disks on bus: scsi (virtio-scsi)`,
      };
    }),
};
