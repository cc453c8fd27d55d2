import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformStack, Testing, Token, Tokenization } from '../../constructs/cdk-engine';
import { RenderedOnWrite, stableJson, writeStableJsonFile } from '../../io/stable-json';
import { isPlainLevel, resolvedJson, resolvePlain, writeResolvedObject } from '../../stacks/plain-resolve';

const stack = new TerraformStack(Testing.app(), 'plain-resolve');
const resolver = new DefaultTokenResolver(new StringConcat());
const cdktf = (value: unknown): unknown => Tokenization.resolve(value, { scope: stack, resolver, preparing: false });
const ours = (value: unknown): unknown => resolvePlain(value, { scope: stack, resolver });

// Every case is compared with cdktf's own Tokenization.resolve (cdktf 0.21 lib/tokens/private/resolve.js).
const CASES: Record<string, () => unknown> = {
  'plain values (undefined members and elements dropped, null and empty containers kept)': () => ({
    a: 'text', b: 1.5, c: true, d: null, e: undefined, f: [1, undefined, 'x', null], g: {}, h: [], date: new Date(0),
  }),
  'strings a number-token pattern matches, and escape-like text': () => ({ sci: '1e5 and 2.5e-3', dollar: '$${literal}', braces: '${var.x}' }),
  'a string token, alone and inside text': () => ({
    alone: Token.asString(Lazy.stringValue({ produce: () => 'produced' })),
    inside: `prefix-${Token.asString(Lazy.stringValue({ produce: () => 'mid' }))}-suffix`,
  }),
  'a number token': () => ({ count: Token.asNumber(Lazy.numberValue({ produce: () => 42 })) }),
  'a list token': () => ({ list: Token.asList(Lazy.listValue({ produce: () => ['a', 'b'] })) }),
  'a map token': () => ({ map: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: 'v' }) })) }),
  'a resolvable object': () => ({ lazy: Lazy.anyValue({ produce: () => ({ nested: [1, undefined, 'two'] }) }) }),
  'a Terraform function': () => ({ joined: Fn.join(',', ['a', 'b']) }),
  'tokens deep in arrays and objects': () => [{ x: [Token.asString(Lazy.stringValue({ produce: () => 'deep' }))] }, 'plain'],
};

describe('resolvePlain', () => {
  it.each(Object.entries(CASES))('resolves %s as cdktf does', (_name, make) => {
    const value = make();
    const expected = cdktf(value);
    expect(ours(value)).toEqual(expected);
    expect(JSON.stringify(ours(value))).toBe(JSON.stringify(expected));
  });

  it('returns a copy of a token-free object, never the object itself', () => {
    const value = { a: { b: [1] } };
    const resolved = ours(value) as typeof value;
    expect(resolved).toEqual(value);
    expect(resolved).not.toBe(value);
    expect(resolved.a).not.toBe(value.a);
  });

  it('leaves errors to cdktf: a construct cannot be resolved', () => {
    expect(() => ours({ scope: stack })).toThrow();
    expect(() => cdktf({ scope: stack })).toThrow();
  });
});

describe('resolvedJson', () => {
  const text = (value: unknown, level: number): string | undefined => resolvedJson(value, { scope: stack, resolver }, level);

  it.each(Object.entries(CASES))('renders %s as stableJson renders cdktf’s resolution', (_name, make) => {
    for (const level of [0, 3]) {
      const value = make();
      expect(text(value, level)).toBe(stableJson(cdktf(value), level));
    }
  });

  it('drops what resolves to undefined, as resolvePlain does, and writes null only for what renders nothing', () => {
    const value = { list: [undefined, 1, Lazy.anyValue({ produce: () => undefined }), 'x'], gone: undefined, empty: {} };
    expect(text(value, 0)).toBe(stableJson(cdktf(value)));
    expect(text(value, 0)).toBe('{\n  "empty": {\n  },\n  "list": [\n    1,\n    "x"\n  ]\n}');
    expect(text(undefined, 0)).toBeUndefined();
  });

  it('leaves a function member (a toJSON, say) to cdktf, which rejects it, as resolvePlain does', () => {
    const value = { custom: { toJSON: () => ({ z: 1 }), other: 2 } };
    expect(() => text(value, 0)).toThrow(/non-data object/);
    expect(() => ours(value)).toThrow(/non-data object/);
  });
});

describe('writeResolvedObject', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-plain-resolve-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const objects = Object.entries(CASES).filter(([, make]) => isPlainLevel(make()));

  it.each(objects)('writes %s into a file as stableJson renders cdktf’s resolution, at its level', (_name, make) => {
    expect(objects.length).toBeGreaterThan(5);
    const file = join(scratch, 'body.json');
    const value = make() as Record<string, unknown>;
    writeStableJsonFile(file, { resource: { body: new RenderedOnWrite((out) => writeResolvedObject(out, value, { scope: stack, resolver }, 2), 2) } });
    expect(readFileSync(file, 'utf8')).toBe(stableJson({ resource: { body: cdktf(make()) } }));
  });
});

describe('isPlainLevel', () => {
  it('is true for the objects resolvePlain copies member by member, false for what cdktf resolves whole', () => {
    expect(isPlainLevel({ a: 1, b: { c: 2 } })).toBe(true);
    expect(isPlainLevel([1])).toBe(false);
    expect(isPlainLevel(new Date(0))).toBe(false);
    expect(isPlainLevel(Lazy.anyValue({ produce: () => 1 }))).toBe(false);
    expect(isPlainLevel({ [Token.asString(Lazy.stringValue({ produce: () => 'k' }))]: 1 })).toBe(false);
  });
});
