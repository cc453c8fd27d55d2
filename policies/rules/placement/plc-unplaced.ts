import type { Rule } from '../../rule';
import { listNames } from '../helpers';
import { SRC } from '../sources';

export const plcUnplaced: Rule = {
  id: 'PLC-UNPLACED',
  pack: 'placement',
  severity: 'error',
  summary: 'Every VM is placed',
  rationale: 'An unplaced VM is not synthesized; the plan is incomplete. The message groups hosts by the filter that removed them so the fix is visible.',
  sources: [SRC.novaCompute],
  check: (ctx) =>
    ctx.placement.unplaced.map((u) => {
      const byReason = new Map<string, string[]>();
      for (const [host, reason] of Object.entries(u.reasons)) byReason.set(reason, [...(byReason.get(reason) ?? []), host]);
      const summary = [...byReason]
        .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
        .map(([reason, hosts]) => `${reason} (${hosts.length === 1 ? '' : `${hosts.length} hosts: `}${listNames(hosts, 3)})`)
        .join('; ');
      return {
        target: `vms[${u.vm}]`,
        message: `${u.vm} could not be placed: ${summary || 'no hosts'}; add capacity, relax its constraints, or run 'hyperplan explain' for details`,
      };
    }),
};
