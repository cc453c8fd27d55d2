import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type JsonOutput, PreRendered, RenderedOnWrite, renderToString, stableJson, writeStableJson, writeStableJsonFile } from '../../io/stable-json';

// The library cdktf 0.21 writes cdk.tf.json and manifest.json with (lib/synthesize/synthesizer.js,
// lib/manifest.js: `stringify(value, { space: 2 })`), loaded from cdktf's own dependencies.
const cdktfRequire = createRequire(createRequire(import.meta.url).resolve('cdktf'));
const stableStringify = cdktfRequire('json-stable-stringify') as (value: unknown, options: { space: number }) => string | undefined;

const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-stable-json-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CASES: Record<string, unknown> = {
  'an empty object': {},
  'an empty array': [],
  'nested empty containers': { a: [], b: {}, c: [[[]]], d: { e: { f: [{}] } } },
  'keys sorted by code unit (digits, capitals, lower case; integer-like keys too)': { b: 1, a: 2, B: 3, '10': 4, '9': 5, é: 6, a1: 7 },
  'undefined and function members left out, null kept': { gone: undefined, fn: () => 1, kept: null },
  'undefined and function elements as null': [undefined, () => 1, 1, 'x'],
  'strings that need escaping': { quote: 'a"b', backslash: 'a\\b', newline: 'a\nb', unicode: 'ü\u2028', template: '${var.x}' },
  'strings of every kind of code unit (control, DEL, Latin-1, lone and paired surrogates)': ['\u0001\u001f', '\u007f', 'é', '\ud800', 'x\udc00y', '😀', '/<>&\'', ''],
  'numbers': [0, -1.5, 1e21, 3.14159, Number.NaN],
  'whole numbers around the digit-by-digit range, and other numbers': [-0, 7, 10, 99, 100, 123456789, 999_999_999_999_999, 1e15, 2 ** 53, -1, 1e-7, 0.1, Number.POSITIVE_INFINITY],
  'toJSON honoured (dates too)': { date: new Date(0), custom: { toJSON: () => ({ z: 1 }) } },
  'scalars at the top': 'text',
};

describe('stableJson', () => {
  it.each(Object.entries(CASES))('writes json-stable-stringify’s bytes for %s', (_name, value) => {
    expect(stableJson(value)).toBe(stableStringify(value, { space: 2 }));
  });

  it('writes the same bytes for a synthesized stack as json-stable-stringify', () => {
    const text = readFileSync('test/stacks/fixtures/small/fleet.yaml', 'utf8');
    const document = { '//': { metadata: { version: '0.21.0' } }, resource: { libvirt_domain: { b: { name: 'b' }, a: { name: 'a', devices: { disks: [{ x: 1 }, {}] } } } }, source: text };
    expect(stableJson(document)).toBe(stableStringify(document, { space: 2 }));
  });

  it('places a pre-rendered part as it is, at the level it was rendered for', () => {
    const body = { name: 'web-1', devices: { disks: [{ bus: 'virtio' }] } };
    const whole = { resource: { libvirt_domain: { web_1: body } } };
    const rendered = { resource: { libvirt_domain: { web_1: new PreRendered(stableJson(body, 3)!, 3) } } };
    expect(stableJson(rendered)).toBe(stableStringify(whole, { space: 2 }));
    expect(() => stableJson({ misplaced: new PreRendered('{}', 3) })).toThrow(/rendered for level 3 placed at level 1/);
  });
});

/** A JsonOutput that keeps the text and notes when a body's name (`"web-1"`) is written. */
function recorder(events: string[]): JsonOutput & { readonly written: () => string } {
  let text = '';
  const piece = (written: string): void => {
    const name = /^"(\w+-\d)"$/.exec(written)?.[1];
    if (name !== undefined) events.push(`write ${name}`);
    text += written;
  };
  return {
    text: piece,
    string: (value) => piece(JSON.stringify(value)),
    number: (value) => piece(JSON.stringify(value)),
    indent: (level) => piece(`\n${'  '.repeat(level)}`),
    written: () => text,
  };
}

