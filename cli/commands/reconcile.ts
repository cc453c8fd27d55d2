/**
 * `hyperplan reconcile <fleet> --from <URI>…`: where each VM really runs (after an HA restart or a manual
 * migration) goes into the lock file when the placement rules allow it, and the stacks are synthesized
 * with `moved` blocks so that `terraform apply` re-homes the state instead of re-creating the VM on the
 * host the lock file remembered.
 */
import type { Command } from '../command';
import { writeFileAtomic } from '../../io/atomic-write';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../../io/errors';
import type { Fleet } from '../../fleet/model';
import { listDomains, VirshError } from '../../libvirt/live-host';
import { serializeLock } from '../../planner/lock';
import type { OfflineMove, StateMove } from '../../planner/moves';
import { reconcile, type Observation, type ReconcileConflict } from '../../planner/reconcile';
import { PolicyGateError, synthesizeFleet, type SynthSummary } from '../../pipeline/synth';
import { loadFleetOrThrow, lockFileFor, readLock } from '../../pipeline/fleet-inputs';
import { pathOption, pathResolver, onlyFleetArgument } from '../paths';
import { gateReport } from '../gate-report';
import { choiceOption, stringOption } from '../options';
import { FORMATS } from './plan';

const DEFAULT_OUT = 'cdktf.out';

export interface ReconcileReport {
  /** Fleet VMs found, with the host they run on and their UUID. */
  readonly observed: readonly Observation[];
  /** Observed hosts taken into the lock that differ from it: state moves in the synthesized stacks. */
  readonly moves: ReadonlyArray<{ readonly vm: string; readonly from: string; readonly to: string; readonly uuid: string }>;
  readonly conflicts: readonly ReconcileConflict[];
  /** Observed hosts taken into the lock whose state cannot follow (Terraform would re-create them there). */
  readonly offline: ReadonlyArray<{ readonly vm: string; readonly from: string; readonly to: string; readonly reason: string }>;
  /** Domains that are no VM of the fleet, per host. */
  readonly unknown: ReadonlyArray<{ readonly host: string; readonly domain: string }>;
  readonly lock: string;
  readonly out: string;
}

/**
 * `--from` values: `host=URI` names the fleet host a connection reaches (for a URI other than the host's
 * own, e.g. a tunnel), a plain URI must be one of the fleet's host URIs.
 */
