/**
 * `npm run build` (and `npm pack` through `prepack`): compiles the library and the generated libvirt
 * bindings into `dist/` (JavaScript + `.d.ts`) with tsc, so the installed package runs without tsx and
 * without the provider generator. The sources import each other without extensions (bundler resolution,
 * as tsx runs them); Node's ES module loader needs full paths, so every relative specifier of the output
 * is completed here (`./fleet/index` → `./fleet/index.js`, a folder → its `index.js`).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindingsStamp } from '../schema/bindings-stamp';
import { schemaPath } from '../schema/snapshot';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');
/** `from '…'`, `import '…'`, `import('…')` and `require('…')` with a relative specifier. */
const RELATIVE_SPECIFIER = /((?:\bfrom|\bimport|\bimport\(|\brequire\()\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The specifier Node's ES module loader resolves to the same file the bundler resolution meant. */
export function completeSpecifier(fromFile: string, specifier: string): string {
  if (/\.(m?js|json)$/.test(specifier)) return specifier;
  const target = resolve(dirname(fromFile), specifier);
  if (existsSync(`${target}.js`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.js'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`${fromFile}: cannot resolve ${specifier} in the compiled output`);
}

function completeSpecifiers(): number {
  let rewritten = 0;
  for (const file of filesUnder(DIST).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8');
    // A `.d.ts` names the `.js` file it describes, as Node16 resolution expects.
    const jsFile = file.endsWith('.d.ts') ? `${file.slice(0, -'.d.ts'.length)}.js` : file;
    const next = text.replace(RELATIVE_SPECIFIER, (_all, keyword: string, quote: string, specifier: string) =>
      `${keyword}${quote}${completeSpecifier(jsFile, specifier)}${quote}`);
    if (next !== text) {
      writeFileSync(file, next);
      rewritten += 1;
    }
  }
  return rewritten;
}

function main(): void {
  const started = performance.now();
  const stamp = bindingsStamp();
  if (!stamp.fresh) throw new Error(`.gen/providers/libvirt is stale against ${stamp.schemaFile}; run npm run get first`);
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const files = completeSpecifiers();
  // Read at run time by schema/snapshot.ts (review's sensitive-attribute lookup) beside the compiled module.
  copyFileSync(schemaPath(), join(DIST, 'schema', basename(schemaPath())));
  // The shipped bindings carry the digest of the schema they were generated from (checked by the tests).
  copyFileSync(join(ROOT, '.gen', '.schema-sha256'), join(DIST, '.gen', '.schema-sha256'));
  process.stdout.write(`built dist/ (${files} files with completed import paths) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
