/**
 * "Move, don't replace" on the hybrid example: draining kvm-a1 into kvm-a2 (the targets `drain` picks)
 * with `moves: 'live'` emits, for each VM that can live-migrate, a migrate.sh command and `moved` blocks
 * from the old host's addresses (domain and volumes), so the apply destroys none of its resources; the review says "live move (no restart)" for it and
 * "offline move" with the reason for the others.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../fleet/load';
import type { Fleet } from '../../fleet/model';
import { drain } from '../../planner/drain';
import type { Lock } from '../../planner/lock';
import { plan } from '../../planner/plan';
import { buildReview } from '../../review/review';
import { indexSynth, type JsonObject } from '../../review/terraform-json';
import type { Review } from '../../review/types';
import { listFiles, synthesizeFleet, type SynthSummary } from '../../pipeline/synth';

const FLEET = 'examples/hybrid/fleet.yaml';
const scratch = mkdtempSync(join(tmpdir(), 'hyperplan-moves-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface MoveBlocks {
  readonly removed?: ReadonlyArray<{ from: string; lifecycle: { destroy: boolean } }>;
  readonly import?: ReadonlyArray<{ to: string; id: string; provider: string }>;
  readonly moved?: ReadonlyArray<{ from: string; to: string }>;
  readonly resource: Record<string, Record<string, unknown>>;
}

const uuidOf = (vm: string): string => `00000000-0000-4000-8000-${Buffer.from(vm).toString('hex').padStart(12, '0').slice(-12)}`;
const readStack = (out: string): MoveBlocks => JSON.parse(readFileSync(join(out, 'stacks/site-a/cdk.tf.json'), 'utf8')) as MoveBlocks;
const sideOf = (out: string, fleet: Fleet, lock: Lock) => ({
  index: indexSynth([{ name: 'site-a', document: JSON.parse(readFileSync(join(out, 'stacks/site-a/cdk.tf.json'), 'utf8')) as JsonObject }]),
  fleet,
  placement: plan(fleet, lock),
});

describe('synth moves: live on the hybrid example (drain kvm-a1 into kvm-a2)', () => {
  let fleet: Fleet;
  let running: Lock;
  let drained: Lock;
  let summary: SynthSummary;
  let review: Review;
  const baseOut = join(scratch, 'base');
  const headOut = join(scratch, 'head');

  beforeAll(async () => {
    const loaded = loadFleet(FLEET);
    if (!loaded.ok) throw new Error('examples/hybrid does not load');
    fleet = loaded.fleet;
    const placements = plan(fleet).placements;
    running = { version: 1, placements, uuids: Object.fromEntries(Object.keys(placements).map((vm) => [vm, uuidOf(vm)])) };
    const result = drain(fleet, 'kvm-a1', running);
    if (!result.ok) throw new Error(result.problem);
    const targets = Object.fromEntries(result.drain.steps.filter((s) => s.to !== undefined).map((s) => [s.vm, s.to!]));
    drained = { ...running, placements: { ...placements, ...targets } };
    await synthesizeFleet({ fleetFile: FLEET, outDir: baseOut, lock: running });
    summary = await synthesizeFleet({ fleetFile: FLEET, outDir: headOut, lock: drained, current: running, moves: 'live' });
    review = buildReview({ base: sideOf(baseOut, fleet, running), head: sideOf(headOut, fleet, drained) });
  });

  it('moves lab-1 live (shared pool member, local disk copied) and web-1 offline (cloud-init seed on a local pool)', () => {
    expect(Object.entries(running.placements).filter(([, h]) => h === 'kvm-a1').map(([vm]) => vm).sort()).toEqual(['lab-1', 'web-1']);
    expect(summary.moves.map((m) => [m.vm, m.from, m.to, m.mode])).toEqual([
      ['lab-1', 'kvm-a1', 'kvm-a2', 'live'],
      ['web-1', 'kvm-a1', 'kvm-a2', 'offline'],
    ]);
    expect(summary.moves[1]).toMatchObject({ reason: expect.stringContaining('cloud-init seed is a read-only volume on local pool images') });
  });

  it('writes migrate.sh beside the stack with the drain command (tls transport, --copy-storage-all for the local disk)', () => {
    expect(listFiles(headOut)).toContain('stacks/site-a/migrate.sh');
    expect(listFiles(baseOut)).not.toContain('stacks/site-a/migrate.sh');
    const script = readFileSync(join(headOut, 'stacks/site-a/migrate.sh'), 'utf8');
    expect(script.split('\n').filter((l) => l.includes(' migrate '))).toEqual([
      'virsh -c qemu+ssh://root@kvm-a1/system migrate --live --persistent --undefinesource --tls --copy-storage-all lab-1 qemu+ssh://root@kvm-a2/system',
    ]);
    expect(script).toContain('lab-1 qemu+ssh://root@kvm-a2/system\nvirsh -c qemu+ssh://root@kvm-a2/system autostart lab-1\n');
    expect(summary.stacks[0]!.migrationScript).toBe('stacks/site-a/migrate.sh');
  });

  // Provider v0.9.7 internal/provider/domain_resource.go Read looks the domain up by the UUID in state
  // (LookupDomainByUUID), so through the new host's provider it finds the migrated domain.
  it('moves the domain and its volume in state from kvm-a1 to kvm-a2, and neither imports nor forgets anything', () => {
    const stack = readStack(headOut);
    expect(stack.moved).toEqual([
      { from: 'libvirt_volume.kvm_a1_lab_1_disk0', to: 'libvirt_volume.kvm_a2_lab_1_disk0' },
      { from: 'libvirt_domain.kvm_a1_lab_1', to: 'libvirt_domain.kvm_a2_lab_1' },
    ]);
    expect(stack.removed).toBeUndefined();
    expect(stack.import).toBeUndefined();
    expect(Object.keys(stack.resource.libvirt_domain!)).toContain('kvm_a2_lab_1');
    // web-1 stays on today's path: no block names it.
    expect(JSON.stringify(stack.moved)).not.toContain('web_1');
  });

  it('reviews lab-1 as a live move without restart and without data loss, web-1 as an offline move with the reason', () => {
    const lab = review.vms.find((v) => v.vm === 'lab-1')!;
    expect(lab).toMatchObject({ change: 'move', from: 'kvm-a1', to: 'kvm-a2', migration: 'live', restarts: false });
    expect(lab.command).toBe('virsh -c qemu+ssh://root@kvm-a1/system migrate --live --persistent --undefinesource --tls --copy-storage-all lab-1 qemu+ssh://root@kvm-a2/system');
    expect(lab.reasons).toContainEqual(expect.stringMatching(/^live move \(no restart\): before terraform apply run virsh .* nothing is destroyed or created$/));
    expect(review.dataLoss.filter((d) => d.vm === 'lab-1')).toEqual([]);
    const web = review.vms.find((v) => v.vm === 'web-1')!;
    expect(web).toMatchObject({ change: 'move', migration: 'offline', restarts: true });
    expect(web.reasons).toContainEqual(expect.stringMatching(/^offline move: its cloud-init seed is a read-only volume on local pool images.*the guest restarts/));
  });

  it('without moves: live, the same move is offline and says how to make it live', async () => {
    const plainOut = join(scratch, 'plain');
    await synthesizeFleet({ fleetFile: FLEET, outDir: plainOut, lock: drained });
    expect(readStack(plainOut).moved).toBeUndefined();
    const plain = buildReview({ base: sideOf(baseOut, fleet, running), head: sideOf(plainOut, fleet, drained) });
    const lab = plain.vms.find((v) => v.vm === 'lab-1')!;
    expect(lab).toMatchObject({ migration: 'offline', restarts: true });
    expect(lab.reasons).toContainEqual(expect.stringContaining('it can live-migrate (virsh -c qemu+ssh://root@kvm-a1/system migrate'));
  });
});
