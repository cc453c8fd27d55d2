/** `hyperplan simulate <fleet> --fail <what>`: which VMs restart where when hosts fail, which cannot and why. */
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../../io/errors';
import { place, simulateFailures, DEFAULT_ENUMERATION_LIMIT, DEFAULT_SAMPLES, DEFAULT_SEED, type FailureRequest, type Simulation } from '../../planner/index';
import { loadFleetOrThrow, readLock } from '../../pipeline/fleet-inputs';
import { pathOption, pathResolver, onlyFleetArgument } from '../paths';
import { choiceOption, stringOption } from '../options';
import { FORMATS } from './plan';

/** `host`, `zone:NAME` or `any:N`. */
export function parseFailure(value: string): FailureRequest {
  if (value.startsWith('zone:')) {
    const zone = value.slice('zone:'.length);
    if (zone === '') throw new UsageError('simulate: --fail zone: needs a zone name, e.g. --fail zone:rack-a');
    return { kind: 'zone', zone };
  }
  if (value.startsWith('any:')) {
    const size = value.slice('any:'.length);
    if (!/^[1-9]\d*$/.test(size)) throw new UsageError(`simulate: --fail any:N needs a whole number N ≥ 1, got '${value}'`);
    return { kind: 'any', size: Number(size) };
  }
  return { kind: 'host', host: value };
}

function wholeOption(value: unknown, name: string, min: number): number | undefined {
  const given = stringOption('simulate', value, name);
  if (given === undefined) return undefined;
  if (!/^\d+$/.test(given) || Number(given) < min) throw new UsageError(`simulate: --${name} needs a whole number ≥ ${min}, got '${given}'`);
  return Number(given);
}

const gib = (mib: number): string => (mib / 1024).toFixed(1);

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

export function simulateText(simulation: Simulation): string {
  const { scenarios, sampling } = simulation;
  const lines: string[] = [];
  if (sampling) {
    lines.push(`sampled ${sampling.samples} of ${sampling.sets} failure sets (seed ${sampling.seed}; above ${DEFAULT_ENUMERATION_LIMIT} sets hyperplan samples; --seed and --samples change it)`, '');
  }
  lines.push(
    ...table([
      ['failed', 'restarted', 'lost', 'reserve broken', 'spare vCPUs', 'spare memory GiB'],
      ...scenarios.map((s) => [
        s.failed.join(' + '),
        String(s.restarted.length),
        String(s.lost.length),
        s.broken.map((b) => `${b.pool} (${b.reserve})`).join(', ') || '-',
        String(s.spare.cpu),
        gib(s.spare.memoryMiB),
      ]),
    ]),
  );
  const worst = scenarios[0]!;
  lines.push('', `worst: ${worst.failed.join(' + ')}`);
  for (const r of worst.restarted) lines.push(`  ${r.vm}: ${r.from} → ${r.to}`);
  for (const l of worst.lost) lines.push(`  ${l.vm}: lost (was on ${l.from})`, ...l.reasons.map((why) => `    ${why}`));
  if (worst.restarted.length === 0 && worst.lost.length === 0) lines.push('  no VM ran there');
  for (const h of worst.hosts) lines.push(`  ${h.name} after: ${h.cpu.used}/${h.cpu.capacity} vCPUs, ${gib(h.memoryMiB.used)}/${gib(h.memoryMiB.capacity)} GiB`);
  const broken = scenarios.flatMap((s) => s.broken.map((b) => ({ failed: s.failed, ...b })));
  if (broken.length > 0) {
    lines.push('', `reserve promises broken (${broken.length}):`);
    for (const b of broken) lines.push(`  migration pool ${b.pool} (${b.reserve}) loses ${b.lost.join(', ')} when ${b.failed.join(' + ')} fail${b.failed.length === 1 ? 's' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'simulate host, zone or any-N failures: which VMs restart where, which are lost and why',
  help: [
    'Usage: hyperplan simulate [fleet] --fail <host | zone:NAME | any:N> [--seed S] [--samples C] [--lock file] [--format text|json]',
    '',
    'Places the fleet as `plan` does (keeping the lock file), then for each failure set takes its hosts away and',
    'restarts their VMs with the planner\'s filters and weighers on the hosts left: anti-affinity, security',
    'class, capacity and every other filter hold, a host sharing a migration pool with the failed one is',
    'preferred, and a restart stays on the failed host\'s hypervisor. When that greedy pass loses VMs a',
    'first-fit pass is tried too and the better one kept. A VM no host admits is lost, with per filter the',
    'hosts it removed.',
    '',
    '  --fail host        one host',
    '  --fail zone:NAME   every host of a zone (rack, power feed)',
    `  --fail any:N       every set of N hosts; above ${DEFAULT_ENUMERATION_LIMIT} sets a seeded sample (said so in the output)`,
    '',
    'Options:',
    `  --seed S           seed of the any:N sample (default ${DEFAULT_SEED}); the same seed gives the same sets`,
    `  --samples C        sets drawn when sampling (default ${DEFAULT_SAMPLES})`,
    '  --lock file        lock file to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --format f         text (default: a table, worst scenario first) or json: { "scenarios": [ { "failed",',
    '                     "restarted": [ { "vm", "from", "to" } ], "lost": [ { "vm", "from", "reasons" } ],',
    '                     "hosts": [ as plan, the hosts that took restarts ], "spare", "broken" } ],',
    '                     "worst": { "failed", "lost" }, "sampling"? }',
    '',
    'Exit codes: 0 every promise kept, 1 a scenario loses a VM of a migration pool whose reserve promised to',
    'survive it (n+1: any one of its hosts, n+2: any two), 2 bad input, unknown host or zone, or usage.',
  ].join('\n'),
  options: { fail: { type: 'string' }, seed: { type: 'string' }, samples: { type: 'string' }, lock: { type: 'string' }, format: { type: 'string' } },
  async run(args, io) {
    const format = choiceOption('simulate', args.values.format, 'format', FORMATS, 'text');
    const file = onlyFleetArgument('simulate', args.positionals, io);
    const fail = stringOption('simulate', args.values.fail, 'fail');
    if (fail === undefined) throw new UsageError('simulate: --fail <host | zone:NAME | any:N> is required');
    const request = parseFailure(fail);
    const seed = wholeOption(args.values.seed, 'seed', 0);
    const samples = wholeOption(args.values.samples, 'samples', 1);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const lock = readLock(pathResolver(io)(file), pathOption('simulate', args.values.lock, 'lock', io));
    const current = place(fleet, lock);
    const result = simulateFailures(fleet, current.placements, request, { ...(seed !== undefined ? { seed } : {}), ...(samples !== undefined ? { samples } : {}) });
    if (!result.ok) throw new InputError([`${file}: ${result.problem}`]);
    io.stdout(format === 'json' ? `${JSON.stringify(result.simulation, null, 2)}\n` : simulateText(result.simulation));
    return result.simulation.scenarios.some((s) => s.broken.length > 0) ? EXIT_FINDINGS : EXIT_OK;
  },
};
