import { describe, expect, it } from 'vitest';
import { lockObjectKey, parseLock, serializeLock } from '../../planner/lock';

describe('lock file', () => {
  it('serializes with sorted keys, two spaces and a trailing newline', () => {
    expect(serializeLock({ placements: { b: 'kvm-2', a: 'kvm-1' } })).toBe('{\n  "version": 1,\n  "placements": {\n    "a": "kvm-1",\n    "b": "kvm-2"\n  }\n}\n');
  });
  it('round-trips', () => {
    const text = serializeLock({ placements: { web: 'kvm-1' } });
    expect(parseLock(text, 'x.json')).toEqual({ ok: true, lock: { version: 1, placements: { web: 'kvm-1' } } });
  });
  it('reports syntax errors with a position and never throws', () => {
    const result = parseLock('{\n  "version": 1,\n  oops\n}', 'hyperplan.lock.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^hyperplan\.lock\.json:3:3: not valid JSON/);
  });
  it('collects every shape problem', () => {
    const result = parseLock('{"version": 2, "placements": {"a": 3}, "extra": true}', 'l.json');
    expect(result).toEqual({
      ok: false,
      problems: ['l.json: version: expected 1, got 2', 'l.json: extra: unknown key (allowed: version, placements, uuids)', 'l.json: placements.a: expected a host name, got 3'],
    });
    expect(parseLock('[]', 'l.json').ok).toBe(false);
  });
  it('keeps the libvirt UUIDs of adopted objects (optional uuids), sorted, and checks each is a UUID', () => {
    const text = serializeLock({
      placements: { web: 'kvm-1' },
      uuids: { web: '6695eb01-f6a4-8304-79aa-97f2502e193f', [lockObjectKey('network', 'prod', 'kvm-1')]: 'dd8fe884-6c02-601e-7551-cca97df1c5df' },
    });
    expect(text).toBe(
      '{\n  "version": 1,\n  "placements": {\n    "web": "kvm-1"\n  },\n  "uuids": {\n    "network:prod@kvm-1": "dd8fe884-6c02-601e-7551-cca97df1c5df",\n    "web": "6695eb01-f6a4-8304-79aa-97f2502e193f"\n  }\n}\n',
    );
    const parsed = parseLock(text, 'x.json');
    expect(parsed.ok && parsed.lock.uuids).toEqual({ 'network:prod@kvm-1': 'dd8fe884-6c02-601e-7551-cca97df1c5df', web: '6695eb01-f6a4-8304-79aa-97f2502e193f' });
    // No uuids: the key is left out, as before.
    expect(serializeLock({ placements: {}, uuids: {} })).toBe('{\n  "version": 1,\n  "placements": {}\n}\n');
    expect(parseLock('{"version": 1, "placements": {}, "uuids": {"web": "nope"}}', 'l.json')).toEqual({
      ok: false,
      problems: ['l.json: uuids.web: expected a libvirt UUID like 6695eb01-f6a4-8304-79aa-97f2502e193f, got "nope"'],
    });
  });
});
