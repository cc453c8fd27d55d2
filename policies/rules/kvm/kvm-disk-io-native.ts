import type { Rule } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

export const kvmDiskIoNative: Rule = {
  id: 'KVM-DISK-IO-NATIVE',
  pack: 'kvm',
  severity: 'warning',
  summary: 'io=native is used only with cache=none',
  rationale: 'aio=native needs O_DIRECT, i.e. cache=none; with any other cache mode QEMU silently falls back to threads, so the setting does not do what it says.',
  sources: [SRC.rhelTuning, SRC.qemuVirtioBlkScsi],
  check: (ctx) =>
    judgedOn(ctx, 'kvm').flatMap((j) =>
      j.effective.disks
        .filter((d) => d.io === 'native' && d.cache !== 'none')
        .map((d) => ({
          target: `${j.target}.disks[${d.index}]`,
          message: `disk ${d.index} of ${j.vm.name} has io=native with cache=${d.cache ?? 'default'}; QEMU falls back to threads — set cache: none or io: threads`,
        }))),
};
