/** `hyperplan maintenance <fleet> (--pool P | --zone Z | --hosts a,b)`: patch hosts in waves of live migrations. */
import type { Command } from '../command';
import { EXIT_OK, InputError, UsageError } from '../../io/errors';
import {
  place, planMaintenance, DEFAULT_BANDWIDTH_BITS, DEFAULT_PARALLEL, DIRTY_PAGE_FACTOR, type MaintenancePlan, type MaintenanceTarget,
} from '../../planner/index';
import { loadFleetOrThrow, readLock } from '../../pipeline/fleet-inputs';
import { pathOption, pathResolver, onlyFleetArgument } from '../paths';
import { choiceOption, stringOption } from '../options';
import { FORMATS } from './plan';

const BANDWIDTH = /^(\d+(?:\.\d+)?)\s*([KMG])bit(?:\/s)?$/i;
const BIT_UNITS: Readonly<Record<string, number>> = { K: 1e3, M: 1e6, G: 1e9 };

/** `10Gbit`, `2.5Gbit/s`, `800Mbit` → bits per second. */
export function parseBandwidth(value: string): number {
  const match = BANDWIDTH.exec(value.trim());
  const bits = match ? Number(match[1]) * BIT_UNITS[match[2]!.toUpperCase()]! : 0;
  if (!(bits > 0)) throw new UsageError(`maintenance: --bandwidth takes a rate like 10Gbit, 2.5Gbit/s or 800Mbit, got '${value}'`);
  return bits;
}

function target(values: Readonly<Record<string, unknown>>): MaintenanceTarget {
  const pool = stringOption('maintenance', values.pool, 'pool');
  const zone = stringOption('maintenance', values.zone, 'zone');
  const hosts = stringOption('maintenance', values.hosts, 'hosts');
  const given = [pool, zone, hosts].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('maintenance: give exactly one of --pool, --zone or --hosts');
  if (pool !== undefined) return { kind: 'pool', pool };
  if (zone !== undefined) return { kind: 'zone', zone };
  const names = hosts!.split(',').map((h) => h.trim());
  if (names.some((h) => h === '')) throw new UsageError(`maintenance: --hosts takes host names separated by commas, got '${hosts}'`);
  return { kind: 'hosts', hosts: names };
}

export function maintenanceText(result: MaintenancePlan, parallel: number): string {
  const lines: string[] = [];
  result.waves.forEach((wave, i) => {
    lines.push(`wave ${i + 1}: ${wave.hosts.join(', ')} (~${wave.seconds} s)`);
    let step = 0;
    for (const m of wave.migrations) {
      if (m.step !== step) {
        step = m.step;
        lines.push(`  step ${step}${parallel > 1 ? ` (at most ${parallel} at once)` : ''}:`);
      }
      lines.push(`    ${m.phase === 'return' ? 'return ' : ''}${m.vm}: ${m.from} → ${m.to} (~${m.seconds} s)`, `      ${m.command}`);
    }
    for (const c of wave.cold) lines.push(`  cold ${c.vm} (stays on ${c.host}, shut down while it is patched): ${c.reason}`);
    if (wave.migrations.length === 0 && wave.cold.length === 0) lines.push('  no VM to move');
  });
  const { total } = result;
  lines.push('', `total: ${total.waves} wave(s), ${total.migrations} migration(s), ~${total.seconds} s of migration`);
  return `${lines.join('\n')}\n`;
}

export const maintenanceCommand: Command = {
  name: 'maintenance',
  summary: 'plan patching a pool, zone or hosts in waves of live migrations',
  help: [
    'Usage: hyperplan maintenance [fleet] (--pool P | --zone Z | --hosts a,b) [--parallel N] [--bandwidth 10Gbit] [--return]',
    '                             [--lock file] [--format text|json]',
    '',
    'Places the fleet as `plan` does (keeping the lock file), then orders the hosts into waves. Each wave empties',
    'its hosts by live migration to hosts of the same migration pool that stay up, each target kept by the',
    'planner\'s filters as the fleet stands after the migrations before it (capacity, anti-affinity, security',
    'class never broken at any step); commands are `virsh migrate` exactly as `drain` prints them. A VM that',
    'cannot live-migrate (no pool, PCI passthrough, local disks Xen cannot copy …) is listed as cold: it stays and',
    'is shut down while its host is patched. Fewest waves first, then fewest migrations (a greedy plan).',
    '',
    `Estimated seconds per migration: (guest RAM + disks copied by --copy-storage-all) × 8 bits × ${DIRTY_PAGE_FACTOR}`,
    `(dirty pages re-sent during pre-copy: an assumption, not a measurement) ÷ bandwidth. Migrations run in steps`,
    'of at most --parallel at once; a step lasts as long as its longest migration, a wave as its steps together.',
    '',
    'Options:',
    '  --pool P          every host of migration pool P',
    '  --zone Z          every host of zone Z',
    '  --hosts a,b       these hosts',
    `  --parallel N      live migrations at once (default ${DEFAULT_PARALLEL}, as Nova's max_concurrent_live_migrations)`,
    `  --bandwidth R     what one migration gets, e.g. 10Gbit, 2.5Gbit/s, 800Mbit (default ${DEFAULT_BANDWIDTH_BITS / 1e9}Gbit)`,
    '  --return          migrate the VMs back once their host is patched (default: they stay where they went)',
    '  --lock file       lock file to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --format f        text (default) or json: { "waves": [ { "hosts", "migrations": [ { "vm", "from", "to", "command",',
    '                    "phase", "step", "seconds" } ], "cold": [ { "vm", "host", "reason" } ], "seconds" } ],',
    '                    "total": { "waves", "migrations", "seconds" } }',
    '',
    'Exit codes: 0 a plan was made (cold VMs included), 2 bad input, unknown pool, zone or host, or usage.',
  ].join('\n'),
  options: {
    pool: { type: 'string' },
    zone: { type: 'string' },
    hosts: { type: 'string' },
    parallel: { type: 'string' },
    bandwidth: { type: 'string' },
    return: { type: 'boolean' },
    lock: { type: 'string' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const format = choiceOption('maintenance', args.values.format, 'format', FORMATS, 'text');
    const file = onlyFleetArgument('maintenance', args.positionals, io);
    const what = target(args.values);
    const parallelText = stringOption('maintenance', args.values.parallel, 'parallel');
    if (parallelText !== undefined && !/^[1-9]\d*$/.test(parallelText)) throw new UsageError(`maintenance: --parallel needs a whole number ≥ 1, got '${parallelText}'`);
    const parallel = parallelText === undefined ? DEFAULT_PARALLEL : Number(parallelText);
    const bandwidthText = stringOption('maintenance', args.values.bandwidth, 'bandwidth');
    const bandwidthBits = bandwidthText === undefined ? DEFAULT_BANDWIDTH_BITS : parseBandwidth(bandwidthText);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const lock = readLock(pathResolver(io)(file), pathOption('maintenance', args.values.lock, 'lock', io));
    const current = place(fleet, lock);
    const result = planMaintenance(fleet, current.placements, what, { parallel, bandwidthBits, returnVms: args.values.return === true });
    if (!result.ok) throw new InputError([`${file}: ${result.problem}`]);
    io.stdout(format === 'json' ? `${JSON.stringify(result.plan, null, 2)}\n` : maintenanceText(result.plan, parallel));
    return EXIT_OK;
  },
};
