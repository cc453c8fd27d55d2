/**
 * The bindings in `.gen/` (and the compiled copy in `dist/.gen/`) record the SHA-256 of the schema
 * snapshot they were generated from; a digest that differs from the snapshot's means they are stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaPath } from './snapshot';

export const BINDINGS_STAMP_FILE = '.schema-sha256';
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

export interface BindingsStamp {
  readonly schemaFile: string;
  /** SHA-256 of the snapshot as committed. */
  readonly schemaDigest: string;
  /** SHA-256 the bindings were generated from, or undefined when there are none. */
  readonly bindingsDigest: string | undefined;
  readonly fresh: boolean;
}

export function schemaDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The stamp of the bindings under `genDir` (default the repository's `.gen/`). */
export function bindingsStamp(genDir: string = join(ROOT, '.gen')): BindingsStamp {
  const schemaFile = schemaPath();
  const digest = schemaDigest(readFileSync(schemaFile, 'utf8'));
  const stampFile = join(genDir, BINDINGS_STAMP_FILE);
  const hasBindings = existsSync(join(genDir, 'providers/libvirt/index.ts')) || existsSync(join(genDir, 'providers/libvirt/index.js'));
  const bindingsDigest = hasBindings && existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : undefined;
  return { schemaFile, schemaDigest: digest, bindingsDigest, fresh: bindingsDigest === digest };
}
