/**
 * Structure-aware fuzzing from a zod schema: walks the schema a loader validates with and builds inputs
 * that use its keys and nesting, with plausible, borderline and wrong values. New keys are fuzzed as
 * soon as they are added to the schema.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Values no schema expects: wrong types, YAML look-alikes, odd characters, prototype keys. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '~', 'null', 'yes', '0x1F', '${env:X}', '*anchor', '{', '- a', '\u0000', 'é€😀'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('x', 'name', '__proto__', 'constructor'), fc.integer(), { maxKeys: 2 }),
);

export interface SchemaArbitraryOptions {
  /** Plausible strings for a key (the schema only says "string"). */
  readonly stringFor: (key: string) => fc.Arbitrary<unknown>;
  /** Keys of free-form records (labels, rule settings …). */
  readonly recordKeys: readonly string[];
  /** Misspelt or unknown keys to add to objects now and then. */
  readonly unknownKeys: readonly string[];
}

type Def = { readonly type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);
const MAX_DEPTH = 6;

/** An arbitrary that follows `schema`'s shape, with a one-in-twelve chance of junk at every node. */
export function schemaArbitrary(schema: unknown, options: SchemaArbitraryOptions, key = '', depth = 0): fc.Arbitrary<unknown> {
  let def = defOf(schema);
  while (WRAPPERS.has(def.type)) def = defOf(def['innerType']);
  let shaped: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 'object': {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, child] of Object.entries(def['shape'] as Record<string, unknown>)) {
        model[name] = depth >= MAX_DEPTH ? junk : schemaArbitrary(child, options, name, depth + 1);
      }
      // Every key optional: missing required keys are part of what is fuzzed; sometimes an unknown key.
      shaped = fc
        .tuple(fc.record(model, { requiredKeys: [] }), fc.option(fc.constantFrom(...options.unknownKeys), { freq: 8 }), junk)
        .map(([record, unknownKey, value]) => (unknownKey === null ? record : { ...record, [unknownKey]: value }));
      break;
    }
    case 'array':
      shaped = fc.array(schemaArbitrary(def['element'], options, key, depth + 1), { maxLength: depth <= 1 ? 2 : 1 });
      break;
    case 'union':
      shaped = fc.oneof(...(def['options'] as unknown[]).map((option) => schemaArbitrary(option, options, key, depth)));
      break;
    case 'enum':
      shaped = fc.constantFrom(...Object.values(def['entries'] as Record<string, string>), 'KVM', 'other');
      break;
    case 'literal':
      shaped = fc.constantFrom(...(def['values'] as unknown[]), 'hyperplan/v0');
      break;
    case 'string':
      shaped = options.stringFor(key);
      break;
    case 'number':
      shaped = fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constantFrom(0.5, 1.0, 4, Number.POSITIVE_INFINITY, -0));
      break;
    case 'boolean':
      shaped = fc.boolean();
      break;
    case 'record':
      shaped = fc.dictionary(
        fc.constantFrom(...options.recordKeys),
        depth >= MAX_DEPTH ? junk : schemaArbitrary(def['valueType'], options, key, depth + 1),
        { maxKeys: 3 },
      );
      break;
    default:
      shaped = junk;
  }
  return fc.oneof({ arbitrary: shaped, weight: 11 }, { arbitrary: junk, weight: 1 });
}

/** Data as YAML (block or flow) or JSON text, the three ways users write these files. */
export function asText(data: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.tuple(data, fc.constantFrom('yaml', 'flow', 'json')).map(([value, format]) => {
    if (format === 'json') return JSON.stringify(value, null, 1) ?? 'null';
    return stringify(value, format === 'flow' ? { collectionStyle: 'flow' } : {});
  });
}
