/**
 * cdktf's token resolution (`Tokenization.resolve`, cdktf 0.21 lib/tokens/private/resolve.js) visits every
 * value of a stack's document: for each one it builds a resolution context (two closures and a prefix
 * array), runs the string-token and number-token regular expressions on each string and decodes each
 * number's bits. At 20,000 VMs that was a third of synthesis time, although almost every value is a plain
 * string or number with no token in it.
 *
 * `resolvePlain` walks plain values itself and hands every value that may hold a token to cdktf's resolve,
 * unchanged, so the result is the same: a token-free value resolves to itself there (a string without a
 * token marker or token-shaped number, a number that is no encoded token, `null`, a boolean), an array or
 * object of them to a copy without its `undefined` members. Everything else goes to cdktf: strings that
 * contain `TfToken[` (string, list and map tokens) or match cdktf's number-token pattern, numbers in the
 * range of encoded token doubles or equal to its number-map marker, the two string-map marker values,
 * arrays holding a list token element, objects with a map-token key, resolvables (objects with a
 * `resolve` method), constructs (which cdktf rejects) and functions (likewise).
 *
 * Delegating a nested value with no `previousContext` is what cdktf itself does there: between plain
 * objects and arrays its contexts carry no `suppressBraces`, `ignoreEscapes`, `warnEscapes` or
 * `iteratorContext` (only a token's own resolution sets them); the `prefix` it threads through only
 * names the path in error messages.
 */
import { type ITokenResolver, Token, Tokenization } from '../constructs/cdk-engine';
import type { IConstruct } from 'constructs';
import { type JsonOutput, renderToString, sortedKeys, stableJson, writeMemberKey } from '../io/stable-json';

/**
 * cdktf's number-token pattern (NUMBER_TOKEN_REGEX in lib/tokens/private/encoding.js:
 * `[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`) reduced to "some match exists": one character of the first class, `e`,
 * one of the second.
 */
const NUMBER_TOKEN_SHAPE = /[-|\d.+]e[-|\d.eE+]/;

/**
 * Encoded token doubles have the top 16 bits 0xfdff (scalar) or 0xfbff (list): negative, with a binary
 * exponent of 960 or more, so below -2^960 (about -9.7e288). Anything above -1e280 is an ordinary number.
 */
const SMALLEST_ORDINARY_NUMBER = -1e280;

function isPlainString(value: string): boolean {
  return !value.includes('TfToken[') && !NUMBER_TOKEN_SHAPE.test(value) && value !== Token.STRING_MAP_TOKEN_VALUE && value !== Token.ANY_MAP_TOKEN_VALUE;
}

function isPlainNumber(value: number): boolean {
  return value > SMALLEST_ORDINARY_NUMBER && value !== Token.NUMBER_MAP_TOKEN_VALUE;
}

/** An element cdktf's array branch would treat as a list token (a string with a marker, or a token double). */
function mayBeListElement(value: unknown): boolean {
  return (typeof value === 'string' && value.includes('TfToken[')) || (typeof value === 'number' && !isPlainNumber(value));
}

export interface PlainResolveOptions {
  readonly scope: IConstruct;
  readonly resolver: ITokenResolver;
}

function delegate(item: unknown, options: PlainResolveOptions): unknown {
  return Tokenization.resolve(item, { scope: options.scope, resolver: options.resolver, preparing: false });
}

/** Resolvables (Tokenization.isResolvable), constructs (cdktf's isConstruct) and objects with a map-token key: cdktf's. */
function isDelegatedObject(object: Readonly<Record<string, unknown>>, keys: readonly string[]): boolean {
  return typeof object.resolve === 'function' || (object._children !== undefined && object._metadata !== undefined) || keys.some((key) => !isPlainString(key));
}

/**
 * Whether `value` is an object `resolvePlain` walks member by member into a copy with the same keys (less
 * undefined members), rather than one it hands to cdktf or keeps as it is.
 */
export function isPlainLevel(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return false;
  const object = value as Record<string, unknown>;
  return !isDelegatedObject(object, Object.keys(object));
}

// Module functions rather than closures per call: the CLI runs these sources through tsx, whose
// transform wraps every function it creates in a naming call.
function walk(item: unknown, options: PlainResolveOptions): unknown {
  switch (typeof item) {
    case 'undefined':
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return item;
    case 'string':
      return isPlainString(item) ? item : delegate(item, options);
    case 'number':
      return isPlainNumber(item) ? item : delegate(item, options);
    case 'function':
      return delegate(item, options);
    default:
      break;
  }
  if (item === null || item instanceof Date) return item;
  if (Array.isArray(item)) {
    if (item.some(mayBeListElement)) return delegate(item, options);
    const result: unknown[] = [];
    for (const element of item) {
      const resolved = walk(element, options);
      if (resolved !== undefined) result.push(resolved);
    }
    return result;
  }
  const object = item as Record<string, unknown>;
  const keys = Object.keys(object);
  if (isDelegatedObject(object, keys)) return delegate(item, options);
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = walk(object[key], options);
    if (resolved !== undefined) result[key] = resolved;
  }
  return result;
}

