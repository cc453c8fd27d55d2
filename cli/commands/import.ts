/**
 * `hyperplan import`: existing libvirt objects as a fleet. From live hosts (`--from <URI>…`, read with
 * virsh): the hosts, their real pools, networks and volumes, and every domain pinned to its host, plus a
 * lock file with the placements and the UUIDs `synth --adopt` imports. From domain XML files: the VMs and
 * the pools and networks they reference. A summary of what was kept, approximated or dropped goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fleetText, importDomains, importLiveHosts, type ImportHypervisor, type ImportInput, type ImportResult } from '../../libvirt/import';
import { importSummaryText } from '../../libvirt/import-summary';
import { readLiveHost, VirshError, type LiveHost } from '../../libvirt/live-host';
import { serializeLock } from '../../planner/lock';
import { writeFileAtomic } from '../../io/atomic-write';
import type { Command } from '../command';
import { EXIT_OK, EXIT_BAD_INPUT, UsageError } from '../../io/errors';
import { choiceOption, stringOption } from '../options';
import { pathResolver } from '../paths';

/** The lock file `import --out` writes beside the fleet (the name `plan` and `synth` look for). */
const LOCK_FILE = 'hyperplan.lock.json';

async function readHosts(uris: readonly string[], virsh: string | undefined): Promise<{ hosts: LiveHost[]; failed: string[] }> {
  const hosts: LiveHost[] = [];
  const failed: string[] = [];
  for (const uri of uris) {
    try {
      hosts.push(await readLiveHost(uri, virsh ? { virsh } : {}));
    } catch (error) {
      if (!(error instanceof VirshError)) throw error;
      failed.push(`${uri}: error: virsh ${error.command.join(" ")}: ${error.detail} (host skipped)`);
    }
  }
  return { hosts, failed };
}

export const importCommand: Command = {
  name: 'import',
  summary: 'turn live libvirt hosts (--from URI) or domain XML files into a fleet (reports what cannot be expressed)',
  help: [
    'Usage: hyperplan import --from <libvirt URI>… [--out fleet.yaml] [--strict] [--format yaml|text|json]',
    '       hyperplan import <domain.xml…> [--hypervisor kvm|xen] [--out fleet.yaml] [--strict] [--format yaml|text|json]',
    '',
    'With --from, reads each host over libvirt (virsh -c URI: domains, networks, pools and their volumes,',
    'nodeinfo and capabilities) and writes a complete fleet: the hosts with their URIs, CPUs, memory and',
    'NUMA cells, the real pools and networks, and every domain as a VM pinned to its host whose disks',
    'reference their existing volumes (no volume is created for them). With --out, the lock file',
    `${LOCK_FILE} is written beside the fleet: the placements, and the UUIDs of the domains, networks and`,
    'pools that `hyperplan synth --adopt` turns into Terraform import blocks.',
    '',
    'With domain XML files, pools are inferred from the image paths and networks assumed NAT (each guess is',
    'reported). Names are made valid fleet names (QEMUGuest1 → qemuguest1) and de-duplicated in order.',
    '',
    'At the end, stderr shows a summary: per object the elements kept, approximated and dropped, then each',
    'approximation and drop with the element\'s path and location. A host, file or domain that cannot be',
    'imported is reported and skipped; the others are still written.',
    '',
    'Options:',
    '  --from URI      a libvirt URI to read (repeatable; further arguments are URIs too)',
    '  --out file      write the fleet to file (atomically) instead of stdout, and the lock file beside it',
    '  --strict        any dropped element is an error: that domain (network, pool) is skipped',
    '  --hypervisor h  kvm or xen: overrides <domain type> (files only; qemu and kvm both mean kvm)',
    '  --virsh path    the virsh binary (default: virsh on PATH)',
    '  --format f      yaml (default; text is the same YAML) or json',
    '',
    'Exit codes: 0 imported (approximations possible), 2 some host, file or domain was skipped (the output',
    'holds the rest), or usage.',
  ].join('\n'),
  options: {
    from: { type: 'string', multiple: true },
    out: { type: 'string' },
    strict: { type: 'boolean' },
    hypervisor: { type: 'string' },
    virsh: { type: 'string' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const from = (args.values.from as string[] | undefined) ?? [];
    const hypervisor = args.values.hypervisor;
    if (hypervisor !== undefined && hypervisor !== 'kvm' && hypervisor !== 'xen') {
      throw new UsageError(`import: --hypervisor must be kvm or xen, got '${String(hypervisor)}'`);
    }
    if (from.length > 0 && hypervisor !== undefined) throw new UsageError('import: --hypervisor applies to XML files; with --from the host\'s driver decides');
    // `text` is the YAML fleet (the command-line contract: every command takes `--format text|json`).
    const chosen = choiceOption('import', args.values.format, 'format', ['yaml', 'text', 'json'] as const, 'yaml');
    const format = chosen === 'text' ? 'yaml' : chosen;
    const out = stringOption('import', args.values.out, 'out');
    const strict = args.values.strict === true;
    const resolve = pathResolver(io);

    let result: ImportResult;
    const skipped: string[] = [];
    if (from.length > 0) {
      const { hosts, failed } = await readHosts([...from, ...args.positionals], stringOption('import', args.values.virsh, 'virsh'));
      skipped.push(...failed);
      result = importLiveHosts(hosts, { strict });
    } else {
      if (args.positionals.length === 0) throw new UsageError('import: expected --from <libvirt URI> or at least one domain XML file');
      const inputs: ImportInput[] = [];
      for (const file of args.positionals) {
        try {
          inputs.push({ file, text: readFileSync(resolve(file), 'utf8') });
        } catch (error) {
          skipped.push(`${file}:1:1: error: cannot read: ${error instanceof Error ? error.message : String(error)} (file skipped)`);
        }
      }
      result = importDomains(inputs, { strict, ...(hypervisor ? { hypervisor: hypervisor as ImportHypervisor } : {}) });
    }

    const text = fleetText(result.fleet, format);
    if (out !== undefined) {
      const path = resolve(out);
      writeFileAtomic(path, text);
      writeFileAtomic(join(dirname(path), LOCK_FILE), serializeLock(result.lock, result.lock.uuids));
    } else {
      io.stdout(text);
    }
    io.stderr(`${skipped.map((s) => `${s}\n`).join('')}${importSummaryText(result)}`);
    return skipped.length > 0 || result.failures.length > 0 ? EXIT_BAD_INPUT : EXIT_OK;
  },
};
