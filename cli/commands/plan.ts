/**
 * `hyperplan plan <fleet>`: places the fleet's VMs, keeping the lock file's placements that are still
 * valid, and prints the placement (JSON per DESIGN.md, or a table). Exit 1 when a VM stays unplaced.
 */
import type { Command } from '../command';
import { writeFileAtomic } from '../../io/atomic-write';
import { EXIT_FINDINGS, EXIT_OK } from '../../io/errors';
import { loadFleetOrThrow, lockFileFor, readLock } from '../../pipeline/fleet-inputs';
import { choiceOption } from '../options';
import { pathOption, pathResolver, onlyFleetArgument } from '../paths';
import { createProgress } from '../progress';
import { plan, serializeLock, type Lock, type PlanResult } from '../../planner/index';

export const FORMATS = ['text', 'json'] as const;

/** The DESIGN.md contract first, then the extra keys; stable key order so output diffs cleanly. */
export function planJson(result: PlanResult): string {
  const { placements, unplaced, moves, hosts, pools, hostsUsed, lowerBound } = result;
  return `${JSON.stringify({ placements, unplaced, moves, hosts, pools, hostsUsed, lowerBound }, null, 2)}\n`;
}

const gib = (mib: number): string => (mib / 1024).toFixed(1);

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

export function planText(result: PlanResult, lock: Lock | undefined): string {
  const count = new Map<string, number>();
  for (const host of Object.values(result.placements)) count.set(host, (count.get(host) ?? 0) + 1);
  const lines = table([
    ['host', 'vms', 'cpu used/cap', 'memory GiB used/cap'],
    ...result.hosts.map((h) => [h.name, String(count.get(h.name) ?? 0), `${h.cpu.used}/${h.cpu.capacity}`, `${gib(h.memoryMiB.used)}/${gib(h.memoryMiB.capacity)}`]),
  ]);
  const moved = new Set(result.moves.map((m) => m.vm));
  const fresh = Object.keys(result.placements).filter((vm) => lock?.placements[vm] === undefined && !moved.has(vm));
  lines.push('', `hosts used: ${result.hostsUsed} (lower bound ${result.lowerBound})`);
  if (fresh.length > 0) lines.push('', `new (${fresh.length}):`, ...fresh.map((vm) => `  ${vm} → ${result.placements[vm]}`));
  if (result.moves.length > 0) lines.push('', `moved (${result.moves.length}):`, ...result.moves.map((m) => `  ${m.vm}: ${m.from} → ${m.to} (${m.reason})`));
  for (const pool of result.pools.filter((p) => p.reserve !== 'none')) {
    lines.push('', `migration pool ${pool.name} (${pool.reserve}): ${pool.satisfied ? 'headroom kept' : 'HEADROOM LOST'}, worst case ${pool.worstCase.join(' + ') || '-'}, spare ${pool.spare.cpu} vCPUs / ${gib(pool.spare.memoryMiB)} GiB`);
  }
  if (result.unplaced.length > 0) {
    lines.push('', `unplaced (${result.unplaced.length}):`);
    for (const u of result.unplaced) {
      lines.push(`  ${u.vm}:`, ...Object.entries(u.reasons).map(([host, why]) => `    ${host}: ${why}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'place the VMs on hosts, keeping the lock file’s placements',
  help: [
    'Usage: hyperplan plan [fleet] [--lock file] [--write-lock] [--format text|json] [--quiet]',
    '',
    'Places every VM: filters remove hosts (hypervisor, security class, zone, capacity after Dom0/host',
    'reservation and overcommit, NUMA, affinity, anti-affinity, migration pool, CPU model), weighers rank the',
    'rest (spread or pack, stickiness). Placements in the lock file are kept while still valid; a VM that must',
    'move is listed with the reason. Migration pools with reserve n+1/n+2 keep that headroom.',
    '',
    'Options:',
    '  --lock file     lock file to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --write-lock    write the new placement to the lock file (atomically)',
    '  --quiet         no progress on stderr (progress shows only on a terminal, never in CI)',
    '  --format f      text (default) or json: { "placements", "unplaced", "moves", "hosts", "pools",',
    '                  "hostsUsed", "lowerBound" }',
    '',
    'Exit codes: 0 every VM placed, 1 some VM unplaced, 2 bad input or usage.',
  ].join('\n'),
  options: { lock: { type: 'string' }, 'write-lock': { type: 'boolean' }, format: { type: 'string' }, quiet: { type: 'boolean' } },
  async run(args, io) {
    const format = choiceOption('plan', args.values.format, 'format', FORMATS, 'text');
    const file = onlyFleetArgument('plan', args.positionals, io);
    const progress = createProgress(io, args.values.quiet === true);
    progress.step('plan: loading the fleet', 0, 2);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const fleetFile = pathResolver(io)(file);
    const lockFile = pathOption('plan', args.values.lock, 'lock', io);
    const writeLock = args.values['write-lock'] === true;
    // With --write-lock, a named lock file that does not exist yet is created from a fresh plan.
    const lock = readLock(fleetFile, lockFile, { missingIsFresh: writeLock });
    const path = lockFileFor(fleetFile, lockFile);
    progress.step('plan: placing VMs', 1, 2);
    const result = plan(fleet, lock);
    progress.done();
    if (writeLock) writeFileAtomic(path, serializeLock(result, lock?.uuids));
    io.stdout(format === 'json' ? planJson(result) : planText(result, lock));
    return result.unplaced.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
