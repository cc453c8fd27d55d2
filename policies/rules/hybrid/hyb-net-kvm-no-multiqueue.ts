import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const hybNetKvmNoMultiqueue: Rule = {
  id: 'HYB-NET-KVM-NO-MULTIQUEUE',
  pack: 'hybrid',
  severity: 'info',
  summary: 'Network-heavy KVM guests with several vCPUs use vhost-net with multiqueue',
  rationale:
    'virtio-net multiqueue (driver vhost, queues = vCPUs) spreads packet processing over vCPUs; it helps most for large or many-flow ' +
    'traffic, costs 64 KiB of vhost memory per queue and can slow small-packet TCP, hence info.',
  sources: [SRC.rhelTuning, SRC.okdMultiQueue],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) => {
      if (j.vm.workload !== 'network-heavy' || j.vm.vcpus < 2) return undefined;
      const lacking = j.effective.nics.filter((n) => !n.vhost || (n.queues ?? 1) < 2);
      if (lacking.length === 0) return undefined;
      return {
        target: j.target,
        message: `${j.vm.name} is network-heavy with ${j.vm.vcpus} vCPUs but NIC(s) ${lacking.map((n) => n.index).join(', ')} lack vhost multiqueue; use model: virtio and queues: ${j.vm.vcpus}`,
      };
    }),
};
