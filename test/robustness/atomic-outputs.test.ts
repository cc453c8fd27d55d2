/**
 * Outputs are replaced atomically: the lock file (`plan --write-lock`), `cdktf.out` (`synth --out`),
 * libvirt XML (`xml --out`) and the review (`review --out`) are written beside their target and renamed.
 * (a) A run that fails validation after partial work leaves the previous output byte for byte.
 * (b) A synth killed with SIGKILL mid-run leaves the previous output directory intact; only temporary
 *     siblings named `.<name>.tmp-<pid>` may remain.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_SEED, generateFleet } from '../../bench/generate-fleet';
import { cli } from '../support/cli';
import { snapshotDir } from '../support/tree';

const ROOT = new URL('../..', import.meta.url).pathname;

/** A VM that fails XEN-VIRTIO-DEVICE (severity error): virtio disk on a Xen guest. */
const POLICY_ERROR_VM = `  - name: bad-xen
    vcpus: 1
    memory: 1GiB
    hypervisor: xen
    guestType: pvh
    disks: [{ size: 10GiB, pool: images, bus: virtio }]
    networks: [prod]
`;

/** An unknown key: the fleet does not load (exit 2). */
const BAD_INPUT_VM = `  - name: typo-1
    vcpus: 1
    memroy: 1GiB
`;

describe('atomic outputs', () => {
  let dir: string;
  const path = (...parts: string[]): string => join(dir, ...parts);
  const run = (argv: string[]) => cli(argv, { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyperplan-atomic-'));
    const small = generateFleet({ hosts: 10, vms: 200, seed: BENCH_SEED }).text;
    const big = generateFleet({ hosts: 100, vms: 2_000, seed: BENCH_SEED }).text;
    for (const [name, text] of [['good', small], ['policy-error', small + POLICY_ERROR_VM], ['bad', small + BAD_INPUT_VM], ['big', big]] as const) {
      mkdirSync(path(name));
      writeFileSync(path(name, 'fleet.yaml'), text);
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('synth: a policy error (exit 1) or a bad fleet (exit 2) leaves the previous cdktf.out byte-identical', async () => {
    const out = path('cdktf.out');
    expect((await run(['synth', path('good', 'fleet.yaml'), '--out', out])).code).toBe(0);
    const before = snapshotDir(out);
    expect(Object.keys(before).some((f) => f.endsWith('cdk.tf.json'))).toBe(true);

    const policyError = await run(['synth', path('policy-error', 'fleet.yaml'), '--out', out]);
    expect(policyError.code, policyError.stderr + policyError.stdout).toBe(1);
    expect(snapshotDir(out)).toEqual(before);

    const bad = await run(['synth', path('bad', 'fleet.yaml'), '--out', out]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(snapshotDir(out)).toEqual(before);
  });

  it('plan --write-lock: a bad fleet (exit 2) leaves the previous lock file intact', async () => {
    const lock = path('plan.lock.json');
    writeFileSync(lock, '{\n  "version": 1,\n  "placements": {}\n}\n');
    expect((await run(['plan', path('good', 'fleet.yaml'), '--lock', lock, '--write-lock'])).code).toBe(0);
    const before = snapshotDir(dir)['plan.lock.json'];
    expect(before).toBeDefined();
    const bad = await run(['plan', path('bad', 'fleet.yaml'), '--lock', lock, '--write-lock']);
    expect(bad.code, bad.stderr).toBe(2);
    expect(snapshotDir(dir)['plan.lock.json']).toBe(before);
  });

  it('xml --out: a bad fleet (exit 2) leaves the previous XML directory intact', async () => {
    const out = path('xml');
    const first = await run(['xml', path('good', 'fleet.yaml'), '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const before = snapshotDir(out);
    expect(Object.keys(before).length).toBeGreaterThan(0);
    expect((await run(['xml', path('bad', 'fleet.yaml'), '--out', out])).code).toBe(2);
    expect(snapshotDir(out)).toEqual(before);
    const policyError = await run(['xml', path('policy-error', 'fleet.yaml'), '--out', out]);
    expect(policyError.code, policyError.stderr).toBe(1);
    expect(policyError.stderr).toContain('XEN-VIRTIO-DEVICE');
    expect(policyError.stderr).not.toContain('internal error');
    expect(snapshotDir(out)).toEqual(before);
  });

  it('review --out: a failing review (exit 2) leaves the previous review file intact', async () => {
    const base = path('review-base.out');
    expect((await run(['synth', path('good', 'fleet.yaml'), '--out', base])).code).toBe(0);
    const report = path('review.md');
    const first = await run(['review', '--base-dir', base, '--head-dir', base, '--out', report]);
    expect(first.code, first.stderr).toBe(0);
    const before = snapshotDir(dir)['review.md'];
    expect(before).toBeDefined();
    const failing = await run(['review', '--base-dir', base, '--head-dir', path('no-such-dir'), '--out', report]);
    expect(failing.code, failing.stderr).toBe(2);
    expect(snapshotDir(dir)['review.md']).toBe(before);
  });

  /**
   * Kills `hyperplan synth` of the big fleet: once after about a second, once as soon as it has started
   * writing its temporary output directory (the moment a non-atomic writer would corrupt the output).
   */
  it.each([
    ['after about a second', false],
    ['while it writes its temporary output', true],
  ])('synth killed %s leaves the previous output directory intact', async (_label, waitForWriting) => {
    const out = path('killed.out');
    if (!existsSync(out)) expect((await run(['synth', path('good', 'fleet.yaml'), '--out', out])).code).toBe(0);
    const before = snapshotDir(out);
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hyperplan.js'), 'synth', path('big', 'fleet.yaml'), '--out', out], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const tmp = path(`.killed.out.tmp-${child.pid}`);
    const started = Date.now();
    // Poll: at least a second, then until the temporary output is being written (at most 60 s).
    while (Date.now() - started < 60_000 && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      if (Date.now() - started >= 1_000 && (!waitForWriting || existsSync(join(tmp, 'stacks')))) break;
    }
    expect(child.exitCode, 'synth of the big fleet finished before it could be killed').toBeNull();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(snapshotDir(out)).toEqual(before);
    const leftovers = readdirSync(dir).filter((f) => f.startsWith('.killed.out'));
    for (const file of leftovers) expect(file).toMatch(/^\.killed\.out\.tmp-\d+(-old)?$/);
  });
});
