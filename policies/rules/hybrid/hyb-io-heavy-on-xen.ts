import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const hybIoHeavyOnXen: Rule = {
  id: 'HYB-IO-HEAVY-ON-XEN',
  pack: 'hybrid',
  severity: 'info',
  summary: 'In a hybrid fleet, I/O-heavy VMs prefer KVM',
  rationale:
    'The fleet\'s guidance puts general and I/O-heavy workloads on KVM (virtio-blk, io=native, iothreads), but the evidence is mixed ' +
    '(one study found Xen ahead on filesystem benchmarks), so a performance-only preference is informational, never a block.',
  sources: [SRC.perfMixed, SRC.qemuVirtioBlkScsi],
  check: (ctx) => {
    if (!ctx.hypervisors.has('kvm')) return [];
    return findingsEach(judgedOn(ctx, 'xen'), (j) =>
      j.vm.workload === 'io-heavy'
        ? {
            target: j.target,
            message: `${j.vm.name} is io-heavy but runs on Xen while the fleet has KVM hosts; consider hypervisor: kvm (or auto) for virtio-blk with cache=none/io=native`,
          }
        : undefined);
  },
};
