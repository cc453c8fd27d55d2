/**
 * `npm run get` (also run by `npm ci` / `npm install` in this repository, as `prepare`): generates the CDKTF bindings in `.gen/providers/libvirt` from the
 * committed schema snapshot with @cdktf/provider-generator — what `cdktf get` does after
 * `terraform init`, without downloading the provider. Skips the work when the snapshot is unchanged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { schemaPath } from './snapshot';
import { BINDINGS_STAMP_FILE, bindingsStamp } from './bindings-stamp';
import { LIBVIRT_PROVIDER_KEY, LIBVIRT_PROVIDER_VERSION, type ProviderSchemaFile } from './provider-schema';
import { replaceDirectoryAtomic } from '../io/atomic-write';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const GEN_DIR = join(ROOT, '.gen');

interface ProviderGenerator {
  generateProviderBindingsFromSchema(targetPath: string, schema: unknown): Promise<void>;
}

/** Writes the bindings for `schemaText` (a `terraform providers schema -json` document) into `directory`. */
export async function generateBindings(directory: string, schemaText: string): Promise<void> {
  const schema = JSON.parse(schemaText) as ProviderSchemaFile;
  // The generator writes this constraint into `required_providers`; `~>` admits later 0.9.x releases.
  schema.provider_versions = { [LIBVIRT_PROVIDER_KEY]: `~> ${LIBVIRT_PROVIDER_VERSION}` };
  const generator = createRequire(import.meta.url)('@cdktf/provider-generator') as ProviderGenerator;
  await generator.generateProviderBindingsFromSchema(directory, schema);
}

async function main(): Promise<void> {
  process.env.CHECKPOINT_DISABLE ??= '1';
  const text = readFileSync(schemaPath(), 'utf8');
  const stamp = bindingsStamp(GEN_DIR);
  if (stamp.fresh) {
    process.stdout.write('bindings up to date (.gen/providers/libvirt)\n');
    return;
  }
  const started = performance.now();
  await replaceDirectoryAtomic(GEN_DIR, async (directory) => {
    await generateBindings(directory, text);
    writeFileSync(join(directory, BINDINGS_STAMP_FILE), stamp.schemaDigest);
  });
  process.stdout.write(`generated .gen/providers/libvirt in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
