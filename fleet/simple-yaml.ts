/**
 * The first tier of the fast path (fast-yaml.ts): a parser for the plain YAML that big fleet files are
 * made of (what `bench/generate-fleet.ts` and `hyperplan import` write) — block mappings and sequences,
 * one-line flow collections, plain scalars and simple quoted strings — that records where each value
 * starts while it parses, in one pass. js-yaml with its event listener takes about three times as long.
 *
 * It gives exactly what js-yaml (CORE_SCHEMA) gives, or nothing: anything outside that subset (block
 * scalars, multi-line scalars or flow collections, escapes, tags, anchors, explicit keys, quoted keys,
 * empty values, duplicate keys, tabs, CR, documents markers …) makes it decline, and js-yaml parses the
 * file. Plain scalars are resolved by js-yaml's own implicit types of the schema, in its order.
 */
import { CORE_SCHEMA } from 'js-yaml';
import type { Type } from 'js-yaml';

/**
 * Where the items of a sequence start, or the values of a mapping's fields in the order of
 * `Object.keys` (which is file order: no key of the subset looks like an array index).
 */
export type ChildStarts = readonly number[];

export interface SimpleParse {
  readonly data: unknown;
  readonly starts: Map<object, ChildStarts>;
}

/**
 * The implicit types js-yaml tries on a plain scalar, in its order (its composeNode walks
 * `state.implicitTypes`, which is `schema.compiledImplicit`): null, bool, int, float for CORE_SCHEMA.
 */
const IMPLICIT_TYPES: readonly Type[] | undefined = (CORE_SCHEMA as unknown as { compiledImplicit?: readonly Type[] }).compiledImplicit;
/** `resolvePlain` knows which first characters these four can start with. */
const EXPECTED_TYPES = ['null', 'bool', 'int', 'float'].map((name) => `tag:yaml.org,2002:${name}`).join();
const IMPLICIT_TYPES_KNOWN = IMPLICIT_TYPES?.map((type) => (type as unknown as { tag?: string }).tag).join() === EXPECTED_TYPES;

/**
 * What js-yaml refuses in a scalar (its PATTERN_NON_PRINTABLE, checked in captureSegment): a file with
 * any of it anywhere is left to js-yaml, which fails or not as it does today.
 */
// eslint-disable-next-line no-control-regex -- js-yaml's own pattern, which is about control characters
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

const MAX_DEPTH = 50;

/** Thrown (and caught in `simpleParse`) where the text leaves the subset. */
class Decline extends Error {}

function decline(): never {
  throw new Decline();
}

/**
 * Keys of the subset: plain words that js-yaml reads as strings (`[A-Za-z_][A-Za-z0-9_/-]*`, not these).
 * No dots: location paths split at them (`labels.a.b` could be key `a.b` or `a` then `b`), and a key with
 * one would be found by the precise path only.
 */
const NON_STRING_KEYS: ReadonlySet<string> = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);

/** Characters that cannot start a plain scalar of the subset (YAML indicators, or quotes parsed apart). */
function isIndicator(char: number): boolean {
  // # & * ! | > ' " % @ ` , [ ] { } ?
  return char === HASH || char === 38 || char === 42 || char === 33 || char === 124 || char === 62 || char === SINGLE_QUOTE || char === DOUBLE_QUOTE ||
    char === 37 || char === 64 || char === 96 || char === COMMA || char === OPEN_BRACKET || char === CLOSE_BRACKET || char === OPEN_BRACE ||
    char === CLOSE_BRACE || char === 63;
}

function isKeyStart(char: number): boolean {
  return (char >= 65 && char <= 90) || (char >= 97 && char <= 122) || char === 95;
}

function isKeyPart(char: number): boolean {
  return isKeyStart(char) || (char >= 48 && char <= 57) || char === DASH || char === 47;
}

function isFlowEnd(char: number): boolean {
  return char === COMMA || char === CLOSE_BRACKET || char === CLOSE_BRACE;
}

