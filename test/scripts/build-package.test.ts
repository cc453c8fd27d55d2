import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completeSpecifier } from '../../scripts/build-package';

const dir = mkdtempSync(join(tmpdir(), 'hyperplan-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'fleet'));
writeFileSync(join(dir, 'fleet', 'index.js'), '');
writeFileSync(join(dir, 'engine.js'), '');
const from = join(dir, 'main.js');

describe('completeSpecifier (the build’s import paths for Node’s ES module loader)', () => {
  it('adds .js to a module and /index.js to a folder', () => {
    expect(completeSpecifier(from, './engine')).toBe('./engine.js');
    expect(completeSpecifier(from, './fleet')).toBe('./fleet/index.js');
    expect(completeSpecifier(from, './fleet/')).toBe('./fleet/index.js');
  });

  it('keeps complete specifiers and JSON as they are', () => {
    expect(completeSpecifier(from, './engine.js')).toBe('./engine.js');
    expect(completeSpecifier(from, '../package.json')).toBe('../package.json');
  });

  it('fails on a specifier that resolves to nothing, instead of shipping a broken import', () => {
    expect(() => completeSpecifier(from, './missing')).toThrow(/cannot resolve \.\/missing/);
  });
});
