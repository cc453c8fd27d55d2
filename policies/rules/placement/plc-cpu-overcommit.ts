import type { Rule } from '../../rule';
import { hostTarget } from '../helpers';
import { SRC } from '../sources';

export const plcCpuOvercommit: Rule = {
  id: 'PLC-CPU-OVERCOMMIT',
  pack: 'placement',
  severity: 'warning',
  summary: 'CPU overcommit (declared and placed) stays at or below thresholds.maxCpuOvercommit (default 16, Nova\'s)',
  rationale:
    'Nova\'s initial_cpu_allocation_ratio is 16; beyond it vCPUs wait for physical cores and latency grows (Soriga & Barbulescu saw ' +
    'performance fall once VMs exceed cores). Both the host\'s declared ratio and what the placement actually puts on it are checked.',
  sources: [SRC.novaCompute, SRC.perfMixed],
  check: (ctx) => {
    const bound = ctx.thresholds.maxCpuOvercommit;
    const used = new Map(ctx.placement.hosts.map((u) => [u.name, u.cpu.used]));
    return ctx.fleet.hosts.flatMap((h) => {
      const placedRatio = (used.get(h.name) ?? 0) / h.cpus;
      if (h.overcommit.cpu > bound) {
        return [{ target: hostTarget(h.name), message: `host ${h.name} allows CPU overcommit ${h.overcommit.cpu}x, above ${bound}x; lower overcommit.cpu or raise thresholds.maxCpuOvercommit` }];
      }
      if (placedRatio > bound) {
        return [{ target: hostTarget(h.name), message: `host ${h.name} carries ${used.get(h.name)} vCPUs on ${h.cpus} CPUs (${placedRatio.toFixed(1)}x), above ${bound}x; move VMs or unpin them` }];
      }
      return [];
    });
  },
};
