import type { Rule } from '../../rule';
import { findingsEach } from '../helpers';
import { SRC } from '../sources';

export const secHostdevNoIommu: Rule = {
  id: 'SEC-HOSTDEV-NO-IOMMU',
  pack: 'security',
  severity: 'error',
  summary: 'PCI passthrough only to hosts with an IOMMU',
  rationale:
    'Without VT-d/AMD-Vi a passed-through device can DMA anywhere in host memory, so the guest owns the host; Xen\'s driver-domain ' +
    'and disaggregation guidance call the security gain lost without an IOMMU.',
  sources: [SRC.xenDriverDomain, SRC.xenDisaggregation, SRC.qemuSecurity],
  check: (ctx) =>
    findingsEach(ctx.judged, (j) =>
      j.vm.hostdevs.length > 0 && j.host?.iommu === false
        ? {
            target: j.target,
            message: `${j.vm.name} passes through ${j.vm.hostdevs.join(', ')} on host ${j.host.name}, which has iommu: false; place it on a host with VT-d/AMD-Vi enabled`,
          }
        : undefined),
};
