import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { fleetJsonSchema, fleetJsonSchemaText } from '../../fleet/index';

describe('fleet JSON Schema', () => {
  it('the committed schema/fleet.schema.json is up to date', () => {
    const committed = readFileSync('schema/fleet.schema.json', 'utf8');
    // Regenerate with: node bin/hyperplan.js schema > schema/fleet.schema.json
    expect(committed, 'schema/fleet.schema.json is stale; run: node bin/hyperplan.js schema > schema/fleet.schema.json').toBe(fleetJsonSchemaText());
  });

  it('is draft 2020-12 and accepts the examples', () => {
    const schema = fleetJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const file of ['examples/kvm/fleet.yaml', 'examples/xen/fleet.yaml', 'examples/hybrid/fleet.yaml']) {
      expect(validate(parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('rejects unknown keys and bare-number sizes like the loader', () => {
    const validate = new Ajv2020({ strict: false }).compile(fleetJsonSchema());
    expect(validate({ apiVersion: 'hyperplan/v1', colour: 'blue' })).toBe(false);
    expect(validate({ apiVersion: 'hyperplan/v1', vms: [{ name: 'a', vcpus: 1, memory: 4096 }] })).toBe(false);
    expect(validate({ apiVersion: 'hyperplan/v1', vms: [{ name: 'a', vcpus: 1, memory: '4GiB' }] })).toBe(true);
  });
});