describe('RenderedOnWrite', () => {
  const bodies = { web_1: { name: 'web-1' }, web_2: { name: 'web-2', memory: 4 }, db_1: { name: 'db-1' } };
  const whole = { resource: { libvirt_domain: bodies }, terraform: { required_providers: {} } };

  it('renders each body only when the writer reaches it, after the text before it is written', () => {
    const events: string[] = [];
    const later = Object.fromEntries(
      Object.entries(bodies).map(([name, body]) => [name, new RenderedOnWrite((out) => (events.push(`render ${name}`), writeStableJson(out, body, 3)), 3)]),
    );
    const out = recorder(events);
    writeStableJson(out, { resource: { libvirt_domain: later }, terraform: { required_providers: {} } });
    expect(out.written()).toBe(stableStringify(whole, { space: 2 }));
    // Nothing is rendered ahead: one body is made at a time, in the document's (sorted) order.
    expect(events).toEqual(['render db_1', 'write db-1', 'render web_1', 'write web-1', 'render web_2', 'write web-2']);
  });

  it('renders in stableJson and writeStableJsonFile as it was rendered, at its level only', () => {
    const later = {
      resource: { libvirt_domain: Object.fromEntries(Object.entries(bodies).map(([name, body]) => [name, new RenderedOnWrite((out) => writeStableJson(out, body, 3), 3)])) },
      terraform: { required_providers: {} },
    };
    expect(stableJson(later)).toBe(stableStringify(whole, { space: 2 }));
    const file = join(scratch, 'later.json');
    writeStableJsonFile(file, later);
    expect(readFileSync(file, 'utf8')).toBe(stableStringify(whole, { space: 2 }));
    expect(() => stableJson({ misplaced: new RenderedOnWrite((out) => out.text('{}'), 3) })).toThrow(/rendered for level 3 placed at level 1/);
  });
});

describe('writeStableJson', () => {
  it('writes nothing and says so for what renders to nothing; a toJSON is called once, as json-stable-stringify calls it', () => {
    for (const nothing of [undefined, () => 1, Symbol('s'), { toJSON: () => undefined }]) {
      expect(renderToString((out) => expect(writeStableJson(out, nothing)).toBe(false))).toBe('');
    }
    const twice = { toJSON: () => ({ toJSON: () => 'inner', kept: 1 }) };
    expect(stableJson(twice)).toBe(stableStringify(twice, { space: 2 }));
    expect(stableJson(twice)).toBe('{\n  "kept": 1\n}');
  });
});

describe('writeStableJsonFile', () => {
  it.each(Object.entries(CASES))('writes the file json-stable-stringify would give for %s', (_name, value) => {
    const file = join(scratch, 'value.json');
    writeStableJsonFile(file, value);
    expect(readFileSync(file, 'utf8')).toBe(stableStringify(value, { space: 2 }));
  });

  it('writes documents larger than its one-megabyte pieces, multi-byte characters included', () => {
    const value = { resource: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`vm_${i}`, { user_data: 'ü'.repeat(500), index: i }])) };
    const file = join(scratch, 'large.json');
    writeStableJsonFile(file, value);
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeGreaterThan(2 ** 20);
    expect(text).toBe(stableStringify(value, { space: 2 }));
  });

  it('writes pieces longer than its buffer, and pieces that end the buffer with multi-byte characters', () => {
    const value = { long: 'x'.repeat(2 ** 20 + 7), wide: Array.from({ length: 400 }, (_, i) => `${'€'.repeat(1000 + i)}😀`), after: 'end' };
    const file = join(scratch, 'pieces.json');
    writeStableJsonFile(file, value);
    expect(readFileSync(file, 'utf8')).toBe(stableStringify(value, { space: 2 }));
  });
});
