import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

const KIB_PER_MIB = 1024;

export const kvmCurrentMemoryNoBalloon: Rule = {
  id: 'KVM-CURRENT-MEMORY-NO-BALLOON',
  pack: 'kvm',
  severity: 'error',
  summary: 'A KVM guest that boots below its memory (currentMemory) has a balloon device',
  rationale:
    'currentMemory is the balloon target at boot: QEMU gives the guest its full memory and the virtio balloon driver hands the rest back. ' +
    'With balloon: false there is no balloon device (memballoon model none), so the target cannot be applied and the guest keeps all of its memory.',
  sources: [SRC.libvirtMemoryAllocation],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) => {
      const current = j.vm.currentMemoryKiB;
      const memory = j.vm.memoryKiB ?? j.vm.memoryMiB * KIB_PER_MIB;
      if (current === undefined || current >= memory || j.effective.balloon) return undefined;
      return { target: j.target, message: `${j.vm.name} boots at currentMemory ${current} KiB of ${memory} KiB but has balloon: false; remove balloon: false or currentMemory` };
    }),
};
