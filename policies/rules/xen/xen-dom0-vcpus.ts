import type { Rule } from '../../rule';
import { hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const xenDom0Vcpus: Rule = {
  id: 'XEN-DOM0-VCPUS',
  pack: 'xen',
  severity: 'warning',
  summary: 'Dom0 has a declared vCPU count greater than 1',
  rationale:
    'dom0_max_vcpus defaults to every physical CPU, so an undeclared Dom0 competes with guests for all cores; SUSE warns never to ' +
    'limit Dom0 to a single vCPU, since it serves every guest\'s I/O. Declare a bounded count of a few vCPUs.',
  sources: [SRC.xenCommandLine, SRC.suseDom0Vcpus, SRC.dom0CpuMemory],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      const vcpus = h.dom0?.vcpus;
      if (vcpus === undefined) {
        return [{
          target: `${hostTarget(h.name)}.dom0`,
          message: `Dom0 of ${h.name} declares no vcpus, so it may use all ${h.cpus} CPUs (dom0_max_vcpus default); set dom0: { vcpus: <n> } (2–4 for most hosts) and pin them`,
        }];
      }
      if (vcpus > 1) return [];
      return [{
        target: `${hostTarget(h.name)}.dom0`,
        message: `Dom0 of ${h.name} has ${vcpus} vCPU; one vCPU serialises all guest I/O, set dom0.vcpus to at least 2`,
      }];
    }),
};
