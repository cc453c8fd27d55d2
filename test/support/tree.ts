/** A directory's files, to compare a directory before and after a command. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir: string, read: (path: string) => string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) visit(path);
      else files[relative(dir, path)] = read(path);
    }
  };
  visit(dir);
  return files;
}

/** Every file under `dir` (relative path → SHA-256 of its bytes). */
export function snapshotDir(dir: string): Record<string, string> {
  return walk(dir, (path) => createHash('sha256').update(readFileSync(path)).digest('hex'));
}

/** Every file under `dir` with its text. */
export function readTree(dir: string): Record<string, string> {
  return walk(dir, (path) => readFileSync(path, 'utf8'));
}
