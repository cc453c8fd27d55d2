import type { Rule } from '../../rule';
import { isSensitive, judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenGuestPvSensitive: Rule = {
  id: 'XEN-GUEST-PV-SENSITIVE',
  pack: 'xen',
  severity: 'error',
  summary: 'Sensitive and isolated Xen guests never run as PV',
  rationale:
    '64-bit PV guests can read hypervisor memory through Meltdown on Intel (XSA-254) and many XSAs are exploitable only from PV ' +
    '(e.g. XSA-251, CVE-2018-12891); moving to HVM or PVH is Xen\'s own mitigation. A guest that must be isolated cannot use the mode with the largest attack surface.',
  sources: [SRC.xenMeltdownFaq, SRC.xenBestPractices, SRC.xlCfg],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.effective.guestType === 'pv' && isSensitive(j.vm)
        ? {
            target: j.target,
            message: `${j.vm.name} is securityClass ${j.vm.securityClass} but runs as a Xen PV guest; set guestType: pvh (or hvm with PV drivers)`,
          }
        : undefined),
};
