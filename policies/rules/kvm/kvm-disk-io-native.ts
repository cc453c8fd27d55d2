import type { EffectiveDisk } from '../../../fleet/effective-vm';
import type { Rule } from '../../rule';
import { disksOf, findingsPer, judgedOn } from '../helpers';
import { SRC } from '../sources';

/** Why io=native does not work on this disk, or undefined when it does. */
function nativeProblem(disk: EffectiveDisk): string | undefined {
  if (disk.cache !== 'none') return `cache=${disk.cache ?? 'default'}: QEMU refuses aio=native without O_DIRECT — set cache: none or io: threads`;
  if (disk.format !== 'raw') return `a sparse ${disk.format} volume: io_submit() blocks QEMU's event loop while the filesystem allocates each new cluster — set io: threads (or io_uring), or use a raw volume`;
  return undefined;
}

export const kvmDiskIoNative: Rule = {
  id: 'KVM-DISK-IO-NATIVE',
  pack: 'kvm',
  severity: 'warning',
  summary: 'io=native is used only with cache=none on raw (fully allocated) volumes',
  rationale:
    'aio=native needs O_DIRECT, i.e. cache=none (QEMU block/file-posix.c refuses it otherwise). Linux AIO also submits from ' +
    "QEMU's event loop and blocks there whenever the filesystem must allocate blocks, which a sparse qcow2 does on every first " +
    'write to a cluster; use io=threads (or io_uring) for qcow2 and keep native for raw volumes, as Nova does.',
  sources: [SRC.qemuFilePosix, SRC.novaImageBackend, SRC.rhelTuning, SRC.qemuVirtioBlkScsi],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), disksOf, (j, d) => {
      const problem = d.io === 'native' ? nativeProblem(d) : undefined;
      return problem === undefined ? undefined : { target: `${j.target}.disks[${d.index}]`, message: `disk ${d.index} of ${j.vm.name} has io=native on ${problem}` };
    }),
};
