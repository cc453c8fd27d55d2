/** `hyperplan synth [fleet] [--out dir]`: the fleet as Terraform JSON, the same bytes `cdktf synth` writes. */
import { join } from 'node:path';
import type { Command } from '../command';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../../io/errors';
import { PolicyGateError, synthesizeFleet, type SynthesizedStack, type SynthSummary } from '../../pipeline/synth';
import { gateReport } from '../gate-report';
import { choiceOption, stringOption } from '../options';
import { fleetArgument, pathResolver } from '../paths';
import type { VmMove } from '../../planner/moves';
import type { AdoptedObject } from '../../stacks/adoption';
import { createProgress } from '../progress';
import { jsonReport } from '../../policies/report-json';

const DEFAULT_OUT = 'cdktf.out';
const MOVE_MODES = ['replace', 'live'] as const;
const FORMATS = ['text', 'json'] as const;

/** `--format json` after a successful synthesis: what was written and what Terraform will need. */
function summaryJson(summary: SynthSummary, outDir: string): string {
  const count = (severity: string): number => summary.findings.filter((f) => f.severity === severity).length;
  return `${JSON.stringify(
    {
      written: true,
      out: outDir,
      stacks: summary.stacks.map((stack) => ({
        name: stack.name,
        kind: stack.kind,
        file: join(outDir, stack.file),
        hosts: stack.hosts,
        vms: stack.vms,
        resources: stack.resources,
        variables: stack.variables.map((v) => ({ name: v.name, origin: v.origin, uses: v.uses, supply: v.supply })),
        backendInitSecrets: stack.backendInitSecrets,
        ...(stack.migrationScript === undefined ? {} : { migrationScript: join(outDir, stack.migrationScript) }),
      })),
      hostPreparation: summary.hostPreparation.map((file) => join(outDir, file)),
      adopted: summary.adopted,
      moves: summary.moves,
      findings: { error: count('error'), warning: count('warning'), info: count('info') },
    },
    null,
    2,
  )}\n`;
}

/** `--format json` when the policy gate stopped synthesis: the errors (as `check --format json`) and unplaced VMs. */
function gateJson(error: PolicyGateError, outDir: string): string {
  return `${JSON.stringify({ written: false, out: outDir, findings: jsonReport({ findings: error.errors, suppressed: [] }).findings, unplaced: error.unplaced }, null, 2)}\n`;
}

/** What a stack needs when Terraform runs: its sensitive variables and the backend secrets left out. */
function secretLines(stack: SynthesizedStack): string[] {
  const lines = stack.variables.map((v) =>
    v.supply === 'environment'
      ? `    needs TF_VAR_${v.name} (sensitive, from ${v.origin}; ${v.uses.join(', ')})`
      : `    variable ${v.name} defaults to a plain-text secret from the fleet file (${v.uses.join(', ')})`,
  );
  if (stack.backendInitSecrets.length > 0) {
    lines.push(`    backend secrets left out of the backend block: ${stack.backendInitSecrets.join(', ')}; pass them at init (-backend-config=KEY=VALUE)`);
  }
  return lines;
}

function moveLine(move: VmMove): string {
  const where = `${move.vm}: ${move.from} → ${move.to}`;
  if (move.mode === 'live') return `  live move (no restart) ${where}: ${move.command}`;
  if (move.mode === 'observed') return `  state move (already running on ${move.to}) ${where}`;
  return `  offline move ${where}: ${move.reason}`;
}

/** Why an adopted resource ignores changes, per kind (the constructs' `adopt` cite the provider code). */
const IGNORED_BECAUSE: Readonly<Record<AdoptedObject['kind'], string>> = {
  domain: 'controllers, device addresses and tap device names libvirt assigns itself',
  network: 'provider 0.9.7 does not read them after import and updates only autostart',
  pool: 'provider 0.9.7 does not read them after import and cannot update pools',
};

