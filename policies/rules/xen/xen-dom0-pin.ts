import type { Rule } from '../../rule';
import { hostsOf, hostTarget, listNames } from '../helpers';
import { SRC } from '../sources';

const IO_WORKLOADS: ReadonlySet<string> = new Set(['io-heavy', 'network-heavy']);

export const xenDom0Pin: Rule = {
  id: 'XEN-DOM0-PIN',
  pack: 'xen',
  severity: 'info',
  summary: 'Dom0 vCPUs are pinned on hosts carrying I/O- or network-heavy VMs',
  rationale:
    'Every PV disk and network request passes through Dom0\'s backends; pinning Dom0 to dedicated cores (dom0_vcpus_pin) lets it ' +
    'serve that I/O promptly instead of waiting behind guest vCPUs. dom0_vcpus_pin defaults to false. A tuning hint, hence info.',
  sources: [SRC.xenCommandLine, SRC.dom0CpuMemory],
  check: (ctx) =>
    hostsOf(ctx, 'xen').flatMap((h) => {
      if (h.dom0?.pin === true) return [];
      const heavy = (ctx.placedOn.get(h.name) ?? []).filter((j) => IO_WORKLOADS.has(j.vm.workload)).map((j) => j.vm.name);
      if (heavy.length === 0) return [];
      return [{
        target: `${hostTarget(h.name)}.dom0`,
        message: `Dom0 of ${h.name} is not pinned but the host runs I/O- or network-heavy VMs (${listNames(heavy)}); set dom0: { pin: true, vcpus: <n> }`,
      }];
    }),
};
