/**
 * A fast path for loading big fleet files. The `yaml` package builds a full AST with ranges, which costs
 * about 1 s per MB here. Two faster parsers record where each value starts: simple-yaml.ts for plain
 * files (one pass), else js-yaml through its `listener` hook. From those starts this module answers the
 * same `locations` map the AST walk in yaml-source.ts gives (the value start of every field and list item).
 *
 * Only for valid, anchor-free files: on any parse error, anchor or alias the loader takes the precise
 * `yaml` path, which also locates every problem. So error messages never depend on which path ran.
 */
import { load, CORE_SCHEMA } from 'js-yaml';
import type { SourceLocation } from './model';
import { simpleParse } from './simple-yaml';
import type { ChildStarts } from './simple-yaml';

export interface FastParse {
  readonly data: unknown;
  /**
   * Start offsets of the children of every mapping and sequence value, by identity: the offset of the
   * child, or before blanks and comments that precede it (js-yaml's `open` event; `skipBlank` finds the
   * child itself, on lookup).
   */
  readonly starts: Map<object, ChildStarts>;
}

/** Anchors and aliases share objects between places; leave those files to the precise path. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s,\]}]/m;

function skipBlank(text: string, offset: number): number {
  let at = offset;
  for (;;) {
    const char = text.charCodeAt(at);
    if (char === 32 || char === 9 || char === 10 || char === 13) {
      at += 1;
    } else if (char === 35 /* # */) {
      const end = text.indexOf('\n', at);
      if (end < 0) return text.length;
      at = end + 1;
    } else {
      return at;
    }
  }
}

/**
 * Parses `text`, or returns undefined when the precise path must be used. Never throws. Plain files go
 * through simple-yaml.ts, the others through js-yaml.
 */
export function fastParse(text: string): FastParse | undefined {
  if (ANCHOR_OR_ALIAS.test(text)) return undefined;
  return simpleParse(text) ?? jsYamlParse(text);
}

/**
 * js-yaml's parse with the start of every node, from its listener events.
 *
 * js-yaml opens and closes a node for every scalar, key, mapping and sequence (~700,000 of them in a
 * 20,000-VM file), so the listener allocates nothing per node: the nodes closed inside the open ones
 * sit in two flat arrays (open offset, value), and each open node remembers where its children begin.
 */
export function jsYamlParse(text: string): FastParse | undefined {
  const starts = new Map<object, ChildStarts>();
  /**
   * Open offset and value of each closed node whose parent is still open, parents' children in order;
   * the first `closed` entries count (the arrays never shrink, so V8 never trims and regrows them).
   */
  const offsets: number[] = [];
  const results: unknown[] = [];
  let closed = 0;
  /** Of each open node: its open offset, and where its children begin in `offsets` and `results`. */
  const opens: number[] = [];
  const firstChild: number[] = [];
  let consistent = true;
  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }): void => {
    if (event === 'open') {
      opens.push(state.position);
      firstChild.push(closed);
      return;
    }
    if (opens.length === 0) return;
    const open = opens.pop()!;
    const first = firstChild.pop()!;
    const { result } = state;
    // A block-sequence item is wrapped in a second node with the same result; the inner one, closed
    // first, holds the children.
    if (result !== null && typeof result === 'object' && !starts.has(result)) {
      if (Array.isArray(result)) {
        starts.set(result, offsets.slice(first, closed));
      } else {
        // Children alternate key, value, in the order of Object.keys (keys that look like array indexes
        // come first there, so such a mapping is left to the precise path); a key without a composed
        // value breaks the pattern.
        const keys = Object.keys(result);
        const valueOffsets: number[] = [];
        if ((closed - first) >> 1 !== keys.length) consistent = false;
        for (let index = first; index + 1 < closed && consistent; index += 2) {
          if (results[index] !== keys[valueOffsets.length]) consistent = false;
          valueOffsets.push(offsets[index + 1]!);
        }
        starts.set(result, valueOffsets);
      }
    }
    offsets[first] = open;
    results[first] = result;
    closed = first + 1;
  };
  try {
    const data = load(text, { schema: CORE_SCHEMA, listener } as Parameters<typeof load>[1]);
    return consistent && data !== null && data !== undefined ? { data, starts } : undefined;
  } catch {
    return undefined;
  }
}


function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

const SEGMENT = /([^.[\]]+)|\[([^\]]*)\]/g;

