import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotFromProviderSchema } from '../../schema/import-provider-schema';
import { LIBVIRT_PROVIDER_KEY, type ProviderSchemaFile } from '../../schema/provider-schema';
import { schemaPath } from '../../schema/snapshot';
import { sharedPath } from '../support/shared';

const committed = readFileSync(schemaPath(), 'utf8');
const entry = (JSON.parse(committed) as ProviderSchemaFile).provider_schemas[LIBVIRT_PROVIDER_KEY]!;

describe('snapshotFromProviderSchema', () => {
  it('keeps only the libvirt provider of a working directory with several providers', () => {
    const reported = { format_version: '1.0', provider_schemas: { 'registry.terraform.io/hashicorp/null': { provider: {} }, [LIBVIRT_PROVIDER_KEY]: entry } };
    const snapshot = JSON.parse(snapshotFromProviderSchema(JSON.stringify(reported))) as ProviderSchemaFile;
    expect(Object.keys(snapshot.provider_schemas)).toEqual([LIBVIRT_PROVIDER_KEY]);
  });

  it('refuses a schema without the libvirt provider instead of writing an empty snapshot', () => {
    expect(() => snapshotFromProviderSchema('{"format_version":"1.0","provider_schemas":{}}')).toThrow(/no entry for registry.terraform.io\/dmacvicar\/libvirt/);
  });

  it('is a fixed point on the committed snapshot (the file is exactly what the importer writes)', () => {
    expect(snapshotFromProviderSchema(committed)).toBe(committed);
  });
});

// The snapshot is the built provider's own `terraform providers schema -json` (test/e2e/provider-schema.test.ts
// compares the two when the binary is given). The published docs are a second, independent listing: every
// resource and data source they document must be in it.
const DOCS = sharedPath('reference/terraform-provider-libvirt-v0.9.7/docs', 'the docs coverage test is');
describe.skipIf(DOCS === undefined)('schema/libvirt-0.9.7.json against the provider docs v0.9.7', () => {
  const documented = (kind: string): string[] =>
    readdirSync(join(DOCS!, kind)).filter((f) => f.endsWith('.md')).map((f) => `libvirt_${basename(f, '.md')}`).sort();
  it('has every documented resource and data source', () => {
    expect(Object.keys(entry.resource_schemas).sort()).toEqual(documented('resources'));
    expect(Object.keys(entry.data_source_schemas).sort()).toEqual(documented('data-sources'));
  });
});
