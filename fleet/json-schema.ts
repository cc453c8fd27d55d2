/** JSON Schema (draft 2020-12) of the fleet file, generated from the zod schemas for editors and CI. */
import { z } from 'zod';
import { fleetFileSchema } from './schema';

export const FLEET_SCHEMA_ID = 'https://hyperplan.dev/schema/fleet.schema.json';

export function fleetJsonSchema(): Record<string, unknown> {
  // io 'input': the file as written, so keys with defaults are optional.
  const generated = z.toJSONSchema(fleetFileSchema, { target: 'draft-2020-12', io: 'input' });
  const { $schema, ...rest } = generated;
  return { $schema, $id: FLEET_SCHEMA_ID, title: 'hyperplan fleet file', ...rest };
}

/** The committed `schema/fleet.schema.json` text. */
export function fleetJsonSchemaText(): string {
  return `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
}
