/**
 * `../shared` beside the repository: outside data some tests read (the provider docs, the libvirt XML
 * corpus). It is never copied into the project; tests that need it skip with a message when it is absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared', import.meta.url));

/** The path of `relative` inside ../shared, or undefined (with a loud warning) when it is not there. */
export function sharedPath(relative: string, whatSkips: string): string | undefined {
  const path = `${SHARED_DIR}/${relative}`;
  if (existsSync(path)) return path;
  console.warn(`\n!!! ${path} not found: ${whatSkips} SKIPPED\n`);
  return undefined;
}
