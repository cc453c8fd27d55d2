import { describe, expect, it } from 'vitest';
import { parseLock, serializeLock } from '../../planner/lock';

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
      problems: ['l.json: version: expected 1, got 2', 'l.json: extra: unknown key (allowed: version, placements)', 'l.json: placements.a: expected a host name, got 3'],
    });
    expect(parseLock('[]', 'l.json').ok).toBe(false);
  });
});
