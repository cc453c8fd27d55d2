import { describe, it, expect } from 'vitest';
import { parseSize, sizeProblem, sizeToKiB, sizeToMiB } from '../../fleet/sizes';

describe('sizes', () => {
  it.each([
    ['512MiB', 512],
    ['4GiB', 4096],
    ['4G', 4096],
    ['1TiB', 1024 * 1024],
    ['1.5GiB', 1536],
    ['2048KiB', 2],
    ['8 GiB', 8192],
  ])('%s is %d MiB', (text, mib) => {
    expect(sizeProblem(text, 'MiB')).toBeUndefined();
    expect(sizeToMiB(text)).toBe(mib);
  });

  it('converts hugepage sizes to KiB', () => {
    expect(sizeToKiB('2MiB')).toBe(2048);
    expect(sizeToKiB('1GiB')).toBe(1024 * 1024);
  });

  it.each([
    ['8', "size '8' has no unit; write it with one, e.g. '8GiB' (units: B, KiB, MiB, GiB or TiB (K, M, G, T mean the same))"],
    ['-1GiB', "size '-1GiB' is negative; sizes must be greater than zero"],
    ['0MiB', "size '0MiB' is zero; sizes must be greater than zero"],
    ['8GB', "unit 'GB' in '8GB' is ambiguous; write binary units, e.g. '8GiB'"],
    ['8gib', "unknown unit 'gib' in '8gib'; use B, KiB, MiB, GiB or TiB (K, M, G, T mean the same)"],
    ['GiB', "'GiB' is not a size; write a number and a unit, e.g. '8GiB'"],
  ])('rejects %s', (text, message) => {
    expect(parseSize(text)).toEqual({ ok: false, message });
  });

  it('requires whole MiB for MiB sizes', () => {
    expect(sizeProblem('1536KiB', 'MiB')).toBe("size '1536KiB' is not a whole number of MiB");
    expect(sizeProblem('1536KiB', 'KiB')).toBeUndefined();
  });
});
