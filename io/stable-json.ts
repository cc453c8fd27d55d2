/**
 * The JSON text cdktf writes for a stack: `json-stable-stringify` 1.3 with `{ space: 2 }` (cdktf 0.21
 * lib/synthesize/synthesizer.js), re-implemented so that parts of a document can be rendered ahead of
 * time (`PreRendered`) and the objects they came from dropped: at 20,000 VMs the resolved document of a
 * stack is a few hundred megabytes of objects, its text a fifth of that.
 *
 * The format, as json-stable-stringify writes it: object keys sorted by `Array.prototype.sort` (UTF-16
 * code units); every member and element on a line of its own, indented by two spaces a level; an empty
 * object or array is `{` or `[` then a newline and the closing bracket at the parent's indentation (no
 * `{}`); members whose value is `undefined` (or a function) are left out, array elements that are become
 * `null`; `toJSON()` is honoured; scalars are `JSON.stringify`'s.
 */

import { closeSync, openSync, writeSync } from 'node:fs';

const SPACE = '  ';

/** Text of a value already rendered by `stableJson` at `level`, to be placed at that level. */
export class PreRendered {
  constructor(
    readonly text: string,
    readonly level: number,
  ) {}
}

/**
 * `value` as json-stable-stringify writes it with `{ space: 2 }`, as if it sat `level` levels deep (0 for
 * a whole document). `PreRendered` values are placed as they are; undefined when `value` renders to
 * nothing (undefined, a function).
 */
export function stableJson(value: unknown, level = 0): string | undefined {
  let node = value;
  if (node instanceof PreRendered) {
    if (node.level !== level) throw new Error(`text rendered for level ${node.level} placed at level ${level}`);
    return node.text;
  }
  if (node !== null && typeof node === 'object' && typeof (node as { toJSON?: unknown }).toJSON === 'function') {
    node = (node as { toJSON: () => unknown }).toJSON();
  }
  if (node === undefined) return undefined;
  if (typeof node !== 'object' || node === null) return JSON.stringify(node);
  const indent = `\n${SPACE.repeat(level)}`;
  const inner = indent + SPACE;
  // Parts joined once per level (as json-stable-stringify does) rather than appended: a flat string, not
  // a rope of millions of pieces.
  const parts: string[] = [];
  if (Array.isArray(node)) {
    for (const element of node) parts.push(inner + (stableJson(element, level + 1) || 'null'));
    return `[${parts.join(',')}${indent}]`;
  }
  const object = node as Record<string, unknown>;
  for (const key of Object.keys(object).sort()) {
    const rendered = stableJson(object[key], level + 1);
    if (rendered) parts.push(`${inner}${JSON.stringify(key)}: ${rendered}`);
  }
  return `{${parts.join(',')}${indent}}`;
}

/**
 * Writes `value` as `stableJson(value)` would render it, in pieces through `write`: objects and arrays
 * are walked here and `PreRendered` texts passed on as they are, so the whole text never exists as one
 * string (a stack of 20,000 VMs is tens of megabytes, and joining it would copy it once a level).
 */
export function writeStableJson(write: (text: string) => void, value: unknown, level = 0): void {
  if (value instanceof PreRendered || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    write(stableJson(value, level) ?? '');
    return;
  }
  const indent = `\n${SPACE.repeat(level)}`;
  const inner = indent + SPACE;
  if (Array.isArray(value)) {
    write('[');
    value.forEach((element, index) => {
      write(`${index > 0 ? ',' : ''}${inner}`);
      if (rendersNothing(element)) write('null');
      else writeStableJson(write, element, level + 1);
    });
    write(`${indent}]`);
    return;
  }
  const object = value as Record<string, unknown>;
  write('{');
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (rendersNothing(member)) continue;
    write(`${first ? '' : ','}${inner}${JSON.stringify(key)}: `);
    writeStableJson(write, member, level + 1);
    first = false;
  }
  write(`${indent}}`);
}

/** Whether json-stable-stringify leaves `value` out (a member) or writes `null` for it (an element). */
function rendersNothing(value: unknown): boolean {
  if (value instanceof PreRendered) return false;
  if (value !== null && typeof value === 'object') {
    return typeof (value as { toJSON?: unknown }).toJSON === 'function' && !stableJson(value);
  }
  return !stableJson(value);
}

/** Writes `value` to `path` as `stableJson(value)`, a megabyte at a time (see `writeStableJson`). */
export function writeStableJsonFile(path: string, value: unknown): void {
  const fd = openSync(path, 'w');
  try {
    let pending = '';
    const flush = (): void => {
      const bytes = Buffer.from(pending, 'utf8');
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      pending = '';
    };
    writeStableJson((text) => {
      pending += text;
      if (pending.length >= CHUNK) flush();
    }, value);
    flush();
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 2 ** 20;
