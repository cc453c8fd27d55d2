import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

const KIB_PER_MIB = 1024;

export const xenHvmPod: Rule = {
  id: 'XEN-HVM-POD',
  pack: 'xen',
  severity: 'warning',
  summary: 'A Xen HVM guest that boots below its memory runs populate-on-demand',
  rationale:
    'An HVM guest whose memory at boot (currentMemory, xl `memory`) is below its maximum (`maxmem`) starts in populate-on-demand mode: ' +
    'its balloon driver must release the difference early in boot, or the guest is killed when it touches more than it has (xl.cfg(5), maxmem). ' +
    'PV and PVH guests balloon without it. Give HVM guests currentMemory equal to memory unless their PV drivers are known to load.',
  sources: [SRC.xlCfg],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) => {
      const current = j.vm.currentMemoryKiB;
      const memory = j.vm.memoryKiB ?? j.vm.memoryMiB * KIB_PER_MIB;
      if (j.effective.guestType !== 'hvm' || current === undefined || current >= memory) return undefined;
      return { target: j.target, message: `${j.vm.name} is HVM and boots at currentMemory ${current} KiB of ${memory} KiB (populate-on-demand); it needs its balloon driver early in boot, or set currentMemory to memory` };
    }),
};
