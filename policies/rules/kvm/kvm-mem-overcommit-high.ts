import type { Rule } from '../../rule';
import { hostsOf, hostTarget } from '../helpers';
import { SRC } from '../sources';

export const kvmMemOvercommitHigh: Rule = {
  id: 'KVM-MEM-OVERCOMMIT-HIGH',
  pack: 'kvm',
  severity: 'warning',
  summary: 'KVM memory overcommit stays at or below thresholds.maxMemoryOvercommit (default 1.5, Nova\'s)',
  rationale:
    'Nova\'s initial_ram_allocation_ratio is 1.5; beyond it the host relies on swap, KSM and ballooning all working, and Red Hat warns ' +
    'overcommit can OOM-kill important processes.',
  sources: [SRC.novaCompute, SRC.rhelOvercommit],
  check: (ctx) =>
    hostsOf(ctx, 'kvm')
      .filter((h) => h.overcommit.memory > ctx.thresholds.maxMemoryOvercommit)
      .map((h) => ({
        target: hostTarget(h.name),
        message: `KVM host ${h.name} overcommits memory ${h.overcommit.memory}x, above ${ctx.thresholds.maxMemoryOvercommit}x; lower overcommit.memory or raise thresholds.maxMemoryOvercommit with a swap/KSM plan`,
      })),
};
