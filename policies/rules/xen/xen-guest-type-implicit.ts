import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenGuestTypeImplicit: Rule = {
  id: 'XEN-GUEST-TYPE-IMPLICIT',
  pack: 'xen',
  severity: 'info',
  summary: 'Xen guests state their guest type (pv, pvh, hvm)',
  rationale:
    'xl.cfg still defaults to PV on x86, while hyperplan derives PVH or HVM from firmware, os and image; stating the type keeps the ' +
    'fleet readable and stable if defaults change. Informational: the derived type is safe.',
  sources: [SRC.xlCfg],
  check: (ctx) => {
    if (ctx.fleet.defaults.xen.vm.guestType) return [];
    return findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.vm.guestType === undefined
        ? {
            target: j.target,
            message: `${j.vm.name} has no guestType, so hyperplan derived ${j.effective.guestType}; set guestType: ${j.effective.guestType} (or defaults.xen.vm.guestType) to make it explicit`,
          }
        : undefined);
  },
};
