/** `hyperplan schema`: prints the JSON Schema of the fleet file (for editors and CI validation). */
import type { Command } from '../command';
import { fleetJsonSchemaText } from '../../fleet/json-schema';
import { choiceOption } from '../options';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of the fleet file',
  help: [
    'Usage: hyperplan schema [--format json|text]',
    '',
    'Prints the JSON Schema (draft 2020-12) of the fleet file to stdout. Point your editor at it, e.g.',
    'with a first line "# yaml-language-server: $schema=<path>/fleet.schema.json".',
    '',
    'Options:',
    '  --format f  json (default) or text: the schema is a JSON document either way',
  ].join('\n'),
  options: { format: { type: 'string' } },
  run(args, io) {
    choiceOption('schema', args.values.format, 'format', ['json', 'text'] as const, 'json');
    io.stdout(fleetJsonSchemaText());
    return Promise.resolve(0);
  },
};
