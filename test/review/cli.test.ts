/** `hyperplan review` end to end: a temporary git repository, the base read from git, JSON on stdout. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type CliResult } from '../support/cli';
import { gitRepo } from '../support/git-repo';
import { REVIEW_MARKER } from '../../review/markdown';
import { BASE_FLEET, edit } from './fleets';

const repo = mkdtempSync(join(tmpdir(), 'hyperplan-review-git-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const { git, initWithBase } = gitRepo(repo);
const hyperplan = (...argv: string[]): Promise<CliResult> => cli(argv, { cwd: repo });

describe('hyperplan review --base', () => {
  it('reviews the work tree against a commit without touching the work tree', async () => {
    writeFileSync(join(repo, 'fleet.yaml'), BASE_FLEET);
    initWithBase();
    const head = edit(BASE_FLEET, ['vcpus: 4\n    memory: 8GiB\n    host: kvm-a1', 'vcpus: 4\n    memory: 16GiB\n    host: kvm-a1'], ['      - { size: 200GiB, pool: nfs, data: true }\n', '']);
    writeFileSync(join(repo, 'fleet.yaml'), head);

    const result = await hyperplan('review', '--base', 'HEAD', 'fleet.yaml', '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const review = JSON.parse(result.stdout);
    expect(Object.keys(review)).toEqual(expect.arrayContaining(['vms', 'dataLoss', 'hosts', 'pools', 'findings']));
    expect(review.vms.map((v: { vm: string; change: string }) => [v.vm, v.change])).toEqual([
      ['db-1', 'restart'],
      ['web-1', 'restart'],
    ]);
    expect(review.dataLoss).toEqual([expect.objectContaining({ vm: 'db-1', volume: 'db-1-disk1.qcow2', blocked: false })]);
    // 16 GiB plus the per-guest overhead of a VM that may land on either kind (Xen's 4 + 128 MiB is the larger).
    expect(review.hosts.find((h: { name: string }) => h.name === 'kvm-a1').after.memoryMiB.used).toBe(16384 + 132);
    expect(readdirSync(repo).sort()).toEqual(['.git', 'fleet.yaml']);
    expect(readFileSync(join(repo, 'fleet.yaml'), 'utf8')).toBe(head);

    expect((await hyperplan('review', '--base', 'HEAD', 'fleet.yaml', '--fail-on', 'errors', '--format', 'json')).code).toBe(0);
  });

  it('compares two commits and writes Markdown atomically with --out', async () => {
    git('commit', '-q', '-am', 'head');
    const result = await hyperplan('review', '--base', 'HEAD~1', '--head', 'HEAD', 'fleet.yaml', '--out', 'review.md', '--fail-on', 'none');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const markdown = readFileSync(join(repo, 'review.md'), 'utf8');
    expect(markdown.split('\n')[0]).toBe('**hyperplan review:** 2 restarted, ⚠ 1 data volume at risk, 0 policy errors');
    expect(markdown).toContain(REVIEW_MARKER);
    rmSync(join(repo, 'review.md'));
  });

  it('exits 2 on an unknown ref or a bad command line', async () => {
    const unknown = await hyperplan('review', '--base', 'no-such-ref', 'fleet.yaml');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-ref/);
    expect((await hyperplan('review', 'fleet.yaml')).code).toBe(2);
    expect((await hyperplan('review', '--base', 'HEAD', '--format', 'yaml', 'fleet.yaml')).code).toBe(2);
    expect((await hyperplan('review', '--base-dir', repo)).code).toBe(2);
    expect(existsSync(join(repo, 'cdktf.out'))).toBe(false);
  });
});
