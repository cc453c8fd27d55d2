/** `hyperplan drain <fleet> <host>`: where each VM of a host goes, and the live-migration command for it. */
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, InputError } from '../../io/errors';
import { drain, type DrainPlan } from '../../planner/index';
import { loadFleetOrThrow, readLock } from '../../pipeline/fleet-inputs';
import { choiceOption } from '../options';
import { pathOption, pathResolver, fleetAndName } from '../paths';
import { FORMATS } from './plan';

function drainText(d: DrainPlan): string {
  if (d.steps.length === 0 && d.rebuilds.length === 0) return `${d.host} runs no VM; nothing to drain\n`;
  const lines = [`drain ${d.host}:`];
  for (const step of d.steps) {
    if (step.to === undefined) lines.push(`  ${step.vm}: stays (${step.reason})`);
    else if (step.command !== undefined) lines.push(`  ${step.vm} → ${step.to}: ${step.command}`);
    else lines.push(`  ${step.vm} → ${step.to}: cold move, no live migration (${step.reason})`);
  }
  if (d.rebuilds.length > 0) {
    lines.push('rebuilds on the other hypervisor (not migrations):');
    for (const rebuild of d.rebuilds) lines.push(`  ${rebuild.vm} → ${rebuild.to}: ${rebuild.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export const drainCommand: Command = {
  name: 'drain',
  summary: 'plan emptying a host: target per VM and the virsh live-migration command',
  help: [
    'Usage: hyperplan drain [fleet] <host> [--lock file] [--format text|json]',
    '',
    'Re-plans the fleet without <host>, keeping every other placement, and prints for each VM of the host',
    'its target on the same hypervisor and either `virsh -c <source> migrate --live --persistent',
    '--undefinesource <transport flags> [--copy-storage-all] <vm> <target>` or why it cannot live-migrate',
    '(different pool, local disks that cannot be copied, host-passthrough CPU across differing CPU models,',
    'PCI passthrough). Transport flags follow the migration pool: tls → --tls (QEMU TLS certificates on',
    'both hosts), tunnelled → --p2p --tunnelled, plain → none. --copy-storage-all copies disks on pools',
    'that are not shared. VMs that only fit on the other hypervisor are listed apart as rebuilds.',
    '',
    'Options:',
    '  --lock file     lock file to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --format f      text (default) or json: { "host", "steps": [ { "vm", "to", "command" | "reason" } ],',
    '                  "rebuilds": [ { "vm", "to", "reason" } ] }',
    '',
    'Exit codes: 0 every VM has a target, 1 some VM has none, 2 bad input, unknown host or usage.',
  ].join('\n'),
  options: { lock: { type: 'string' }, format: { type: 'string' } },
  async run(args, io) {
    const format = choiceOption('drain', args.values.format, 'format', FORMATS, 'text');
    const { file, name: host } = fleetAndName('drain', 'host', args.positionals, io);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const lock = readLock(pathResolver(io)(file), pathOption('drain', args.values.lock, 'lock', io));
    const result = drain(fleet, host, lock);
    if (!result.ok) throw new InputError([`${file}: ${result.problem}`]);
    io.stdout(format === 'json' ? `${JSON.stringify(result.drain, null, 2)}\n` : drainText(result.drain));
    return result.drain.steps.some((s) => s.to === undefined) ? EXIT_FINDINGS : EXIT_OK;
  },
};
