import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fastLocations, jsYamlParse } from '../../fleet/fast-yaml';
import { simpleParse } from '../../fleet/simple-yaml';
import { collectLocations, parseYaml } from '../../fleet/yaml-source';
import { mulberry32 } from '../../planner/random';
import { BENCH_SEED, generateFleet } from '../../bench/generate-fleet';

/**
 * simple-yaml.ts must give what js-yaml gives (data) and what the precise `yaml` path gives (every
 * location), or decline. Checked on real fleets and on random documents in and around its subset.
 */
function expectLikeJsYamlOrDeclined(text: string): boolean {
  const simple = simpleParse(text);
  if (simple === undefined) return false;
  expect(() => load(text, { schema: CORE_SCHEMA }), text).not.toThrow();
  // isDeepStrictEqual, not toStrictEqual: vitest compares `constructor` properties, which a key can set.
  expect(isDeepStrictEqual(simple.data, load(text, { schema: CORE_SCHEMA })), text).toBe(true);
  const precise = collectLocations(parseYaml(text), 'f.yaml');
  const fast = fastLocations(simple, text, 'f.yaml');
  expect(Object.keys(fast), text).toEqual(Object.keys(precise));
  for (const [path, location] of Object.entries(precise)) expect(fast[path], `${path} in\n${text}`).toEqual(location);
  return true;
}

/** Plain scalars of every kind js-yaml resolves (and strings that look like them), and text around indicators. */
const PLAIN = [
  'web-1', 'a b', 'x:y', 'qemu+ssh://root@kvm-a1/system', '8GiB', '/var/lib/libvirt/images/debian-12.qcow2', '1', '0', '-1', '+1', '007',
  '1.5', '1.0', '.5', '1e3', '1.5e-3', '0x1F', '0o17', '0b101', '1_000', '.inf', '-.inf', '.nan', '.NaN', '~', 'null', 'Null', 'NULL', 'nul',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', 'yes', 'no', 'on', 'off', 'y', '2001-01-01', '12:30', 'a#b', 'é', '日本', '-a', '--',
  '-', ':', '::', 'a:', '?a', '@a', '%a', 'a,b', 'a]', 'a}', '#a', '&a', '*a', '!a', '|', '>', "it's", 'a"b', '0.', '+.5', '1__0', '0x', '-0',
];
const KEYS = ['name', 'vcpus', 'a', 'b_c', 'd-e', 'f.g', 'h/i', 'null', 'true', '1', '__proto__', 'constructor', 'x y', '"q"', "'q'", 'k:'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function scalar(random: () => number, inFlow: boolean): string {
  const value = pick(random, PLAIN);
  const style = random();
  if (style < 0.15) return `"${value.replace(/["\\]/g, '')}"`;
  if (style < 0.25) return `'${value.replace(/'/g, "''")}'`;
  return inFlow && random() < 0.5 ? `${value} ` : value;
}

function flow(random: () => number, depth: number): string {
  if (depth > 2 || random() < 0.5) return scalar(random, true);
  const count = Math.floor(random() * 4);
  const items = Array.from({ length: count }, (_, i) => (random() < 0.5 ? `${pick(random, KEYS)}${i}: ${flow(random, depth + 1)}` : flow(random, depth + 1)));
  if (random() < 0.5) return `[${items.filter((item) => !item.includes(': ') || random() < 0.1).join(', ')}]`;
  return `{ ${items.map((item, i) => (item.includes(': ') ? item : `k${i}: ${item}`)).join(', ')} }`;
}

function block(random: () => number, indent: number, depth: number, lines: string[], lead: string): void {
  const pad = ' '.repeat(indent);
  const asSequence = random() < 0.4;
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const first = i === 0 ? lead : pad;
    if (random() < 0.1) lines.push(`${' '.repeat(Math.floor(random() * 6))}# comment ${i}`);
    if (random() < 0.05) lines.push('');
    const key = random() < 0.9 ? `${pick(random, KEYS.slice(0, 7))}${i}` : pick(random, KEYS);
    const nested = depth < 3 && random() < 0.4;
    const comment = random() < 0.1 ? ' # note' : '';
    const gap = random() < 0.1 ? '   ' : ' ';
    if (asSequence) {
      if (nested && random() < 0.5) {
        block(random, indent + 1 + gap.length, depth + 1, lines, `${first}-${gap}`);
        continue;
      }
      lines.push(`${first}-${gap}${random() < 0.3 ? flow(random, 0) : scalar(random, false)}${comment}`);
    } else if (nested) {
      lines.push(`${first}${key}:${comment}`);
      block(random, indent + (random() < 0.2 && random() < 0.5 ? 0 : 2), depth + 1, lines, ' '.repeat(indent + 2));
    } else {
      lines.push(`${first}${key}:${gap}${random() < 0.3 ? flow(random, 0) : scalar(random, false)}${comment}`);
    }
  }
}

