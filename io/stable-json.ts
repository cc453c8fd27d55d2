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
  ) {
    flatten(text);
  }
}

/**
 * Text of a value rendered only when the document is written (`render()`, as `stableJson` renders at
 * `level`, never empty), so that a stack's bodies never all exist as text at once: each is rendered,
 * written and dropped in turn (`writeStableJsonFile`).
 */
export class RenderedOnWrite {
  constructor(
    readonly render: () => string,
    readonly level: number,
  ) {}
}

/**
 * Makes V8 store `text` as one run of characters. A text built by appending (as `stableJson` builds one)
 * is held as a tree of its pieces, about six times its own size, until V8 first needs its characters in
 * a row; a text kept for later (`PreRendered`) is flattened at once, so the pieces are freed young.
 * `charCodeAt` flattens (V8's String::Flatten); `Number(text)` and `indexOf` do not.
 */
function flatten(text: string): void {
  text.charCodeAt(0);
}

/** `\n` and two spaces per level, made once per level: every line of a document starts with one. */
const INDENTS: string[] = [];

export function indentOf(level: number): string {
  return (INDENTS[level] ??= `\n${SPACE.repeat(level)}`);
}

/**
 * `value` as json-stable-stringify writes it with `{ space: 2 }`, as if it sat `level` levels deep (0 for
 * a whole document). `PreRendered` values are placed as they are, `RenderedOnWrite` ones rendered; undefined when `value` renders to
 * nothing (undefined, a function).
 */
export function stableJson(value: unknown, level = 0): string | undefined {
  let node = value;
  if (node instanceof PreRendered || node instanceof RenderedOnWrite) {
    if (node.level !== level) throw new Error(`text rendered for level ${node.level} placed at level ${level}`);
    return node instanceof PreRendered ? node.text : node.render();
  }
  if (node !== null && typeof node === 'object' && typeof (node as { toJSON?: unknown }).toJSON === 'function') {
    node = (node as { toJSON: () => unknown }).toJSON();
  }
  if (node === undefined) return undefined;
  if (typeof node !== 'object' || node === null) return JSON.stringify(node);
  return Array.isArray(node) ? stableArrayJson(node, level, memberJson) : stableObjectJson(node as Record<string, unknown>, level, memberJson);
}

/** `stableJson` as a `RenderMember`: every member is there, `''` when it renders to nothing. */
function memberJson(value: unknown, level: number): string {
  return stableJson(value, level) ?? '';
}

/**
 * How a member or element is rendered at `level`: its text; `''` for one that renders to nothing (left
 * out as a member, `null` as an element); undefined for one that is not there at all (left out as both).
 */
export type RenderMember = (value: unknown, level: number) => string | undefined;

/**
 * An array's text, its elements rendered by `render` one level deeper. Texts are appended rather than
 * collected and joined once per level: appending links the pieces (V8 joins them once, when the text is
 * written), where a join per level copies a body's text once for every level above its leaves.
 */
export function stableArrayJson(array: readonly unknown[], level: number, render: RenderMember): string {
  const inner = indentOf(level + 1);
  let text = '[';
  let first = true;
  for (const element of array) {
    const rendered = render(element, level + 1);
    if (rendered === undefined) continue;
    text += `${first ? '' : ','}${inner}${rendered || 'null'}`;
    first = false;
  }
  return `${text}${indentOf(level)}]`;
}

/**
 * `Object.keys(object).sort()`, without sorting when the keys are in order already, as most are (the
 * generated bindings' objects list their attributes in order): `sort` copies the keys even then, and at
 * fleet scale that copy is a large share of what rendering allocates. `>` compares strings by UTF-16
 * code units, as `sort` does.
 */
function sortedKeys(object: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
  return keys;
}

/** An object's text, keys sorted, its members rendered by `render` one level deeper (see `stableArrayJson`). */
export function stableObjectJson(object: Readonly<Record<string, unknown>>, level: number, render: RenderMember): string {
  const inner = indentOf(level + 1);
  let text = '{';
  let first = true;
  for (const key of sortedKeys(object)) {
    const rendered = render(object[key], level + 1);
    if (!rendered) continue;
    text += `${first ? '' : ','}${inner}${JSON.stringify(key)}: ${rendered}`;
    first = false;
  }
  return `${text}${indentOf(level)}}`;
}

/**
 * Writes `value` as `stableJson(value)` would render it, in pieces through `write`: objects and arrays
 * are walked here, `PreRendered` texts passed on as they are and `RenderedOnWrite` ones rendered as they
 * are reached, so the whole text never exists as one string (a stack of 20,000 VMs is tens of megabytes,
 * and joining it would copy it once a level).
 */
export function writeStableJson(write: (text: string) => void, value: unknown, level = 0): void {
  if (value instanceof PreRendered || value instanceof RenderedOnWrite || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    write(stableJson(value, level) ?? '');
    return;
  }
  const indent = indentOf(level);
  const inner = indentOf(level + 1);
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
  for (const key of sortedKeys(object)) {
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
  if (value instanceof PreRendered || value instanceof RenderedOnWrite) return false;
  if (value !== null && typeof value === 'object') {
    return typeof (value as { toJSON?: unknown }).toJSON === 'function' && !stableJson(value);
  }
  return !stableJson(value);
}

/**
 * Writes `value` to `path` as `stableJson(value)`, through a one-megabyte buffer (see `writeStableJson`).
 * Each piece of text is copied into the buffer as it comes, so none outlives its rendering: a piece kept
 * until a megabyte of them is joined survives the young generation's collections and is promoted to the
 * old one, where a document's worth of them waits for the next full collection.
 */
export function writeStableJsonFile(path: string, value: unknown): void {
  const fd = openSync(path, 'w');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let used = 0;
    const writeBytes = (bytes: Buffer, length: number): void => {
      for (let written = 0; written < length; ) written += writeSync(fd, bytes, written, length - written);
    };
    writeStableJson((text) => {
      // A UTF-16 code unit is at most three bytes of UTF-8 (a surrogate pair, two units, is four).
      if (text.length * 3 > CHUNK - used) {
        writeBytes(buffer, used);
        used = 0;
        if (text.length * 3 > CHUNK) {
          const bytes = Buffer.from(text, 'utf8');
          writeBytes(bytes, bytes.length);
          return;
        }
      }
      used += buffer.write(text, used, 'utf8');
    }, value);
    writeBytes(buffer, used);
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 2 ** 20;
