import { describe, expect, it } from 'vitest';
import { terraformId } from '../../fleet/terraform-names';
import { mulberry32 } from '../../planner/random';

/** The definition terraformId keeps (it skips the regex for parts that are ids already). */
function byRegex(...parts: readonly string[]): string {
  const id = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

describe('terraformId', () => {
  it('maps names to Terraform identifiers', () => {
    expect(terraformId('kvm-a1', 'web-1')).toBe('kvm_a1_web_1');
    expect(terraformId('1host')).toBe('_1host');
    expect(terraformId('', 'disk0')).toBe('_disk0');
    expect(terraformId()).toBe('');
    expect(terraformId('é')).toBe('_');
  });

  it('is the regex definition on random parts, and idempotent on its first part', () => {
    const random = mulberry32(17);
    const alphabet = ['a', 'Z', '0', '9', '_', '-', '.', ' ', 'é', '日', '\uD83D', '/'];
    const part = (): string => Array.from({ length: Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 2000; round++) {
      const parts = Array.from({ length: Math.floor(random() * 4) }, part);
      expect(terraformId(...parts), JSON.stringify(parts)).toBe(byRegex(...parts));
      if (parts.length > 0) expect(terraformId(terraformId(parts[0]!), ...parts.slice(1))).toBe(terraformId(...parts));
    }
  });
});
