/** `hyperplan explain <fleet> <vm>`: for every host, each filter's verdict and each weigher's score. */
import type { Command } from '../command';
import { EXIT_OK, InputError } from '../../io/errors';
import {
  explain, XEN_CRASH_KERNEL_MIB, XEN_HYPERVISOR_MEMORY_MIB, type Explanation, type HostMemory, type VmDemand,
} from '../../planner/index';
import { loadFleetOrThrow, readLock } from '../../pipeline/fleet-inputs';
import { choiceOption } from '../options';
import { pathOption, pathResolver, fleetAndName } from '../paths';
import { FORMATS } from './plan';

function demandText(d: VmDemand): string {
  const memory = d.hugepageMiB > 0 ? `${d.hugepageMiB} MiB of hugepages` : `${d.memoryMiB} MiB`;
  return `needs ${d.vcpus} vCPUs, ${memory} and ${d.overheadMiB} MiB per-guest overhead (QEMU on KVM, paging memory on Xen)`;
}

/** `memory 262144 − Dom0 8192 − Xen 384 … = usable` so an operator sees where a host's memory goes. */
function memoryText(m: HostMemory): string {
  const parts = [`memory ${m.totalMiB} MiB`, `− ${m.reservedMiB} ${m.reservedFor}`];
  if (m.hypervisorMiB > 0) parts.push(`− ${m.hypervisorMiB} Xen (hypervisor ${XEN_HYPERVISOR_MEMORY_MIB} + crash kernel ${XEN_CRASH_KERNEL_MIB})`);
  if (m.hugepageMiB > 0) parts.push(`− ${m.hugepageMiB} hugepage pool`);
  return `${parts.join(' ')}, × ${m.overcommit} = ${m.usableMiB} MiB for guests`;
}

function explanationText(e: Explanation): string {
  const lines = [`${e.vm}: ${e.chosen === undefined ? 'unplaced' : `placed on ${e.chosen}`}; ${demandText(e.demand)}`, ''];
  for (const host of e.hosts) {
    const failed = host.filters.find((f) => !f.pass);
    if (failed) {
      lines.push(`  ${host.host}: removed by ${failed.reason}`);
    } else {
      const scores = host.weighers.map((w) => `${w.weigher} ${w.score.toFixed(3)}×${w.weight}`).join(', ');
      lines.push(`  ${host.host}${host.host === e.chosen ? ' (chosen)' : ''}: eligible, score ${host.total!.toFixed(3)} (${scores})`);
    }
    lines.push(`    ${memoryText(host.memory)}`);
    for (const note of host.notes) lines.push(`    note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'show why a VM is placed where it is: every filter and weigher per host',
  help: [
    'Usage: hyperplan explain [fleet] <vm> [--lock file] [--format text|json]',
    '',
    'Plans the fleet, then judges every host for <vm> against that plan (with the VM itself taken out):',
    'for each host, each filter passes or removes it with a reason, and each weigher gives a score.',
    '',
    'Options:',
    '  --lock file     lock file to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --format f      text (default) or json: { "vm", "demand", "chosen", "hosts": [ { "host", "memory",',
    '                  "notes", "filters", "eligible", "weighers", "total" } ] }',
    '',
    'Exit codes: 0 explained, 2 bad input, unknown VM or usage.',
  ].join('\n'),
  options: { lock: { type: 'string' }, format: { type: 'string' } },
  async run(args, io) {
    const format = choiceOption('explain', args.values.format, 'format', FORMATS, 'text');
    const { file, name: vm } = fleetAndName('explain', 'VM', args.positionals, io);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const lock = readLock(pathResolver(io)(file), pathOption('explain', args.values.lock, 'lock', io));
    const result = explain(fleet, vm, lock);
    if (!result.ok) throw new InputError([`${file}: ${result.problem}`]);
    io.stdout(format === 'json' ? `${JSON.stringify(result.explanation, null, 2)}\n` : explanationText(result.explanation));
    return EXIT_OK;
  },
};
