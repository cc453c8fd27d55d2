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
    const text = serializeLock(
      { placements: { web: 'kvm-1' } },
      { web: '6695eb01-f6a4-8304-79aa-97f2502e193f', [lockObjectKey('network', 'prod', 'kvm-1')]: 'dd8fe884-6c02-601e-7551-cca97df1c5df' },
    );
    expect(text).toBe(
      '{\n  "version": 1,\n  "placements": {\n    "web": "kvm-1"\n  },\n  "uuids": {\n    "network:prod@kvm-1": "dd8fe884-6c02-601e-7551-cca97df1c5df",\n    "web": "6695eb01-f6a4-8304-79aa-97f2502e193f"\n  }\n}\n',
    );
    const parsed = parseLock(text, 'x.json');
    expect(parsed.ok && parsed.lock.uuids).toEqual({ 'network:prod@kvm-1': 'dd8fe884-6c02-601e-7551-cca97df1c5df', web: '6695eb01-f6a4-8304-79aa-97f2502e193f' });
    // No uuids: the key is left out, as before.
    expect(serializeLock({ placements: {} }, {})).toBe('{\n  "version": 1,\n  "placements": {}\n}\n');
  });
  it('keeps domain UUIDs of placed VMs, sorted, and leaves the key out when there are none', () => {
    const uuid = '4dea22b3-1d52-d8f3-2516-782e98ab3fa0';
    const text = serializeLock({ placements: { web: 'kvm-1', db: 'kvm-2' } }, { web: uuid, gone: '6695eb01-f6a4-8304-79aa-97f2502e193f' });
    expect(JSON.parse(text)).toEqual({ version: 1, placements: { db: 'kvm-2', web: 'kvm-1' }, uuids: { web: uuid } });
    expect(parseLock(text, 'x.json')).toEqual({ ok: true, lock: { version: 1, placements: { db: 'kvm-2', web: 'kvm-1' }, uuids: { web: uuid } } });
    expect(serializeLock({ placements: { web: 'kvm-1' } }, {})).not.toContain('uuids');
  });
  it('rejects a UUID that is not one, naming the VM', () => {
    expect(parseLock('{"version": 1, "placements": {"a": "h"}, "uuids": {"a": "not-a-uuid"}}', 'l.json')).toEqual({
      ok: false,
      problems: ['l.json: uuids.a: expected a domain UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0, got "not-a-uuid"'],
    });
    expect(parseLock('{"version": 1, "placements": {}, "uuids": []}', 'l.json').ok).toBe(false);
  });
});
