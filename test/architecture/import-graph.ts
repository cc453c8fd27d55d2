/**
 * The repository's import graph and the rules it must keep: layers point down only, and no file cycle.
 * Read with the TypeScript compiler's own import scanner (`ts.preProcessFile`), so every import form
 * counts: static, type-only, re-exports and dynamic `import()` of a literal path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The layers from the top down, each a list of folders or files (the longest match places a path); a
 * module may import its own layer and any layer below it. The entry points and scripts (cli, bench,
 * main.ts, the package entry index.ts, the schema and build scripts, the example app) sit on top; the
 * construct-first library sits with the pipeline, since both place, check and build stacks; the provider schema snapshot and its types sit with the
 * bindings generated from them.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'bench', 'main.ts', 'index.ts', 'schema', 'scripts', 'examples', 'vitest.config.ts', 'vitest.package.config.ts'],
  ['pipeline', 'library'],
  ['review', 'libvirt'],
  ['stacks'],
  ['constructs', '.gen', 'schema/snapshot.ts', 'schema/provider-schema.ts'],
  ['policies'],
  ['planner'],
  ['fleet'],
  ['io'],
];

/** An import of `to` by `from`, both repository-relative with `/` separators. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** The entry of LAYERS that places a repository path: the longest folder or file that contains it. */
export function unitOf(path: string): string | undefined {
  const units = LAYERS.flat().filter((unit) => path === unit || path.startsWith(`${unit}/`));
  return units.sort((a, b) => b.length - a.length)[0];
}

/** The index in LAYERS of a path's layer (0 is the top), or undefined for a path in no layer. */
export function layerOf(path: string): number | undefined {
  const unit = unitOf(path);
  return unit === undefined ? undefined : LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Edges that point up: the imported module's layer is above the importer's. */
export function upwardImports(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === undefined) problems.push(`${from}: in no layer (add its folder to LAYERS)`);
    else if (b === undefined) problems.push(`${from} imports ${to}, which is in no layer`);
    else if (b < a) problems.push(`${from} (${unitOf(from)}) imports ${to} (${unitOf(to)}), a layer above it`);
  }
  return [...new Set(problems)];
}

/** Every file cycle, each as its files in import order starting from the smallest path (Tarjan's SCCs). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (next.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

const SKIPPED_DIRS = new Set(['node_modules', 'test', 'cdktf.out', 'coverage', '.git']);

/** Every non-test TypeScript source of the repository at `root` (generated bindings included), sorted. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !(dir === root && entry.name.startsWith('.') && entry.name !== '.gen'))
          walk(join(dir, entry.name));
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) {
        files.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return files.sort();
}

/** The repository file a relative specifier names (`./x` → `x.ts` or `x/index.ts`), or undefined. */
function resolveSpecifier(root: string, from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = relative(root, resolve(root, dirname(from), specifier))
    .split(sep)
    .join('/');
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')]) {
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/** The import edges between the repository's own source files (packages and node: modules left out). */
export function importEdges(root: string): ImportEdge[] {
  const files = sourceFiles(root);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const info = ts.preProcessFile(readFileSync(join(root, from), 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = resolveSpecifier(root, from, fileName, known);
      if (to !== undefined) edges.push({ from, to });
    }
  }
  return edges;
}
