import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstTextInFile } from '../../io/file-scan';

const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-file-scan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MIB = 2 ** 20;

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('firstTextInFile', () => {
  it('finds a text in a small file, and the first of several in the order given', () => {
    const path = file('small.json', '{ "path": "/tmp/out.tmp-42/stacks" }');
    expect(firstTextInFile(path, ['/tmp/out.tmp-42'])).toBe('/tmp/out.tmp-42');
    expect(firstTextInFile(path, ['/absent', 'stacks', '/tmp'])).toBe('stacks');
    expect(firstTextInFile(path, ['/absent', 'tmp-43'])).toBeUndefined();
    expect(firstTextInFile(file('empty.json', ''), ['x'])).toBeUndefined();
  });

  it('finds a text that starts in one megabyte read and ends in the next, and one near the end of a long file', () => {
    const needle = '/work/cdktf.out.tmp-1234';
    for (const at of [MIB - 1, MIB - needle.length + 1, MIB, 3 * MIB - needle.length]) {
      const text = `${'a'.repeat(at)}${needle}${'b'.repeat(3 * MIB - at - needle.length)}`;
      expect(firstTextInFile(file(`at-${at}.json`, text), ['/elsewhere', needle])).toBe(needle);
    }
    expect(firstTextInFile(file('without.json', 'a'.repeat(3 * MIB)), [needle])).toBeUndefined();
  });

  it('compares UTF-8 text: a path with multi-byte characters across a boundary', () => {
    const needle = '/home/jörg/ölçü/out';
    // 349,525 three-byte characters end one byte before the first megabyte: the path starts there.
    const text = `${'€'.repeat(Math.floor(MIB / 3))}${needle}`;
    expect(firstTextInFile(file('wide.json', text), [needle])).toBe(needle);
    expect(firstTextInFile(file('wide-without.json', text.slice(0, -1)), [needle])).toBeUndefined();
  });

  it('refuses an empty text, which every file contains', () => {
    expect(() => firstTextInFile(file('any.json', 'x'), [''])).toThrow(/empty text/);
  });
});