export const synthCommand: Command = {
  name: 'synth',
  summary: 'place, check and synthesize the fleet into Terraform JSON (cdktf.out)',
  help: [
    'Usage: hyperplan synth [fleet] [--out dir] [--lock file] [--policy file] [--adopt] [--moves replace|live] [--format text|json] [--quiet]',
    '',
    'Loads the fleet, places its VMs (keeping hyperplan.lock.json beside the fleet when present), runs the',
    'policies, and writes one Terraform stack per entry of `stacks` (default: one per hypervisor kind) to',
    '<out>/stacks/<name>/cdk.tf.json, plus host preparation scripts to <out>/host-prep/<host>.sh. The output',
    'directory is replaced only when synthesis succeeds. Same bytes as `cdktf synth` with HYPERPLAN_FLEET.',
    '',
    'Secrets (${env:…}, ${file:…}) become sensitive Terraform variables, never values in the output: the',
    'summary lists the TF_VAR_<name> each stack needs when Terraform runs. With HYPERPLAN_FINGERPRINT_KEY set',
    '(a random key of 16+ characters, e.g. a CI secret), each variable carries a keyed fingerprint of its value',
    'so `hyperplan review` sees a secret change.',
    '',
    'Arguments:',
    '  fleet           fleet file (default: fleet.yaml in the current directory, else $HYPERPLAN_FLEET)',
    '',
    'Options:',
    '  --out dir       output directory (default cdktf.out)',
    '  --lock file     placement lock to keep (default hyperplan.lock.json beside the fleet; never written)',
    '  --policy file   policy file (packs, severities, suppressions)',
    '  --adopt         add Terraform import blocks (Terraform 1.5+) for the domains, networks and pools whose',
    '                  libvirt UUIDs the lock file holds (`hyperplan import --from` writes them), so the first',
    '                  plan takes them into state instead of creating them',
    '  --moves m       replace (default): a VM placed off the host the lock file records is destroyed there',
    '                  and created on the new host. live: where the two hosts share a migration pool, storage',
    '                  and CPU baseline (and one stack holds both hosts), it is live-migrated instead:',
    '                  <out>/stacks/<stack>/migrate.sh holds the `virsh migrate --live --persistent',
    '                  --undefinesource` commands (transport and --copy-storage-all as `drain`) to run before',
    '                  `terraform apply`, and the stack gets `moved` blocks from the old host\'s addresses to the',
    '                  new one\'s for the domain (read there by UUID) and its volumes, so apply creates and',
    '                  destroys nothing. Other moves are listed with the reason.',
    '  --format f      text (default) or json: { "written", "out", "stacks": [ { "name", "kind", "file", "hosts",',
    '                  "vms", "resources", "variables", "backendInitSecrets", "migrationScript"? } ], "hostPreparation",',
    '                  "adopted", "moves", "findings": { "error", "warning", "info" } }; when the policy gate stops',
    '                  synthesis: { "written": false, "out", "findings": [ as check --format json ], "unplaced" }',
    '  --quiet         no progress on stderr',
    '',
    'Exit codes: 0 written, 1 policy errors or unplaced VMs (nothing written), 2 bad input or usage.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    lock: { type: 'string' },
    policy: { type: 'string' },
    adopt: { type: 'boolean' },
    moves: { type: 'string' },
    quiet: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const [given, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`synth: expected at most one fleet file, got ${args.positionals.length}`);
    const resolve = pathResolver(io);
    const fleetFile = fleetArgument('synth', given, io);
    const outDir = stringOption('synth', args.values.out, 'out') ?? DEFAULT_OUT;
    const lockFile = stringOption('synth', args.values.lock, 'lock');
    const policyFile = stringOption('synth', args.values.policy, 'policy');
    const moves = choiceOption('synth', args.values.moves, 'moves', MOVE_MODES, 'replace');
    const format = choiceOption('synth', args.values.format, 'format', FORMATS, 'text');
    const progress = createProgress(io, args.values.quiet === true);
    try {
      const summary = await synthesizeFleet({
        fleetFile: resolve(fleetFile),
        outDir: resolve(outDir),
        ...(lockFile ? { lockFile: resolve(lockFile) } : {}),
        ...(policyFile ? { policyFile: resolve(policyFile) } : {}),
        ...(moves === 'live' ? { moves } : {}),
        env: io.env,
        ...(args.values.adopt === true ? { adopt: true } : {}),
        onStage: (stage, done, total) => progress.step(`synth: ${stage}`, done, total),
      });
      progress.done();
      if (format === 'json') {
        io.stdout(summaryJson(summary, outDir));
        return EXIT_OK;
      }
      const lines = [`wrote ${outDir}: ${summary.stacks.length} stack(s)`];
      for (const stack of summary.stacks) {
        lines.push(`  ${join(outDir, stack.file)}  ${stack.kind}, ${stack.hosts.length} host(s), ${stack.vms} VM(s), ${stack.resources} resource(s)`);
        lines.push(...secretLines(stack));
      }
      for (const file of summary.hostPreparation) lines.push(`  ${join(outDir, file)}`);
      if (args.values.adopt === true) {
        const count = (kind: string): number => summary.adopted.filter((a) => a.kind === kind).length;
        lines.push(`adopting ${count('domain')} domain(s), ${count('network')} network(s), ${count('pool')} pool(s) through import blocks`);
        // Said out loud: an ignored attribute is one Terraform will not change on that resource.
        for (const object of summary.adopted) {
          if (object.ignoredChanges.length === 0) continue;
          lines.push(`  ${object.kind} ${object.name} on ${object.host}: ignore_changes ${object.ignoredChanges.join(', ')} (${IGNORED_BECAUSE[object.kind]})`);
        }
      }
      lines.push(...summary.moves.map((move) => moveLine(move)));
      for (const stack of summary.stacks) {
        if (stack.migrationScript !== undefined) lines.push(`run ${join(outDir, stack.migrationScript)} before terraform apply in stack ${stack.name}`);
      }
      const warnings = summary.findings.filter((f) => f.severity !== 'error').length;
      if (warnings > 0) lines.push(`${warnings} warning/info finding(s); run 'hyperplan check ${fleetFile}' to see them`);
      io.stdout(`${lines.join('\n')}\n`);
      return EXIT_OK;
    } catch (error) {
      progress.done();
      if (!(error instanceof PolicyGateError)) throw error;
      if (format === 'json') io.stdout(gateJson(error, outDir));
      io.stderr(gateReport(error, outDir));
      return EXIT_FINDINGS;
    }
  },
};
