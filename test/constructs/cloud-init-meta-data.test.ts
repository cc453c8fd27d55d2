// NoCloud meta-data (constructs/cloud-init.ts renderMetaData): plain fleet names are written directly, and
// the text must be what the `yaml` package's stringify writes, which renderMetaData used for every name.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { renderMetaData } from '../../constructs/cloud-init';
import { NAME_PATTERN } from '../../fleet/schema';

const byYaml = (name: string): string => stringify({ 'instance-id': name, 'local-hostname': name });

// YAML 1.2 core schema (yaml.org/spec/1.2.2, 10.3.2 Tag Resolution): null, true and false in three
// spellings each are not strings; numbers start with a digit, a sign or a dot, which fleet names cannot.
const TRICKY = [
  'null', 'Null', 'NULL', 'nUll', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'yes', 'no', 'on', 'off', 'y', 'n', 'nan', 'NaN',
  'inf', 'Infinity', 'e1', 'E5', 'x_y', 'a-', 'a_', 'null_', 'true-1', 'web-1', 'a'.repeat(63), 'A'.repeat(63),
  // Not fleet names: these take stringify.
  '0x1', '1e5', '.inf', '-', 'a b', 'a: b', '#x', 'a'.repeat(90), '', 'ü',
];

function seededNames(count: number): string[] {
  const first = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const rest = `${first}0123456789-_`;
  let state = 17;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  return Array.from({ length: count }, () => first[next(first.length)]! + Array.from({ length: next(63) }, () => rest[next(rest.length)]!).join(''));
}

describe('renderMetaData', () => {
  it.each(TRICKY)('writes what yaml stringify writes for %j', (name) => {
    expect(renderMetaData(name)).toBe(byYaml(name));
  });

  it('writes what yaml stringify writes for 2,000 random fleet names', () => {
    const names = seededNames(2000);
    expect(names.every((name) => NAME_PATTERN.test(name))).toBe(true);
    for (const name of names) expect(renderMetaData(name)).toBe(byYaml(name));
  });

  it('quotes the names YAML reads as null or a boolean', () => {
    expect(renderMetaData('web-1')).toBe('instance-id: web-1\nlocal-hostname: web-1\n');
    expect(renderMetaData('null')).toBe('instance-id: "null"\nlocal-hostname: "null"\n');
    expect(renderMetaData('False')).toBe('instance-id: "False"\nlocal-hostname: "False"\n');
  });
});
