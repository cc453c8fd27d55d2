/**
 * The YAML side of loading: parse with positions, point a data path at its node, and record where each
 * named object and field starts. Positions come from the `yaml` AST, so JSON files (which are YAML) work too.
 */
import { LineCounter, Scalar, YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node, ParsedNode } from 'yaml';
import type { SourceLocation } from './model';
import type { PathSegment } from './problems';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface YamlSource {
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface SyntaxProblem extends Position {
  readonly message: string;
}

const START: Position = { line: 1, column: 1 };

export function parseYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  // prettyErrors off: messages must not quote source lines, which may hold secrets.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  // An alias whose anchor is not defined before it makes toJS() throw (found by test/robustness fuzzing):
  // report it as a located syntax problem and read it as null so the rest of the file is still checked.
  // Only texts with a '*' can hold an alias; the others skip the walk.
  if (text.includes('*')) {
    visit(document, {
      Alias(_key, node) {
        if (node.resolve(document) !== undefined) return undefined;
        const offset = node.range?.[0] ?? 0;
        document.errors.push(new YAMLParseError([offset, offset + 1], 'BAD_ALIAS', `alias *${node.source} has no anchor &${node.source} before it`));
        return new Scalar(null);
      },
    });
  }
  return { document, lineCounter };
}

export function positionAt(source: YamlSource, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line: Math.max(1, line), column: Math.max(1, col) };
}

/** A key token starting at `offset` (quoted or plain), without its quotes. */
function keyAt(text: string, offset: number): string {
  const token = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:,{}[\]]+)/.exec(text.slice(offset, offset + 200))?.[0] ?? '';
  return token.replace(/^["']|["']$/g, '');
}

export function syntaxProblems(source: YamlSource, text: string): SyntaxProblem[] {
  return source.document.errors.map((error) => ({
    ...positionAt(source, error.pos[0]),
    message:
      error.code === 'DUPLICATE_KEY'
        ? `duplicate key '${keyAt(text, error.pos[0])}': each key may appear once in a mapping`
        : `YAML: ${error.message.split('\n')[0] ?? error.code}`,
  }));
}

function nodeStart(source: YamlSource, node: Node | null | undefined): Position | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : positionAt(source, offset);
}

function deref(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.document) : node;
}

/**
 * The node at `path` (its key when `at` is 'key'), or the nearest existing ancestor when the path
 * leads to something missing, e.g. a required key that is not there.
 */
export function locatePath(source: YamlSource, path: readonly PathSegment[], at?: 'key'): Position {
  let node: unknown = source.document.contents;
  let best = nodeStart(source, node as ParsedNode | null) ?? START;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    node = deref(source, node);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      keyNode = pair?.key;
      next = pair?.value ?? pair?.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined || next === null) return best;
    const pointAtKey = at === 'key' && depth === path.length - 1 && keyNode !== undefined;
    best = nodeStart(source, (pointAtKey ? keyNode : next) as Node) ?? best;
    node = next;
  }
  return best;
}

/**
 * Positions of named objects and everything inside them, keyed like `vms[web-1].disks[0].size`
 * (list items of the top-level sections by name, other list items by index). One walk of the AST.
 */
export function collectLocations(source: YamlSource, file: string): Record<string, SourceLocation> {
  // No prototype: a key such as 'constructor' in the file must not collide with Object's own members.
  const locations = Object.create(null) as Record<string, SourceLocation>;
  const record = (key: string, node: unknown): void => {
    if (key in locations) return; // a duplicate name keeps the first declaration's position
    const offset = (node as Node | null)?.range?.[0];
    if (offset === undefined) return;
    const { line, col } = source.lineCounter.linePos(offset);
    locations[key] = { file, line, column: col };
  };
  const walk = (node: unknown, prefix: string): void => {
    const target = deref(source, node);
    if (isMap(target)) {
      for (const pair of target.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = `${prefix === '' ? '' : `${prefix}.`}${String(pair.key.value)}`;
        record(key, pair.value ?? pair.key);
        walk(pair.value, key);
      }
    } else if (isSeq(target)) {
      target.items.forEach((item, index) => {
        const key = `${prefix}[${index}]`;
        record(key, item);
        walk(item, key);
      });
    }
  };
  const root = source.document.contents;
  if (!isMap(root)) return locations;
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const section = String(pair.key.value);
    const value = deref(source, pair.value);
    if (!isSeq(value)) {
      record(section, pair.value ?? pair.key);
      walk(pair.value, section);
      continue;
    }
    record(section, value);
    value.items.forEach((item, index) => {
      const target = deref(source, item);
      const name = isMap(target) ? target.get('name') : undefined;
      const key = `${section}[${typeof name === 'string' ? name : index}]`;
      record(key, item);
      walk(item, key);
    });
  }
  return locations;
}
