/**
 * Times `hyperplan review --base HEAD` (runReview) on a generated fleet with one VM added in the work tree.
 * Not a test: run with `node --import tsx test/review/bench-review.ts [hosts] [vms] [full|reduced] [lock|nolock]`.
 * With `lock` (default) the base commit carries the base placement as hyperplan.lock.json, as a real
 * repository does; without it the planner is free to re-place the whole fleet for one added VM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet } from '../../bench/generate-fleet';
import { runReview } from '../../pipeline/review';
import type { Io } from '../../cli/command';
import { loadFleet } from '../../fleet/index';
import { plan } from '../../planner/plan';
import { gitRepo } from '../support/git-repo';
import { serializeLock } from '../../planner/lock';

const hosts = Number(process.argv[2] ?? 1000);
const vms = Number(process.argv[3] ?? 20000);
const mode = process.argv[4] ?? 'reduced';
const withLock = (process.argv[5] ?? 'lock') === 'lock';
const repo = mkdtempSync(join(tmpdir(), 'hyperplan-review-bench-'));
try {
  const base = generateFleet({ hosts, vms, seed: 1 }).text;
  const added =
    '  - name: review-bench-new\n    vcpus: 2\n    memory: 4GiB\n    disks:\n      - { size: 40GiB, pool: images, image: /var/lib/libvirt/images/debian-12.qcow2 }\n' +
    '    networks: [prod]\n    workload: general\n    securityClass: general\n';
  writeFileSync(join(repo, 'fleet.yaml'), base);
  if (withLock) {
    const loaded = loadFleet(join(repo, 'fleet.yaml'), { env: {} });
    if (!loaded.ok) throw new Error('generated fleet does not load');
    writeFileSync(join(repo, 'hyperplan.lock.json'), serializeLock(plan(loaded.fleet, undefined)));
  }
  gitRepo(repo).initWithBase();
  writeFileSync(join(repo, 'fleet.yaml'), `${base.endsWith('\n') ? base : `${base}\n`}${added}`);
  const io: Io = { stdout: () => {}, stderr: () => {}, cwd: repo, env: {}, interactive: false };
  const started = performance.now();
  const review = await runReview({ env: io.env, fleetFile: join(repo, 'fleet.yaml'), base: 'HEAD', plans: [], ...(mode === 'full' ? { reduce: false } : {}) } as Parameters<typeof runReview>[0]);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ hosts, vms, mode, withLock, seconds: Number(seconds.toFixed(2)), vmChanges: review.vms.map((v) => `${v.vm}:${v.change}@${v.host}`), resources: review.resources.length }));
} finally {
  rmSync(repo, { recursive: true, force: true });
}
