import type { Rule } from '../../rule';
import { judgedOn, findingsEach, isPvOrPvh } from '../helpers';
import { SRC } from '../sources';

export const xenWindowsNotHvm: Rule = {
  id: 'XEN-WINDOWS-NOT-HVM',
  pack: 'xen',
  severity: 'error',
  summary: 'Windows guests on Xen run as HVM',
  rationale:
    'Windows has no PV or PVH kernel: it boots from firmware on emulated hardware, which only an HVM guest has (xl.cfg(5): PVH has ' +
    'no firmware; PV boots a Xen-aware kernel). hyperplan makes an undeclared Windows guest HVM; this fires when the fleet sets pv ' +
    'or pvh on one.',
  sources: [SRC.xlCfg],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.vm.os === 'windows' && isPvOrPvh(j)
        ? {
            target: j.target,
            message: `${j.vm.name} is os: windows but a Xen ${String(j.effective.guestType).toUpperCase()} guest, which Windows cannot boot as; set guestType: hvm`,
          }
        : undefined),
};
