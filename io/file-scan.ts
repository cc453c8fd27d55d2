/**
 * Whether a file contains a text, read a megabyte at a time: a synthesized stack is tens of megabytes,
 * and reading it whole for a check would hold it twice (its bytes and its text) at the end of synthesis,
 * when the memory its stacks used is not yet collected.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 2 ** 20;

/**
 * The first of `texts` (non-empty) that occurs in the file at `path`, compared as UTF-8 bytes (the same
 * answer as `readFileSync(path, 'utf8').includes(text)` for a UTF-8 file: no character's encoding occurs
 * inside another's); undefined when none does.
 */
export function firstTextInFile(path: string, texts: readonly string[]): string | undefined {
  const needles = texts.map((text) => Buffer.from(text, 'utf8'));
  if (needles.some((needle) => needle.length === 0)) throw new Error('firstTextInFile: an empty text occurs in every file');
  const overlap = Math.max(0, ...needles.map((needle) => needle.length - 1));
  const buffer = Buffer.allocUnsafe(CHUNK + overlap);
  const fd = openSync(path, 'r');
  try {
    // The last `overlap` bytes of a chunk stay at the front of the next, so a text across two chunks is found.
    let kept = 0;
    for (;;) {
      const read = readSync(fd, buffer, kept, CHUNK, null);
      if (read === 0) return undefined;
      const filled = kept + read;
      const window = buffer.subarray(0, filled);
      const found = needles.findIndex((needle) => window.includes(needle));
      if (found >= 0) return texts[found];
      kept = Math.min(overlap, filled);
      buffer.copy(buffer, 0, filled - kept, filled);
    }
  } finally {
    closeSync(fd);
  }
}