function document(random: () => number): string {
  const lines: string[] = [];
  block(random, 0, 0, lines, '');
  return `${lines.join('\n')}${random() < 0.8 ? '\n' : ''}`;
}

const EDITS = [' ', ':', '-', '#', "'", '"', '{', '}', '[', ']', ',', '\n', '\t', '&', '*', '!', '|', '>', '?', '%', '@', '`', '\\', '\r', '\u0001', '  '];

function mutate(random: () => number, text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  const kind = random();
  if (kind < 0.4) return text.slice(0, at) + pick(random, EDITS) + text.slice(at);
  if (kind < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
  const lines = text.split('\n');
  const line = Math.floor(random() * lines.length);
  lines.splice(line, 0, lines[line]!);
  return lines.join('\n');
}

describe('simple YAML parser (first tier of the fast path)', () => {
  it('parses the examples it accepts and the generated bench fleet like js-yaml and the precise path', () => {
    const texts = ['hybrid', 'kvm', 'xen'].map((name) => readFileSync(`examples/${name}/fleet.yaml`, 'utf8'));
    const bench = generateFleet({ hosts: 10, vms: 200, seed: BENCH_SEED, strategy: 'pack' }).text;
    expect(expectLikeJsYamlOrDeclined(bench)).toBe(true);
    for (const text of texts) expectLikeJsYamlOrDeclined(text);
  });

  it('gives what js-yaml and the precise path give, or declines, on random documents and their mutations', () => {
    const random = mulberry32(BENCH_SEED);
    let accepted = 0;
    let acceptedMutants = 0;
    for (let round = 0; round < 1500; round++) {
      const text = document(random);
      if (expectLikeJsYamlOrDeclined(text)) accepted += 1;
      for (let m = 0; m < 3; m++) if (expectLikeJsYamlOrDeclined(mutate(random, text))) acceptedMutants += 1;
    }
    // The generator must exercise the parser, not only its declines.
    expect(accepted).toBeGreaterThan(300);
    expect(acceptedMutants).toBeGreaterThan(300);
  });

  it('declines what is outside its subset', () => {
    for (const text of [
      'a: |\n  text\n', 'a: >\n  text\n', 'a: "x\\ny"\n', 'a: [1,\n  2]\n', 'a:\n', 'a: 1\na: 2\n', '"a": 1\n', '? a\n: 1\n', 'a: !tag x\n',
      'a: &x 1\nb: *x\n', '--- \na: 1\n', 'a: 1\r\n', 'a:\t1\n', 'a: b\n  c\n', 'a: [1, 2,]\n', 'a: { b }\n', 'true: 1\n', '1: a\n', '- - a\n',
      'a: "\u0001"\n', '',
    ]) {
      expect(simpleParse(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('is the tier that parses the generated bench fleet (js-yaml only for the rest)', () => {
    const text = generateFleet({ hosts: 10, vms: 200, seed: BENCH_SEED, strategy: 'pack' }).text;
    const simple = simpleParse(text);
    expect(simple).toBeDefined();
    expect(simple?.data).toStrictEqual(jsYamlParse(text)?.data);
  });
});