/**
 * The locations map of yaml-source.ts `collectLocations` (top-level sections, items of list sections by
 * name, every field and list item below them), answered per path on demand: a 20,000-VM file has
 * ~350,000 paths and a check looks up only those with findings. Enumerating it builds the whole map.
 */
export function fastLocations(parsed: FastParse, text: string, file: string): Record<string, SourceLocation> {
  let lines: number[] | undefined;
  /** The location of the node js-yaml opened at `open`. */
  const toLocation = (open: number): SourceLocation => {
    const offset = skipBlank(text, open);
    lines ??= lineStarts(text);
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lines[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { file, line: low + 1, column: offset - lines[low]! + 1 };
  };
  const byName = new Map<unknown[], Map<string, number>>();
  const indexByName = (items: unknown[]): Map<string, number> => {
    let names = byName.get(items);
    if (!names) {
      names = new Map();
      items.forEach((item, index) => {
        const name = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).name : undefined;
        if (typeof name === 'string' && !names!.has(name)) names!.set(name, index);
      });
      byName.set(items, names);
    }
    return names;
  };
  const resolvePath = (path: string): SourceLocation | undefined => {
    let value: unknown = parsed.data;
    let offset: number | undefined;
    let depth = 0;
    for (const match of path.matchAll(SEGMENT)) {
      if (value === null || typeof value !== 'object') return undefined;
      const node = parsed.starts.get(value);
      if (!node) return undefined;
      if (match[1] !== undefined) {
        if (Array.isArray(value)) return undefined;
        offset = node[Object.keys(value).indexOf(match[1])];
        value = (value as Record<string, unknown>)[match[1]];
      } else {
        if (!Array.isArray(value)) return undefined;
        const label = match[2]!;
        // Items of top-level list sections are keyed by name when they have one, others by index.
        const named = depth === 1 ? indexByName(value).get(label) : undefined;
        const index = named ?? (/^\d+$/.test(label) && (depth !== 1 || typeof (value[Number(label)] as { name?: unknown } | undefined)?.name !== 'string') ? Number(label) : -1);
        offset = node[index];
        value = value[index];
      }
      if (offset === undefined) return undefined;
      depth += 1;
    }
    return offset === undefined ? undefined : toLocation(offset);
  };
  let everything: Record<string, SourceLocation> | undefined;
  const all = (): Record<string, SourceLocation> => (everything ??= collectFastLocations(parsed, toLocation));
  const cache = new Map<string, SourceLocation | undefined>();
  const lookup = (path: string): SourceLocation | undefined => {
    if (!cache.has(path)) cache.set(path, resolvePath(path));
    return cache.get(path);
  };
  return new Proxy(Object.create(null) as Record<string, SourceLocation>, {
    get: (_target, key) => (typeof key === 'string' ? lookup(key) : undefined),
    has: (_target, key) => typeof key === 'string' && lookup(key) !== undefined,
    getOwnPropertyDescriptor: (_target, key) => {
      const value = typeof key === 'string' ? lookup(key) : undefined;
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
    ownKeys: () => Object.keys(all()),
  });
}

function collectFastLocations(parsed: FastParse, toLocation: (offset: number) => SourceLocation): Record<string, SourceLocation> {
  const locations = Object.create(null) as Record<string, SourceLocation>;
  const record = (key: string, offset: number | undefined): void => {
    if (offset !== undefined && !(key in locations)) locations[key] = toLocation(offset);
  };
  const walk = (value: unknown, prefix: string): void => {
    if (value === null || typeof value !== 'object') return;
    const node = parsed.starts.get(value);
    if (!node) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const key = `${prefix}[${index}]`;
        record(key, node[index]);
        walk(item, key);
      });
      return;
    }
    Object.keys(value).forEach((field, index) => {
      const key = `${prefix === '' ? '' : `${prefix}.`}${field}`;
      record(key, node[index]);
      walk((value as Record<string, unknown>)[field], key);
    });
  };
  const root = parsed.data;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return locations;
  const rootNode = parsed.starts.get(root);
  if (!rootNode) return locations;
  Object.keys(root).forEach((section, sectionIndex) => {
    const value = (root as Record<string, unknown>)[section];
    record(section, rootNode[sectionIndex]);
    if (!Array.isArray(value)) {
      walk(value, section);
      return;
    }
    const items = parsed.starts.get(value);
    value.forEach((item, index) => {
      const name = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).name : undefined;
      const key = `${section}[${typeof name === 'string' ? name : index}]`;
      record(key, items?.[index]);
      walk(item, key);
    });
  });
  return locations;
}
