/**
 * `hyperplan plan <fleet>`: places the fleet's VMs, keeping the lock file's placements that are still
 * valid, and prints the placement (JSON per DESIGN.md, or a table). Exit 1 when a VM stays unplaced.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command, Io, ParsedArgs } from '../command';
import { writeFileAtomic } from '../atomic-write';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../errors';
import { formatProblem, loadFleet } from '../../fleet/index';
import type { Fleet } from '../../fleet/model';
import { parseLock, plan, serializeLock, type Lock, type PlanResult } from '../../planner/index';

export const LOCK_FILE_NAME = 'hyperplan.lock.json';
const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function formatOf(command: string, value: unknown): Format {
  const format = value ?? 'text';
  if (!FORMATS.includes(format as Format)) throw new UsageError(`${command}: --format must be one of ${FORMATS.join(', ')}, got '${String(format)}'`);
  return format as Format;
}

function stringOption(command: string, value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`${command}: --${name} needs a value`);
  return value;
}

export function loadFleetOrThrow(file: string, io: Io): Fleet {
  const loaded = loadFleet(resolve(io.cwd, file), { env: io.env });
  if (!loaded.ok) throw new InputError(loaded.problems.map(formatProblem));
  return loaded.fleet;
}

/** Lock file path: `--lock` when given, else `hyperplan.lock.json` beside the fleet. */
export function lockPath(fleetFile: string, args: ParsedArgs, command: string, io: Io): { path: string; explicit: boolean } {
  const given = stringOption(command, args.values.lock, 'lock');
  return given === undefined
    ? { path: join(dirname(resolve(io.cwd, fleetFile)), LOCK_FILE_NAME), explicit: false }
    : { path: resolve(io.cwd, given), explicit: true };
}

/** The lock to keep; a missing default lock means a fresh plan, a missing explicit one is an error. */
export function readLock(path: string, explicit: boolean): Lock | undefined {
  if (!existsSync(path)) {
    if (explicit) throw new InputError([`${path}: lock file not found`]);
    return undefined;
  }
  const parsed = parseLock(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new InputError(parsed.problems);
  return parsed.lock;
}

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
    'Usage: hyperplan plan <fleet> [--lock file] [--write-lock] [--format text|json]',
    '',
    'Places every VM: filters remove hosts (hypervisor, security class, zone, capacity after Dom0/host',
    'reservation and overcommit, NUMA, affinity, anti-affinity, migration pool, CPU model), weighers rank the',
    'rest (spread or pack, stickiness). Placements in the lock file are kept while still valid; a VM that must',
    'move is listed with the reason. Migration pools with reserve n+1/n+2 keep that headroom.',
    '',
    'Options:',
    '  --lock file     lock file to keep (default: hyperplan.lock.json beside the fleet, when present)',
    '  --write-lock    write the new placement to the lock file (atomically)',
    '  --format f      text (default) or json: { "placements", "unplaced", "moves", "hosts", "pools",',
    '                  "hostsUsed", "lowerBound" }',
    '',
    'Exit codes: 0 every VM placed, 1 some VM unplaced, 2 bad input or usage.',
  ].join('\n'),
  options: { lock: { type: 'string' }, 'write-lock': { type: 'boolean' }, format: { type: 'string' } },
  async run(args, io) {
    const format = formatOf('plan', args.values.format);
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('plan: expected exactly one fleet file');
    const fleet = loadFleetOrThrow(file, io);
    const { path, explicit } = lockPath(file, args, 'plan', io);
    const lock = readLock(path, explicit);
    const result = plan(fleet, lock);
    if (args.values['write-lock'] === true) writeFileAtomic(path, serializeLock(result));
    io.stdout(format === 'json' ? planJson(result) : planText(result, lock));
    return result.unplaced.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
