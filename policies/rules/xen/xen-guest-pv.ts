import type { Rule } from '../../rule';
import { isSensitive, judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenGuestPv: Rule = {
  id: 'XEN-GUEST-PV',
  pack: 'xen',
  severity: 'warning',
  summary: 'General Xen guests run as PVH or HVM, not PV',
  rationale:
    'The Xen Project no longer recommends PV: its advantages have shrunk with PVHVM/PVH while it is harder to manage and exposed ' +
    'to Meltdown (64-bit PV guests can attack Xen on Intel; HVM and PVH cannot). Sensitive and isolated PV guests are reported ' +
    'by XEN-GUEST-PV-SENSITIVE as errors instead.',
  sources: [SRC.xenBestPractices, SRC.xenMeltdownFaq, SRC.xlCfg],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.effective.guestType === 'pv' && !isSensitive(j.vm)
        ? {
            target: j.target,
            message: `${j.vm.name} runs as a Xen PV guest; set guestType: pvh (PVH-capable kernel) or hvm, which are not exposed to Meltdown-class attacks on Xen`,
          }
        : undefined),
};
