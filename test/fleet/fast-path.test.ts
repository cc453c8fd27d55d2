import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFleetFromString, locate } from '../../fleet/index';
import { fastParse } from '../../fleet/fast-yaml';

const EXAMPLES = ['kvm', 'xen', 'hybrid'].map((name) => `examples/${name}/fleet.yaml`);

describe('fast YAML path (big files)', () => {
  it.each(EXAMPLES)('gives the same Fleet, locations included, as the precise path for %s', (file) => {
    const text = readFileSync(file, 'utf8');
    const precise = loadFleetFromString(text, file, { fastPath: 'never' });
    const fast = loadFleetFromString(text, file, { fastPath: 'always' });
    expect(precise.ok).toBe(true);
    expect(fast).toEqual(precise);
    expect(Object.keys(fast.ok ? fast.fleet.locations : {}).length).toBeGreaterThan(50);
  });

  it.each(EXAMPLES)('answers each path on demand like the precise map for %s', (file) => {
    const text = readFileSync(file, 'utf8');
    const precise = loadFleetFromString(text, file, { fastPath: 'never' });
    const fast = loadFleetFromString(text, file, { fastPath: 'always' });
    if (!precise.ok || !fast.ok) throw new Error('examples must load');
    for (const [path, location] of Object.entries(precise.fleet.locations)) {
      expect(fast.fleet.locations[path], path).toEqual(location);
      expect(Object.hasOwn(fast.fleet.locations, path), path).toBe(true);
    }
    expect(fast.fleet.locations['vms[no-such-vm]']).toBeUndefined();
    expect(locate(fast.fleet, 'vms[vault-1].disks[0].nothing')).toEqual(locate(precise.fleet, 'vms[vault-1].disks[0]'));
  });

  it('gives the same located problems as the precise path for a bad file', () => {
    const text = readFileSync('test/fixtures/fleet/five-mistakes.yaml', 'utf8');
    expect(loadFleetFromString(text, 'f.yaml', { fastPath: 'always' })).toEqual(loadFleetFromString(text, 'f.yaml', { fastPath: 'never' }));
  });

  it('declines files with anchors, duplicate keys or syntax errors', () => {
    expect(fastParse('a: &x { b: 1 }\nc: *x\n')).toBeUndefined();
    expect(fastParse('a: 1\na: 2\n')).toBeUndefined();
    expect(fastParse('a: [1, 2\n')).toBeUndefined();
    expect(fastParse('a: { b: 1 }\n')).toBeDefined();
  });
});
