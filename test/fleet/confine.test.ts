/** Files a fleet names stay inside its repository unless the operator allows more. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedPathsFromEnv, boundaryOf, confinedPath, OutsideRepositoryError, repositoryRoot } from '../../fleet/confine';
import { formatProblem, loadFleetFromString } from '../../fleet/index';

const dir = mkdtempSync(join(tmpdir(), 'hyperplan-confine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('confinedPath', () => {
  mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
  mkdirSync(join(dir, 'repo', 'fleets', 'a'), { recursive: true });
  mkdirSync(join(dir, 'repo', 'shared'));
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'repo', 'shared', 'user-data.yaml'), '#cloud-config\n');
  writeFileSync(join(dir, 'other', 'secret.txt'), 'x');
  symlinkSync(join(dir, 'other', 'secret.txt'), join(dir, 'repo', 'fleets', 'a', 'link.txt'));
  const fleetFile = join(dir, 'repo', 'fleets', 'a', 'fleet.yaml');
  const baseDir = join(dir, 'repo', 'fleets', 'a');

  it('takes the git work tree (a .git entry) as the repository, else the fleet folder', () => {
    expect(repositoryRoot(baseDir)).toBe(join(dir, 'repo'));
    expect(repositoryRoot(join(dir, 'other'))).toBe(join(dir, 'other'));
  });

  it('accepts paths inside the repository, also climbing to a sibling folder of it', () => {
    expect(confinedPath('../../shared/user-data.yaml', baseDir, boundaryOf(fleetFile))).toBe(join(dir, 'repo', 'shared', 'user-data.yaml'));
  });

  it('refuses paths that climb out, absolute paths elsewhere and symlinks pointing out, naming the path as written', () => {
    for (const path of ['../../../other/secret.txt', join(dir, 'other', 'secret.txt'), 'link.txt']) {
      expect(() => confinedPath(path, baseDir, boundaryOf(fleetFile))).toThrow(OutsideRepositoryError);
      expect(() => confinedPath(path, baseDir, boundaryOf(fleetFile))).toThrow(`'${path}' is outside the fleet's repository (${join(dir, 'repo')})`);
    }
  });

  it('accepts what the operator allows (HYPERPLAN_ALLOW_PATHS, PATH-style list)', () => {
    const allowed = allowedPathsFromEnv({ HYPERPLAN_ALLOW_PATHS: `${join(dir, 'other')}:` }, dir);
    expect(allowed).toEqual([join(dir, 'other')]);
    expect(confinedPath('link.txt', baseDir, boundaryOf(fleetFile, allowed))).toBe(join(baseDir, 'link.txt'));
  });

  it('the loader reports a located problem for each path outside, never reading the file', () => {
    const text = [
      'apiVersion: hyperplan/v1',
      'hosts: [{ name: h, hypervisor: kvm, uri: "qemu:///system", cpus: 8, memory: 16GiB }]',
      'pools: [{ name: p, type: dir, path: /var/lib/libvirt/images }]',
      'vms:',
      '  - { name: v, vcpus: 1, memory: 1GiB, disks: [{ size: 1GiB, pool: p }], networks: [], cloudInit: { userData: ../../../other/secret.txt, password: "${file:link.txt}" } }',
      '',
    ].join('\n');
    const read: string[] = [];
    const loaded = loadFleetFromString(text, fleetFile, { env: {}, readFile: (p) => (read.push(p), 'x') });
    expect(loaded.ok).toBe(false);
    expect(read).toEqual([]);
    const lines = loaded.ok ? [] : loaded.problems.map(formatProblem);
    const allow = 'fleets may only read files inside it. If this file is trusted, allow its directory with --allow-path DIR or HYPERPLAN_ALLOW_PATHS';
    expect(lines).toEqual([
      `${fleetFile}:5:111: vms[0].cloudInit.userData: file '../../../other/secret.txt' is outside the fleet's repository (${join(dir, 'repo')}); ${allow}`,
      `${fleetFile}:5:148: vms[0].cloudInit.password: secret file 'link.txt' is outside the fleet's repository (${join(dir, 'repo')}); ${allow}`,
    ]);
  });
});
