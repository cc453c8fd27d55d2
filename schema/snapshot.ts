/** Where the committed provider schema snapshot lives, and reading it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import { LIBVIRT_PROVIDER_KEY, LIBVIRT_PROVIDER_VERSION, type ProviderSchemaEntry, type ProviderSchemaFile } from './provider-schema';

const SCHEMA_DIR = dirname(fileURLToPath(import.meta.url));

export function schemaPath(version: string = LIBVIRT_PROVIDER_VERSION): string {
  return join(SCHEMA_DIR, `libvirt-${version}.json`);
}

let cached: ProviderSchemaEntry | undefined;

/** The libvirt provider's entry of the committed snapshot (read once per process). */
export function libvirtSchema(): ProviderSchemaEntry {
  if (!cached) {
    const file = JSON.parse(readFileSync(schemaPath(), 'utf8')) as ProviderSchemaFile;
    const entry = file.provider_schemas[LIBVIRT_PROVIDER_KEY];
    if (!entry) throw new Error(`${schemaPath()} has no schema for ${LIBVIRT_PROVIDER_KEY}`);
    cached = entry;
  }
  return cached;
}