export function hostsOfUris(fleet: Fleet, values: readonly string[]): Array<{ host: string; uri: string }> {
  const names = new Set(fleet.hosts.map((h) => h.name));
  const problems: string[] = [];
  const result: Array<{ host: string; uri: string }> = [];
  for (const value of values) {
    const equals = value.indexOf('=');
    const named = equals > 0 && names.has(value.slice(0, equals)) ? value.slice(0, equals) : undefined;
    if (named !== undefined) {
      result.push({ host: named, uri: value.slice(equals + 1) });
      continue;
    }
    const host = fleet.hosts.find((h) => h.uri === value);
    if (host) result.push({ host: host.name, uri: value });
    else problems.push(`--from ${value}: no fleet host has this uri; write <host>=<uri> to name the host it reaches (hosts: ${[...names].join(', ')})`);
  }
  const seen = new Set<string>();
  for (const { host } of result) {
    if (seen.has(host)) problems.push(`--from: host ${host} given twice`);
    seen.add(host);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return result;
}

function reportText(report: ReconcileReport): string {
  const lines = [`reconciled ${report.observed.length} VM(s) from the hosts; lock ${report.lock}, stacks ${report.out}`];
  for (const move of report.moves) lines.push(`  state move (runs on ${move.to}, no restart) ${move.vm}: ${move.from} → ${move.to}, domain ${move.uuid}`);
  for (const move of report.offline) lines.push(`  offline move ${move.vm}: ${move.from} → ${move.to}: ${move.reason}`);
  for (const conflict of report.conflicts) lines.push(`  conflict ${conflict.vm} on ${conflict.observed.join(', ')}: ${conflict.reason}`);
  const unknown = report.unknown.map((u) => `${u.domain} (${u.host})`);
  if (unknown.length > 0) lines.push(`  not in the fleet: ${unknown.join(', ')}`);
  if (report.moves.length > 0) lines.push('run terraform apply in each stack: it moves the domains\' state to their new hosts and creates and destroys nothing');
  return `${lines.join('\n')}\n`;
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'take the hosts VMs really run on into the lock file; synthesize the state moves',
  help: [
    'Usage: hyperplan reconcile [fleet] --from <uri | host=uri>… [--lock file] [--out dir] [--format text|json] [--quiet]',
    '',
    'Asks each host which domains it holds (virsh -c <uri> list --all --name, domuuid), then for every VM of',
    'the fleet found on a host other than the lock file says: takes that host into the lock file when the',
    'placement rules accept it there (the planner keeps it as a locked placement), else reports a conflict.',
    'Every UUID seen is recorded in the lock (`uuids`). The stacks are synthesized into <out> with, for each',
    'VM the lock moved, `moved` blocks from its old host\'s addresses to the new one\'s (domain and volumes):',
    'Terraform reads the domain there by UUID, so `terraform apply` re-homes the state and re-creates nothing.',
    'The lock file is written only after synthesis succeeded.',
    '',
    'Options:',
    '  --from u        a host URI of the fleet, or host=URI for another way to reach that host (repeatable)',
    '  --lock file     lock file (default: hyperplan.lock.json beside the fleet)',
    '  --out dir       output directory of the stacks (default cdktf.out)',
    '  --format f      text (default) or json: { "observed": [ { "vm", "host", "uuid" } ], "moves": [ { "vm",',
    '                  "from", "to", "uuid" } ], "conflicts": [ { "vm", "observed", "planned", "reason" } ],',
    '                  "offline": [ { "vm", "from", "to", "reason" } ], "unknown": [ { "host", "domain" } ], "lock", "out" }',
    '  --quiet         accepted for symmetry with synth; reconcile prints no progress',
    '',
    'Exit codes: 0 the lock matches where every VM runs, 1 conflicts, offline moves or policy errors (conflicts',
    'keep their old lock entry), 2 bad input, usage, or a host that cannot be read.',
  ].join('\n'),
  options: { from: { type: 'string', multiple: true }, lock: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, quiet: { type: 'boolean' } },
  async run(args, io) {
    const format = choiceOption('reconcile', args.values.format, 'format', FORMATS, 'text');
    const file = onlyFleetArgument('reconcile', args.positionals, io);
    const from = (Array.isArray(args.values.from) ? args.values.from : []).filter((v): v is string => typeof v === 'string');
    if (from.length === 0) throw new UsageError('reconcile: give at least one --from <uri>');
    const fleetFile = pathResolver(io)(file);
    const fleet = loadFleetOrThrow(file, io.cwd, io.env);
    const lockFile = pathOption('reconcile', args.values.lock, 'lock', io);
    const lock = readLock(fleetFile, lockFile);
    const outOption = stringOption('reconcile', args.values.out, 'out') ?? DEFAULT_OUT;
    const outDir = pathResolver(io)(outOption);

    const vmNames = new Set(fleet.vms.map((v) => v.name));
    const observations: Observation[] = [];
    const unknown: Array<{ host: string; domain: string }> = [];
    for (const { host, uri } of hostsOfUris(fleet, from)) {
      let domains;
      try {
        // Sorted by name, so the report and the lock do not depend on the order virsh lists them in.
        domains = (await listDomains(uri)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (error) {
        if (error instanceof VirshError) throw new InputError([`--from ${host}: ${error.message}`]);
        throw error;
      }
      for (const domain of domains) {
        if (vmNames.has(domain.name)) observations.push({ vm: domain.name, host, uuid: domain.uuid });
        else unknown.push({ host, domain: domain.name });
      }
    }
    const result = reconcile(fleet, lock, observations);
    const moved = result.accepted.filter((o) => result.current.placements[o.vm] !== undefined && result.current.placements[o.vm] !== o.host);
    let summary: SynthSummary;
    try {
      summary = await synthesizeFleet({
        fleetFile,
        outDir,
        lock: result.lock,
        current: result.current,
        observed: new Set(moved.map((o) => o.vm)),
        moves: 'live',
        env: io.env,
      });
    } catch (error) {
      if (!(error instanceof PolicyGateError)) throw error;
      io.stderr(gateReport(error, outOption));
      return EXIT_FINDINGS;
    }
    const stateMoves = summary.moves.filter((m): m is StateMove => m.mode === 'observed');
    const offline = summary.moves.filter((m): m is OfflineMove => m.mode === 'offline');
    const lockPath = lockFileFor(fleetFile, lockFile);
    writeFileAtomic(lockPath, serializeLock(result.lock, result.lock.uuids));
    const report: ReconcileReport = {
      observed: [...observations].sort((a, b) => (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : a.host < b.host ? -1 : 1)),
      moves: stateMoves.map((m) => ({ vm: m.vm, from: m.from, to: m.to, uuid: moved.find((o) => o.vm === m.vm)!.uuid })),
      conflicts: result.conflicts,
      offline: offline.map((m) => ({ vm: m.vm, from: m.from, to: m.to, reason: m.reason })),
      unknown,
      lock: lockPath,
      out: outDir,
    };
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
    return result.conflicts.length > 0 || offline.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
