/**
 * `../shared` beside the repository: outside data some tests read (the provider docs, the libvirt XML
 * corpus). It is never copied into the project. On a developer machine, tests that need it skip with a
 * loud message when it is absent; under CI (CI set) nothing skips: a missing folder fails the test file.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared', import.meta.url));

/** True under CI, where every test must run: missing tools or outside data are failures, not skips. */
export const IN_CI = Boolean(process.env.CI);

/**
 * The path of `relative` inside ../shared, or undefined (with a loud warning) when it is not there;
 * under CI a missing path throws, failing the test file that needs it.
 */
export function sharedPath(relative: string, whatSkips: string): string | undefined {
  const path = `${SHARED_DIR}/${relative}`;
  if (existsSync(path)) return path;
  if (IN_CI) throw new Error(`${path} not found, and CI is set: ${whatSkips} required here, never skipped`);
  console.warn(`\n!!! ${path} not found: ${whatSkips} SKIPPED\n`);
  return undefined;
}
