/**
 * Every command resolves the paths it is given against its working directory (`io.cwd`), never the
 * process's; `plan --lock FILE --write-lock` creates FILE when it does not exist yet.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/main';
import type { Io } from '../../cli/command';

const FLEET = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-1, hypervisor: kvm, uri: "qemu+ssh://root@kvm-1/system", cpus: 16, memory: 64GiB }
networks:
  - { name: prod, mode: bridge, bridge: br0 }
vms:
  - { name: web-1, vcpus: 2, memory: 4GiB, networks: [prod] }
`;

function inDir(): { dir: string; io: Io; out: string[]; err: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hyperplan-paths-'));
  writeFileSync(join(dir, 'fleet.yaml'), FLEET);
  const out: string[] = [];
  const err: string[] = [];
  return { dir, out, err, io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: {}, interactive: false } };
}

describe('paths given to a command start at io.cwd', () => {
  it.each(['check', 'plan', 'synth'])('%s reads --lock relative to io.cwd (a malformed one there is reported)', async (command) => {
    const { dir, io, err } = inDir();
    writeFileSync(join(dir, 'my.lock.json'), '{ "version": 7 }');
    const extra = command === 'synth' ? ['--out', 'out', '--quiet'] : [];
    expect(await run([command, 'fleet.yaml', '--lock', 'my.lock.json', ...extra], io)).toBe(2);
    expect(err.join('')).toContain(join(dir, 'my.lock.json'));
  });

  it.each(['check', 'synth'])('%s reads --policy relative to io.cwd', async (command) => {
    const { dir, io, err } = inDir();
    writeFileSync(join(dir, 'my.policy.yaml'), 'noSuchKey: 1\n');
    const extra = command === 'synth' ? ['--out', 'out', '--quiet'] : [];
    expect(await run([command, 'fleet.yaml', '--policy', 'my.policy.yaml', ...extra], io)).toBe(2);
    expect(err.join('')).toContain('my.policy.yaml');
    expect(err.join('')).toContain('noSuchKey');
  });
});

describe('plan --lock FILE', () => {
  it('with --write-lock creates FILE when it does not exist yet', async () => {
    const { dir, io, err } = inDir();
    expect(await run(['plan', 'fleet.yaml', '--lock', 'new.lock.json', '--write-lock', '--quiet'], io)).toBe(0);
    expect(err.join('')).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'new.lock.json'), 'utf8'))).toEqual({ version: 1, placements: { 'web-1': 'kvm-1' } });
  });

  it('without --write-lock, a named lock file that does not exist is bad input', async () => {
    const { dir, io, err } = inDir();
    expect(await run(['plan', 'fleet.yaml', '--lock', 'missing.lock.json'], io)).toBe(2);
    expect(err.join('')).toBe(`${join(dir, 'missing.lock.json')}: lock file not found\n`);
    expect(existsSync(join(dir, 'missing.lock.json'))).toBe(false);
  });
});
