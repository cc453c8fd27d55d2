/**
 * Outputs are written to a temporary sibling and renamed into place, so a failure or a killed process
 * leaves either the previous file or the new one, never a half-written one.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporarySibling(path);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Fills a fresh temporary directory with `fill`, then swaps it in for `path`. The old directory is kept
 * until the new one is in place.
 */
export async function replaceDirectoryAtomic(path: string, fill: (directory: string) => Promise<void> | void): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporarySibling(path);
  const previous = `${temporary}-old`;
  rmSync(temporary, { recursive: true, force: true });
  try {
    mkdirSync(temporary, { recursive: true });
    await fill(temporary);
    if (existsSync(path)) renameSync(path, previous);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
}
