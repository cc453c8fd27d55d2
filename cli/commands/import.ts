/**
 * `hyperplan import <domain.xml…>`: existing libvirt domains as a fleet file (`vms`, plus the networks
 * and pools they use). Whatever the fleet model cannot express is reported on stderr, one located
 * warning per element or attribute; nothing is dropped silently.
 */
import { readFileSync } from 'node:fs';
import { fleetText, formatDiagnostic, importDomains, type ImportHypervisor, type ImportInput } from '../../libvirt/import';
import type { Command } from '../command';
import { EXIT_OK, InputError, UsageError } from '../../io/errors';
import { choiceOption } from '../options';
import { pathResolver } from '../paths';

export const importCommand: Command = {
  name: 'import',
  summary: 'turn existing libvirt domain XML into fleet YAML (reports what cannot be expressed)',
  help: [
    'Usage: hyperplan import <domain.xml…> [--hypervisor kvm|xen] [--format yaml|json]',
    '',
    'Reads libvirt domain XML (virsh dumpxml output) and prints a fleet file with the VMs and the networks',
    'and pools they reference. Names are made valid fleet names (QEMUGuest1 → qemuguest1) and de-duplicated',
    'in argument order (qemuguest1, qemuguest1-2 …). Disk sizes are not in domain XML: disks get a',
    'placeholder size and a warning. Every element or attribute the fleet model cannot express is reported',
    'on stderr as `file:line: warning: <path> not expressible in the fleet model (dropped)`.',
    '',
    'Options:',
    '  --hypervisor h  kvm or xen: overrides <domain type> (qemu and kvm both mean kvm)',
    '  --format f      yaml (default) or json',
    '',
    'Exit codes: 0 imported (warnings possible), 2 unreadable or malformed XML, or usage.',
  ].join('\n'),
  options: {
    hypervisor: { type: 'string' },
    format: { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('import: expected at least one domain XML file');
    const hypervisor = args.values.hypervisor;
    if (hypervisor !== undefined && hypervisor !== 'kvm' && hypervisor !== 'xen') {
      throw new UsageError(`import: --hypervisor must be kvm or xen, got '${String(hypervisor)}'`);
    }
    const format = choiceOption('import', args.values.format, 'format', ['yaml', 'json'] as const, 'yaml');
    const inputs: ImportInput[] = [];
    const unreadable: string[] = [];
    for (const file of args.positionals) {
      try {
        inputs.push({ file, text: readFileSync(pathResolver(io)(file), 'utf8') });
      } catch (error) {
        unreadable.push(`${file}:1:1: error: cannot read: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (unreadable.length > 0) throw new InputError(unreadable);
    const result = importDomains(inputs, hypervisor ? { hypervisor: hypervisor as ImportHypervisor } : {});
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
    if (!result.fleet) throw new InputError(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic));
    if (warnings.length > 0) io.stderr(`${warnings.join('\n')}\n`);
    io.stdout(fleetText(result.fleet, format));
    return EXIT_OK;
  },
};
