/**
 * The JSON text cdktf writes for a stack: `json-stable-stringify` 1.3 with `{ space: 2 }` (cdktf 0.21
 * lib/synthesize/synthesizer.js), re-implemented so that a document can be written in pieces straight
 * into its file, parts of it rendered ahead of time (`PreRendered`) or only as the writer reaches them
 * (`RenderedOnWrite`): at 20,000 VMs the resolved document of a stack is a few hundred megabytes of
 * objects, its text tens of megabytes.
 *
 * The format, as json-stable-stringify writes it: object keys sorted by `Array.prototype.sort` (UTF-16
 * code units); every member and element on a line of its own, indented by two spaces a level; an empty
 * object or array is `{` or `[` then a newline and the closing bracket at the parent's indentation (no
 * `{}`); members whose value is `undefined` (or a function) are left out, array elements that are become
 * `null`; `toJSON()` is honoured; scalars are `JSON.stringify`'s.
 */

import { closeSync, openSync, writeSync } from 'node:fs';

const SPACE = '  ';

/**
 * Where the text of a document goes, piece by piece: a string being built (`stableJson`) or a file
 * (`writeStableJsonFile`), which copies each piece into its buffer as it comes, so that the pieces of a
 * document never exist as one text.
 */
export interface JsonOutput {
  /** Text as it is: punctuation, or a value already rendered. */
  text(piece: string): void;
  /** A string value: `JSON.stringify(value)`. */
  string(value: string): void;
  /** A number value: `JSON.stringify(value)`. */
  number(value: number): void;
  /** A line break and the indentation of `level`: `\n` and two spaces per level. */
  indent(level: number): void;
}

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
 * A value rendered only when the document is written (`write`, as `writeStableJson` writes a value at
 * `level`; it always writes something), so that a stack's bodies never all exist as text or objects
 * at once: each is made, written and dropped in turn.
 */
export class RenderedOnWrite {
  constructor(
    readonly write: (out: JsonOutput) => void,
    readonly level: number,
  ) {}
}

/**
 * Makes V8 store `text` as one run of characters. A text built by appending is held as a tree of its
 * pieces, about six times its own size, until V8 first needs its characters in a row; a text kept for
 * later (`PreRendered`) is flattened at once, so the pieces are freed young. `charCodeAt` flattens
 * (V8's String::Flatten); `Number(text)` and `indexOf` do not.
 */
function flatten(text: string): void {
  text.charCodeAt(0);
}

/** `\n` and two spaces per level, made once per level: every line of a document starts with one. */
const INDENTS: string[] = [];

function indentOf(level: number): string {
  return (INDENTS[level] ??= `\n${SPACE.repeat(level)}`);
}

/**
 * Opens member `key` of an object whose members sit at `level`: the comma before every member but the
 * first, the member's line and its key. The value follows.
 */
export function writeMemberKey(out: JsonOutput, key: string, first: boolean, level: number): void {
  if (!first) out.text(',');
  out.indent(level);
  out.string(key);
  out.text(': ');
}

/** The output `stableJson` renders into: one string, appended to. */
class StringOutput implements JsonOutput {
  value = '';

  text(piece: string): void {
    this.value += piece;
  }

  string(value: string): void {
    this.value += JSON.stringify(value);
  }

  number(value: number): void {
    this.value += JSON.stringify(value);
  }

  indent(level: number): void {
    this.value += indentOf(level);
  }
}

/**
 * `value` as json-stable-stringify writes it with `{ space: 2 }`, as if it sat `level` levels deep (0 for
 * a whole document); undefined when `value` renders to nothing (undefined, a function).
 */
export function stableJson(value: unknown, level = 0): string | undefined {
  const out = new StringOutput();
  return writeStableJson(out, value, level) ? out.value : undefined;
}

/**
 * Renders `render(out)` into a string: the text a writer of `JsonOutput` writes (empty when it writes
 * nothing).
 */
export function renderToString(render: (out: JsonOutput) => void): string {
  const out = new StringOutput();
  render(out);
  return out.value;
}

/**
 * `Object.keys(object).sort()`, without sorting when the keys are in order already, as most are (the
 * generated bindings' objects list their attributes in order): `sort` copies the keys even then, and at
 * fleet scale that copy is a large share of what rendering allocates. `>` compares strings by UTF-16
 * code units, as `sort` does. `keys` are the object's keys, in their own order; they are sorted in place.
 */
export function sortedKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
  return keys;
}

/**
 * Whether `writeStableJson` writes something for `value` whatever it holds: a scalar that is not
 * undefined, or an object without `toJSON` (an array, a plain object, pre-rendered or rendered-on-write
 * text, which is never empty). For anything else (undefined, a function, a `toJSON` object) the text
 * is rendered first, to leave out an object member that renders to nothing.
 */
function writesSomething(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      return value === null || typeof (value as { toJSON?: unknown }).toJSON !== 'function';
    default:
      return false;
  }
}

/**
 * Writes `value` to `out` as `stableJson(value, level)` renders it; returns false, having written
 * nothing, when it renders to nothing. Objects and arrays are walked here, `PreRendered` texts written
 * as they are and `RenderedOnWrite` values rendered as they are reached.
 */
