/** `hyperplan schema`: prints the JSON Schema of the fleet file (for editors and CI validation). */
import type { Command } from '../command';
import { fleetJsonSchemaText } from '../../fleet/json-schema';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of the fleet file',
  help: [
    'Usage: hyperplan schema',
    '',
    'Prints the JSON Schema (draft 2020-12) of the fleet file to stdout. Point your editor at it, e.g.',
    'with a first line "# yaml-language-server: $schema=<path>/fleet.schema.json".',
  ].join('\n'),
  options: {},
  run(_args, io) {
    io.stdout(fleetJsonSchemaText());
    return Promise.resolve(0);
  },
};
