import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const xenNumaStrict: Rule = {
  id: 'XEN-NUMA-STRICT',
  pack: 'xen',
  severity: 'warning',
  summary: 'numa: strict is not enforced on Xen guests',
  rationale:
    'hyperplan renders <numatune> for KVM guests only. On Xen, libxl places a domain on NUMA nodes itself: without cpus= it picks ' +
    'node(s) with enough free memory and pCPUs and makes them the domain\'s node-affinity and soft vCPU affinity; only hard ' +
    'pinning (cpus=) guarantees local memory (xl-numa-placement(7)). That matches numa: preferred, not strict.',
  sources: [SRC.xlNumaPlacement, SRC.xlCfg],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.vm.numa === 'strict'
        ? {
            target: j.target,
            message:
              `${j.vm.name} asks for numa: strict but runs on Xen, where libxl's automatic placement is best effort; ` +
              'use numa: preferred, or run it on KVM where numatune binds its memory',
          }
        : undefined),
};