/** A plain scalar's value: js-yaml's implicit types first, else the text. */
function resolvePlain(text: string, types: readonly Type[]): unknown {
  const first = text.charCodeAt(0);
  // Only these can start a null, bool, int or float (~ null Null NULL true True TRUE false False FALSE, [-+.0-9]).
  const typed = first === 126 || first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70 ||
    first === 43 || first === DASH || first === 46 || (first >= 48 && first <= 57);
  if (!typed) return text;
  for (const type of types) if (type.resolve(text)) return type.construct(text);
  return text;
}

class Parser {
  private readonly text: string;
  private readonly types: readonly Type[];
  readonly starts = new Map<object, ChildStarts>();
  /** Collections open around the one being parsed. */
  private depth = 0;
  /** Set by `keyAt`: where the key's value may start (after the colon). */
  private afterKey = 0;
  /** Set by `flowOrScalar`: the end of the value it read. */
  private valueEnd = 0;
  /** Start of the current line. */
  private line = 0;
  /** Indentation of the current line, and where its content starts; -1 at the end of the text. */
  private indent = 0;
  private content = 0;

  constructor(text: string, types: readonly Type[]) {
    this.text = text;
    this.types = types;
    this.seekContent(0);
  }

  /** js-yaml stops at 100 levels (its maxDepth); deep files are left to it. */
  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) decline();
  }

  /** Moves to the first line at or after `from` that has content (not blank, not only a comment). */
  private seekContent(from: number): void {
    const text = this.text;
    let at = from;
    while (at < text.length) {
      let first = at;
      while (text.charCodeAt(first) === SPACE) first += 1;
      const char = text.charCodeAt(first);
      if (first < text.length && char !== NEWLINE && char !== HASH) {
        this.line = at;
        this.indent = first - at;
        this.content = first;
        return;
      }
      const end = text.indexOf('\n', first);
      if (end < 0) break;
      at = end + 1;
    }
    this.line = text.length;
    this.indent = -1;
    this.content = text.length;
  }

  /** After a value at `at`: only blanks and a comment may follow on the line; then the next content line. */
  private endLine(at: number): void {
    const text = this.text;
    let position = at;
    while (text.charCodeAt(position) === SPACE) position += 1;
    if (position < text.length) {
      const char = text.charCodeAt(position);
      if (char === HASH) {
        // A comment needs a blank before it.
        if (position === at) decline();
      } else if (char !== NEWLINE) {
        decline();
      }
    }
    const end = text.indexOf('\n', position);
    this.seekContent(end < 0 ? text.length : end + 1);
  }

  private atEnd(): boolean {
    return this.indent === -1;
  }

  parseDocument(): unknown {
    if (this.indent !== 0) decline();
    const text = this.text;
    // Document markers and directives.
    if (text.startsWith('---', this.content) || text.startsWith('...', this.content) || text.charCodeAt(this.content) === 37) decline();
    const value = this.isSequenceItem(this.content) ? this.parseSequence(0) : this.parseMapping(this.content, 0);
    if (!this.atEnd()) decline();
    return value;
  }

  private isSequenceItem(at: number): boolean {
    const text = this.text;
    if (text.charCodeAt(at) !== DASH) return false;
    const next = text.charCodeAt(at + 1);
    if (next === SPACE) return true;
    // `-` alone on its line: an item on the next lines, outside the subset.
    if (next === NEWLINE || at + 1 >= text.length) decline();
    return false;
  }

  /** The key at `at` (`afterKey` is then after its colon), or undefined when there is no `key: …` of the subset. */
  private keyAt(at: number): string | undefined {
    const text = this.text;
    if (!isKeyStart(text.charCodeAt(at))) return undefined;
    let end = at + 1;
    while (isKeyPart(text.charCodeAt(end))) end += 1;
    if (text.charCodeAt(end) !== COLON) return undefined;
    const next = text.charCodeAt(end + 1);
    if (next !== SPACE && next !== NEWLINE && end + 1 < text.length) return undefined;
    const key = text.slice(at, end);
    if (NON_STRING_KEYS.has(key)) decline();
    this.afterKey = end + 1;
    return key;
  }

  /** A block mapping whose first key is at `first` (mid-line after `- `, or at the line's content), at column `indent`. */
  private parseMapping(first: number, indent: number): Record<string, unknown> {
    this.enter();
    const text = this.text;
    const result: Record<string, unknown> = {};
    const offsets: number[] = [];
    let at = first;
    for (;;) {
      const key = this.keyAt(at);
      if (key === undefined || Object.hasOwn(result, key)) decline();
      let position = this.afterKey;
      while (text.charCodeAt(position) === SPACE) position += 1;
      const char = text.charCodeAt(position);
      let value: unknown;
      let offset: number;
      if (position >= text.length || char === NEWLINE || char === HASH) {
        // The value is a block on the next lines: more indented, or a sequence at this indentation.
        const end = text.indexOf('\n', position);
        this.seekContent(end < 0 ? text.length : end + 1);
        offset = this.content;
        if (this.indent > indent) {
          value = this.isSequenceItem(this.content) ? this.parseSequence(this.indent) : this.parseMapping(this.content, this.indent);
        } else if (this.indent === indent && this.isSequenceItem(this.content)) {
          value = this.parseSequence(indent);
        } else {
          decline(); // an empty value (null), outside the subset
        }
      } else {
        offset = position;
        value = this.inlineValue(position);
      }
      result[key] = value;
      offsets.push(offset);
      if (this.indent < indent) break; // also the end of the text (-1)
      if (this.indent > indent) decline(); // a continuation line of a plain scalar, or worse
      if (this.isSequenceItem(this.content)) break; // a sequence of the enclosing mapping's key
      at = this.content;
    }
    this.starts.set(result, offsets);
    this.depth -= 1;
    return result;
  }

  /** A block sequence whose items start at column `indent`. */
  private parseSequence(indent: number): unknown[] {
    this.enter();
    const text = this.text;
    const items: unknown[] = [];
    const offsets: number[] = [];
    while (this.indent === indent && this.isSequenceItem(this.content)) {
      let position = this.content + 2;
      while (text.charCodeAt(position) === SPACE) position += 1;
      const char = text.charCodeAt(position);
      if (position >= text.length || char === NEWLINE || char === HASH || this.isSequenceItem(position)) decline();
      offsets.push(position);
      if (this.keyAt(position) !== undefined) {
        items.push(this.parseMapping(position, position - this.line));
      } else {
        items.push(this.inlineValue(position));
      }
      if (this.indent > indent) decline();
    }
    this.starts.set(items, offsets);
    this.depth -= 1;
    return items;
  }

  /** A value that starts at `at` and ends on its line (scalar or flow collection); moves to the next content line. */
  private inlineValue(at: number): unknown {
    const value = this.flowOrScalar(at, false);
    this.endLine(this.valueEnd);
    return value;
  }

  /** A flow collection, a quoted scalar or a plain scalar at `at` (`valueEnd` is then after it); `inFlow` inside `[ ]` or `{ }`. */
  private flowOrScalar(at: number, inFlow: boolean): unknown {
    const char = this.text.charCodeAt(at);
    if (char === OPEN_BRACKET) return this.flowSequence(at);
    if (char === OPEN_BRACE) return this.flowMapping(at);
    if (char === DOUBLE_QUOTE || char === SINGLE_QUOTE) return this.quoted(at, inFlow);
    return this.plain(at, inFlow);
  }

  private quoted(at: number, inFlow: boolean): string {
    const text = this.text;
    const quote = text.charCodeAt(at);
    let value = '';
    let from = at + 1;
    for (let position = at + 1; position < text.length; position++) {
      const char = text.charCodeAt(position);
      // Escapes, line breaks and control characters (tab included) are left to js-yaml.
      if (char < SPACE || char === BACKSLASH || char === 127) decline();
      if (char !== quote) continue;
      if (quote === SINGLE_QUOTE && text.charCodeAt(position + 1) === SINGLE_QUOTE) {
        value += text.slice(from, position + 1);
        position += 1;
        from = position + 1;
        continue;
      }
      value += text.slice(from, position);
      const next = this.text.charCodeAt(this.skipSpaces(position + 1));
      // A quoted key (`"a": 1`) is outside the subset.
      if (next === COLON || (inFlow && !isFlowEnd(next))) decline();
      this.valueEnd = position + 1;
      return value;
    }
    return decline();
  }

  private plain(at: number, inFlow: boolean): unknown {
    const text = this.text;
    const first = text.charCodeAt(at);
    const second = text.charCodeAt(at + 1);
    if (isIndicator(first)) decline();
    if ((first === DASH || first === COLON) && (second === SPACE || second === NEWLINE || at + 1 >= text.length || (inFlow && isFlowEnd(second)))) decline();
    let position = at;
    let last = at; // end of the text without trailing blanks
    for (; position < text.length; position++) {
      const char = text.charCodeAt(position);
      if (char === NEWLINE) break;
      if (char === SPACE) continue;
      if (char === HASH && text.charCodeAt(position - 1) === SPACE) break;
      if (char === COLON) {
        const next = text.charCodeAt(position + 1);
        // `: ` makes a key: a mapping where the subset expects a scalar.
        if (next === SPACE || next === NEWLINE || position + 1 >= text.length || (inFlow && (isFlowEnd(next) || next === OPEN_BRACKET || next === OPEN_BRACE))) {
          if (inFlow) break;
          decline();
        }
      }
      if (inFlow) {
        if (isFlowEnd(char)) break;
        if (char === OPEN_BRACKET || char === OPEN_BRACE) decline();
      }
      last = position + 1;
    }
    if (last === at) decline();
    this.valueEnd = last;
    return resolvePlain(text.slice(at, last), this.types);
  }

  private skipSpaces(at: number): number {
    let position = at;
    while (this.text.charCodeAt(position) === SPACE) position += 1;
    return position;
  }

  private flowSequence(at: number): unknown[] {
    this.enter();
    const text = this.text;
    const items: unknown[] = [];
    const offsets: number[] = [];
    let position = this.skipSpaces(at + 1);
    if (text.charCodeAt(position) !== CLOSE_BRACKET) {
      for (;;) {
        offsets.push(position);
        items.push(this.flowOrScalar(position, true));
        position = this.skipSpaces(this.valueEnd);
        const char = text.charCodeAt(position);
        if (char === CLOSE_BRACKET) break;
        if (char !== COMMA) decline(); // `[a: b]`, a line break, the end of the text …
        position = this.skipSpaces(position + 1);
        if (text.charCodeAt(position) === CLOSE_BRACKET) decline(); // a trailing comma
      }
    }
    this.starts.set(items, offsets);
    this.depth -= 1;
    this.valueEnd = position + 1;
    return items;
  }

  private flowMapping(at: number): Record<string, unknown> {
    this.enter();
    const text = this.text;
    const result: Record<string, unknown> = {};
    const offsets: number[] = [];
    let position = this.skipSpaces(at + 1);
    if (text.charCodeAt(position) !== CLOSE_BRACE) {
      for (;;) {
        const key = this.keyAt(position);
        if (key === undefined || text.charCodeAt(this.afterKey) !== SPACE || Object.hasOwn(result, key)) decline();
        position = this.skipSpaces(this.afterKey);
        if (isFlowEnd(text.charCodeAt(position))) decline(); // an empty value
        offsets.push(position);
        result[key] = this.flowOrScalar(position, true);
        position = this.skipSpaces(this.valueEnd);
        const char = text.charCodeAt(position);
        if (char === CLOSE_BRACE) break;
        if (char !== COMMA) decline();
        position = this.skipSpaces(position + 1);
        if (text.charCodeAt(position) === CLOSE_BRACE) decline();
      }
    }
    this.starts.set(result, offsets);
    this.depth -= 1;
    this.valueEnd = position + 1;
    return result;
  }
}

/** Parses `text` when it is in the subset; undefined otherwise (js-yaml then decides). Never throws. */
export function simpleParse(text: string): SimpleParse | undefined {
  if (!IMPLICIT_TYPES_KNOWN || IMPLICIT_TYPES === undefined) return undefined;
  // Tabs, carriage returns and a byte order mark are left to js-yaml, and so are characters it refuses.
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff || NON_PRINTABLE.test(text)) return undefined;
  try {
    const parser = new Parser(text, IMPLICIT_TYPES);
    const data = parser.parseDocument();
    return { data, starts: parser.starts };
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
}
