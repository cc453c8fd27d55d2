/**
 * `npm run schema:import -- <schema.json>`: makes `schema/libvirt-<version>.json` from what a built
 * `dmacvicar/libvirt` provider reports (`terraform providers schema -json` in a directory that uses it).
 * Only the libvirt provider's entry is kept, so a working directory with other providers imports the same
 * bytes; the output is indented JSON so that a provider upgrade reviews as a readable diff.
 */
import { readFileSync } from 'node:fs';
import { LIBVIRT_PROVIDER_KEY, LIBVIRT_PROVIDER_VERSION, type ProviderSchemaFile } from './provider-schema';
import { schemaPath } from './snapshot';
import { writeFileAtomic } from '../io/atomic-write';

/** The snapshot text for a `terraform providers schema -json` document; throws when it has no libvirt entry. */
export function snapshotFromProviderSchema(text: string): string {
  const reported = JSON.parse(text) as ProviderSchemaFile;
  const entry = reported.provider_schemas?.[LIBVIRT_PROVIDER_KEY];
  if (!entry) throw new Error(`the schema has no entry for ${LIBVIRT_PROVIDER_KEY}; run terraform providers schema -json where that provider is initialized`);
  const snapshot: ProviderSchemaFile = { format_version: reported.format_version, provider_schemas: { [LIBVIRT_PROVIDER_KEY]: entry } };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, version = LIBVIRT_PROVIDER_VERSION] = process.argv.slice(2);
  if (!input) {
    process.stderr.write('usage: npm run schema:import -- <output of terraform providers schema -json> [version]\n');
    process.exit(2);
  }
  try {
    const out = schemaPath(version);
    writeFileAtomic(out, snapshotFromProviderSchema(readFileSync(input, 'utf8')));
    process.stdout.write(`wrote ${out}\n`);
  } catch (error) {
    process.stderr.write(`${input}: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