/** `Tokenization.resolve(value, { scope, resolver, preparing: false })`, with plain values walked here. */
export function resolvePlain(value: unknown, options: PlainResolveOptions): unknown {
  return walk(value, options);
}

/**
 * Writes `value` to `out` as `writeStableJson(out, resolvePlain(value, options), level)` would, without
 * building the resolved copy: plain values are written as they are walked, and only what cdktf resolves
 * (see above) is resolved, rendered and then written. A resource body is most of a stack's document, and
 * its resolved copy was built only to be rendered.
 *
 * What it writes: always something for a plain string, number, boolean, null, array or object (see
 * `writesInPlace`); for anything else, `resolvedJson`'s text.
 */
function writeResolved(out: JsonOutput, value: unknown, options: PlainResolveOptions, level: number): void {
  switch (typeof value) {
    case 'string':
      out.string(value);
      return;
    case 'number':
      out.number(value);
      return;
    case 'boolean':
      out.text(value ? 'true' : 'false');
      return;
    default:
      break;
  }
  if (value === null) {
    out.text('null');
    return;
  }
  if (Array.isArray(value)) {
    out.text('[');
    let first = true;
    for (const element of value) {
      // An element that resolves to undefined is dropped, one that renders to nothing is null.
      const inPlace = writesInPlace(element);
      const text = inPlace ? undefined : resolvedJson(element, options, level + 1);
      if (!inPlace && text === undefined) continue;
      if (!first) out.text(',');
      first = false;
      out.indent(level + 1);
      if (inPlace) writeResolved(out, element, options, level + 1);
      else out.text(text || 'null');
    }
    out.indent(level);
    out.text(']');
    return;
  }
  writeResolvedObject(out, value as Record<string, unknown>, options, level);
}

/**
 * Writes a plain object (`isPlainLevel`) to `out` as `writeStableJson(out, resolvePlain(object, options),
 * level)` would (see `writeResolved`).
 */
export function writeResolvedObject(out: JsonOutput, object: Readonly<Record<string, unknown>>, options: PlainResolveOptions, level: number): void {
  out.text('{');
  let first = true;
  for (const key of sortedKeys(Object.keys(object))) {
    const member = object[key];
    // A member that resolves to undefined or renders to nothing is left out, key and all.
    const inPlace = writesInPlace(member);
    const text = inPlace ? undefined : resolvedJson(member, options, level + 1);
    if (!inPlace && !text) continue;
    writeMemberKey(out, key, first, level + 1);
    first = false;
    if (inPlace) writeResolved(out, member, options, level + 1);
    else out.text(text!);
  }
  out.indent(level);
  out.text('}');
}

/**
 * Whether `writeResolved` writes `value` itself, as it is: a string or number with no token in it, a
 * boolean, null, an array with no list-token element, an object resolvePlain walks member by member.
 * Everything else (undefined, what cdktf resolves, dates) is rendered to text first, so that what
 * renders to nothing can be left out.
 */
function writesInPlace(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return isPlainString(value);
    case 'number':
      return isPlainNumber(value);
    case 'boolean':
      return true;
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return !value.some(mayBeListElement);
      return isPlainLevel(value);
    default:
      return false;
  }
}

/**
 * `stableJson(resolvePlain(value, options), level)`, without building the resolved copy (see
 * `writeResolved`). Undefined when the value resolves to undefined; `''` when it resolves to something
 * that renders to nothing.
 */
export function resolvedJson(value: unknown, options: PlainResolveOptions, level: number): string | undefined {
  if (writesInPlace(value)) return renderToString((out) => writeResolved(out, value, options, level));
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
    case 'number':
    case 'function':
      return delegatedJson(value, options, level);
    case 'object':
      break;
    default:
      // Bigints and symbols, as stableJson treats them.
      return JSON.stringify(value) ?? '';
  }
  if (value instanceof Date) return stableJson(value, level) ?? '';
  return delegatedJson(value, options, level);
}

function delegatedJson(value: unknown, options: PlainResolveOptions, level: number): string | undefined {
  const resolved = delegate(value, options);
  return resolved === undefined ? undefined : (stableJson(resolved, level) ?? '');
}