export function writeStableJson(out: JsonOutput, value: unknown, level = 0): boolean {
  if (value instanceof PreRendered || value instanceof RenderedOnWrite) {
    if (value.level !== level) throw new Error(`text rendered for level ${value.level} placed at level ${level}`);
    if (value instanceof PreRendered) out.text(value.text);
    else value.write(out);
    return true;
  }
  // json-stable-stringify calls an object's toJSON once, then writes what it gives.
  const node = value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON: () => unknown }).toJSON() : value;
  switch (typeof node) {
    case 'string':
      out.string(node);
      return true;
    case 'number':
      out.number(node);
      return true;
    case 'object':
      break;
    default: {
      const text = JSON.stringify(node);
      if (text === undefined) return false;
      out.text(text);
      return true;
    }
  }
  if (node === null) {
    out.text('null');
    return true;
  }
  if (Array.isArray(node)) {
    out.text('[');
    for (let index = 0; index < node.length; index++) {
      if (index > 0) out.text(',');
      out.indent(level + 1);
      if (!writeStableJson(out, node[index], level + 1)) out.text('null');
    }
    out.indent(level);
    out.text(']');
    return true;
  }
  const object = node as Record<string, unknown>;
  out.text('{');
  let first = true;
  for (const key of sortedKeys(Object.keys(object))) {
    const member = object[key];
    // A member that renders to nothing is left out, key and all.
    const inPlace = writesSomething(member);
    const text = inPlace ? undefined : stableJson(member, level + 1);
    if (!inPlace && !text) continue;
    writeMemberKey(out, key, first, level + 1);
    first = false;
    if (inPlace) writeStableJson(out, member, level + 1);
    else out.text(text!);
  }
  out.indent(level);
  out.text('}');
  return true;
}

/** Bytes of the file buffer; a piece longer than a third of it is written on its own. */
const CHUNK = 2 ** 20;
/** Pieces shorter than this are copied code unit by code unit when they are ASCII (a call into Buffer.write costs more). */
const SHORT_PIECE = 64;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const SPACE_BYTE = 0x20;
const ZERO = 0x30;
/** The largest integer `number` writes digit by digit (`JSON.stringify` writes every smaller non-negative integer in plain digits). */
const LARGEST_DIGITS = 1e15;

/**
 * A file written through a one-megabyte buffer. Each piece is copied into the buffer as it comes, so
 * none outlives its rendering: a piece kept until a megabyte of them is joined survives the young
 * generation's collections and is promoted to the old one, where a document's worth of them waits for
 * the next full collection. ASCII strings, short pieces, indentations and whole numbers are copied byte
 * by byte, with no string made for them; everything else goes through `Buffer.write` (UTF-8).
 */
class FileOutput implements JsonOutput {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(CHUNK);
  #used = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** Makes room for `bytes` bytes in the buffer; false when they cannot fit even in an empty one. */
  #room(bytes: number): boolean {
    if (bytes > CHUNK - this.#used) this.flush();
    return bytes <= CHUNK;
  }

  #writeBytes(bytes: Uint8Array, length: number): void {
    for (let written = 0; written < length; ) written += writeSync(this.#fd, bytes, written, length - written);
  }

  flush(): void {
    this.#writeBytes(this.#buffer, this.#used);
    this.#used = 0;
  }

  text(piece: string): void {
    const length = piece.length;
    if (length < SHORT_PIECE && this.#room(length)) {
      const buffer = this.#buffer;
      let at = this.#used;
      let i = 0;
      for (; i < length; i++) {
        const code = piece.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[at++] = code;
      }
      this.#used = at;
      if (i === length) return;
      piece = piece.slice(i);
    }
    // A UTF-16 code unit is at most three bytes of UTF-8 (a surrogate pair, two units, is four).
    if (this.#room(piece.length * 3)) {
      this.#used += this.#buffer.write(piece, this.#used, 'utf8');
      return;
    }
    const bytes = Buffer.from(piece, 'utf8');
    this.#writeBytes(bytes, bytes.length);
  }

  /** Printable ASCII but `"` and `\` is what JSON.stringify writes as it is; anything else is escaped or multi-byte. */
  string(value: string): void {
    const length = value.length;
    if (this.#room(length + 2)) {
      const buffer = this.#buffer;
      const start = this.#used;
      let at = start;
      buffer[at++] = QUOTE;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code < SPACE_BYTE || code >= 0x7f || code === QUOTE || code === BACKSLASH) break;
        buffer[at++] = code;
      }
      if (i === length) {
        buffer[at++] = QUOTE;
        this.#used = at;
        return;
      }
    }
    this.text(JSON.stringify(value));
  }

  number(value: number): void {
    if (!(Number.isInteger(value) && value >= 0 && value < LARGEST_DIGITS) || !this.#room(16)) {
      this.text(JSON.stringify(value));
      return;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    const buffer = this.#buffer;
    let at = this.#used + digits;
    this.#used = at;
    let rest = value;
    do {
      buffer[--at] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  indent(level: number): void {
    const bytes = 1 + 2 * level;
    if (!this.#room(bytes)) {
      this.text(indentOf(level));
      return;
    }
    const buffer = this.#buffer;
    let at = this.#used;
    buffer[at++] = NEWLINE;
    for (let i = 1; i < bytes; i++) buffer[at++] = SPACE_BYTE;
    this.#used = at;
  }
}

/** Writes `value` to `path` as `stableJson(value)`, through a one-megabyte buffer (see `FileOutput`). */
export function writeStableJsonFile(path: string, value: unknown): void {
  const fd = openSync(path, 'w');
  try {
    const out = new FileOutput(fd);
    writeStableJson(out, value);
    out.flush();
  } finally {
    closeSync(fd);
  }
}
