/**
 * `npm run schema:import -- <docs dir> [version]`: regenerates `schema/libvirt-<version>.json` from
 * the provider's tfplugindocs folder (`index.md`, `resources/*.md`, `data-sources/*.md`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { docToSchema } from './docs-to-schema';
import { applyDriftOverlay } from './drift-overlay';
import { LIBVIRT_PROVIDER_KEY, LIBVIRT_PROVIDER_VERSION, type ProviderSchemaFile, type ResourceSchema } from './provider-schema';
import { schemaPath } from './snapshot';
import { writeFileAtomic } from '../cli/atomic-write';

function readKind(dir: string): Record<string, ResourceSchema> {
  const schemas: Record<string, ResourceSchema> = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.md')).sort()) {
    schemas[`libvirt_${basename(file, '.md')}`] = docToSchema(readFileSync(join(dir, file), 'utf8'));
  }
  return schemas;
}

export function schemaFromDocs(docsDir: string): ProviderSchemaFile {
  const entry = {
    provider: docToSchema(readFileSync(join(docsDir, 'index.md'), 'utf8')),
    resource_schemas: readKind(join(docsDir, 'resources')),
    data_source_schemas: readKind(join(docsDir, 'data-sources')),
  };
  applyDriftOverlay(entry);
  return { format_version: '1.0', provider_schemas: { [LIBVIRT_PROVIDER_KEY]: entry } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [docsDir, version = LIBVIRT_PROVIDER_VERSION] = process.argv.slice(2);
  if (!docsDir) {
    process.stderr.write('usage: npm run schema:import -- <provider docs dir> [version]\n');
    process.exit(2);
  }
  const started = performance.now();
  const schema = schemaFromDocs(docsDir);
  const out = schemaPath(version);
  writeFileAtomic(out, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${out} in ${Math.round(performance.now() - started)} ms\n`);
}
