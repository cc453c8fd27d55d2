/** `hyperplan check <fleet>`: validates the fleet file (policy findings are added by the policy engine later). */
import type { Command } from '../command';
import { EXIT_OK, InputError, UsageError } from '../errors';
import { formatProblem, loadFleet } from '../../fleet/index';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(value: unknown): Format {
  const format = value ?? 'text';
  if (!FORMATS.includes(format as Format)) {
    throw new UsageError(`check: --format must be one of ${FORMATS.join(', ')}, got '${String(format)}'`);
  }
  return format as Format;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate a fleet file',
  help: [
    'Usage: hyperplan check <fleet> [--format text|json]',
    '',
    'Loads and validates the fleet file; prints every problem as file:line:column: path: message.',
    '',
    'Options:',
    '  --format text|json  output format (default text); JSON: { "findings": [] }',
    '',
    'Exit codes: 0 fleet is valid, 2 the fleet file has problems or the command line is wrong.',
  ].join('\n'),
  options: { format: { type: 'string' } },
  run(args, io) {
    const format = formatOf(args.values.format);
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('check: expected exactly one fleet file');
    const result = loadFleet(file, { env: io.env });
    if (!result.ok) throw new InputError(result.problems.map(formatProblem));
    const { hosts, vms } = result.fleet;
    io.stdout(format === 'json'
      ? `${JSON.stringify({ findings: [] }, null, 2)}\n`
      : `fleet OK: ${hosts.length} hosts, ${vms.length} VMs\n`);
    return Promise.resolve(EXIT_OK);
  },
};
