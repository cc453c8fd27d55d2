/** Pairs of fleets synthesized through the real pipeline, and the review's verdict on each change. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marked, type Token } from 'marked';
import type { SynthesizedSide } from '../../pipeline/review';
import { REVIEW_MARKER, renderMarkdown } from '../../review/markdown';
import { reviewExitCode } from '../../review/review';
import type { Review, VmChange } from '../../review/types';
import { BASE_FLEET, edit, Workspace } from './fleets';

const ws = new Workspace();
let base: SynthesizedSide;

beforeAll(async () => {
  base = await ws.side('base', BASE_FLEET);
});
afterAll(() => ws.dispose());

function vm(review: Review, name: string): VmChange {
  const found = review.vms.find((v) => v.vm === name);
  if (!found) throw new Error(`no change for ${name}: ${JSON.stringify(review.vms.map((v) => v.vm))}`);
  return found;
}

function host(review: Review, name: string) {
  const found = review.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no host ${name}`);
  return found;
}

describe('review of fleet changes', () => {
  it('reports nothing when nothing changes', async () => {
    const review = await ws.review(base, BASE_FLEET);
    expect(review.vms).toEqual([]);
    expect(review.dataLoss).toEqual([]);
    expect(review.resources).toEqual([]);
    expect(review.findings).toEqual({ new: [], resolved: [], suppressed: [] });
  });

  it('adding a VM creates it and uses capacity on its host', async () => {
    const review = await ws.review(
      base,
      `${BASE_FLEET}  - { name: new-1, vcpus: 2, memory: 4GiB, host: kvm-a1, disks: [{ size: 10GiB, pool: nfs, image: debian-12 }], networks: [prod] }\n`,
    );
    expect(review.vms).toEqual([{ vm: 'new-1', change: 'create', host: 'kvm-a1', restarts: false, reasons: ['new VM on kvm-a1'] }]);
    // (32 − 2 reserved) × 4 overcommit = 120 vCPUs; 128 − 4 GiB reserved = 126,976 MiB. Each VM also uses
    // its per-guest overhead (planner/capacity.ts): web-1 (4 vCPUs, 8 GiB) 112 MiB, new-1 (2 vCPUs, 4 GiB) 88 MiB.
    expect(host(review, 'kvm-a1')).toEqual({
      name: 'kvm-a1',
      before: { cpu: { used: 4, capacity: 120 }, memoryMiB: { used: 8192 + 112, capacity: 126976 } },
      after: { cpu: { used: 6, capacity: 120 }, memoryMiB: { used: 12288 + 112 + 88, capacity: 126976 } },
    });
    expect(review.dataLoss).toEqual([]);
  });

  it('resizing memory restarts the running domain', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['vcpus: 4\n    memory: 8GiB\n    host: kvm-a1', 'vcpus: 4\n    memory: 16GiB\n    host: kvm-a1']));
    const web = vm(review, 'web-1');
    expect(web.change).toBe('restart');
    expect(web.reasons).toEqual([
      'memory: 8192 → 16384 (restart: boot-time memory size)',
      expect.stringMatching(/^restart: provider 0\.9\.7 applies any domain change by shutting the running domain down/),
    ]);
    // 16 GiB plus the larger per-guest overhead of a VM the planner may put on either kind: Xen's 4 + 128 MiB.
    expect(host(review, 'kvm-a1').after?.memoryMiB.used).toBe(16384 + 132);
    expect(review.vms).toHaveLength(1);
  });

  it('changing a disk bus restarts the domain and names the new device', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['{ size: 200GiB, pool: nfs, data: true }', '{ size: 200GiB, pool: nfs, data: true, bus: scsi }']));
    const db = vm(review, 'db-1');
    expect(db.change).toBe('restart');
    expect(db.reasons).toContainEqual(expect.stringMatching(/^devices\.disks\[1\]\.target\.bus: virtio → scsi \(restart: the guest sees a new disk controller/));
    expect(db.reasons).toContainEqual(expect.stringMatching(/^devices\.disks\[1\]\.target\.dev: vdb → sda/));
    expect(review.dataLoss).toEqual([]);
  });

  it('changing the Xen guest type restarts the domain with a new boot mode', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['guestType: pvh', 'guestType: hvm']));
    const vault = vm(review, 'vault-1');
    expect(vault.change).toBe('restart');
    expect(vault.host).toBe('xen-1');
    expect(vault.reasons).toContainEqual(expect.stringMatching(/^os\.type: xenpvh → hvm \(restart: the guest boots a different way/));
  });

  // A synthesis without `--moves live` destroys and creates: the review says so, names the live-migration
  // command libvirt could run (planner/drain.ts rules) and how to move the VM without a restart.
  it('a move inside a migration pool on shared storage, synthesized without --moves live, is an offline move that says how to make it live', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['host: kvm-a1', 'host: kvm-a2']));
    const web = vm(review, 'web-1');
    const command = 'virsh -c qemu+ssh://root@kvm-a1/system migrate --live --persistent --undefinesource --tls web-1 qemu+ssh://root@kvm-a2/system';
    expect(web).toMatchObject({ change: 'move', from: 'kvm-a1', to: 'kvm-a2', host: 'kvm-a2', migration: 'offline', restarts: true, command });
    expect(web.reasons).toContain(
      `offline move: it can live-migrate (${command}) but this synthesis does not move its state; synthesize with \`--moves live\` ` +
        '(its domain UUID in the lock file: `hyperplan reconcile --from …`) to move it without a restart; destroyed on kvm-a1 and recreated on kvm-a2 (the guest restarts); ' +
        'data disks on local pools are lost unless copied',
    );
    expect(host(review, 'kvm-a1').after?.cpu.used).toBe(0);
    expect(host(review, 'kvm-a2').after?.cpu.used).toBe(12);
  });

  it('a move to another migration pool is offline', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['host: kvm-b1\n    migrationPool: pool-b', 'host: kvm-a2\n    migrationPool: pool-a']));
    const app = vm(review, 'app-1');
    expect(app).toMatchObject({ change: 'move', from: 'kvm-b1', to: 'kvm-a2', migration: 'offline' });
    expect(app.reasons).toContain(
      'offline move: kvm-b1 and kvm-a2 share no migration pool; destroyed on kvm-b1 and recreated on kvm-a2 (the guest restarts); data disks on local pools are lost unless copied',
    );
    const pools = Object.fromEntries(review.pools.map((p) => [p.name, p]));
    expect(pools['pool-a']?.before?.reserve).toBe('none');
    expect(review.pools.map((p) => p.name)).toEqual(['pool-a', 'pool-b']);
  });

  it('removing a data disk is data loss, listed first, and fails the review', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['      - { size: 200GiB, pool: nfs, data: true }\n', '']));
    expect(vm(review, 'db-1')).toMatchObject({ change: 'restart', reasons: expect.arrayContaining(['data disk db-1-disk1.qcow2 removed']) });
    expect(review.dataLoss).toEqual([
      {
        vm: 'db-1',
        volume: 'db-1-disk1.qcow2',
        address: 'libvirt_volume.kvm_a2_db_1_disk1',
        blocked: false,
        reason: 'the disk is removed from the VM and destroyed; removed from the configuration, so prevent_destroy does not stop it',
      },
    ]);
    expect(reviewExitCode(review, 'both')).toBe(1);
    expect(reviewExitCode(review, 'errors')).toBe(0);
    const markdown = renderMarkdown(review);
    expect(markdown.split('\n')[0]).toBe('**hyperplan review:** 1 restarted, ⚠ 1 data volume at risk, 0 policy errors');
    expect(markdown.indexOf('db-1-disk1.qcow2')).toBeLessThan(markdown.indexOf('<details>'));
  });

  it('moving a protected data disk to another pool is blocked by prevent_destroy', async () => {
    const review = await ws.review(base, edit(BASE_FLEET, ['{ size: 200GiB, pool: nfs, data: true }', '{ size: 200GiB, pool: local, data: true }']));
    expect(review.dataLoss).toEqual([
      expect.objectContaining({ vm: 'db-1', volume: 'db-1-disk1.qcow2', blocked: true, reason: expect.stringContaining('terraform will refuse') }),
    ]);
    expect(vm(review, 'db-1').reasons).toContain('data disk db-1-disk1.qcow2: pool: nfs → local (replace: a volume cannot move between pools (RequiresReplace))');
    expect(reviewExitCode(review, 'both')).toBe(0);
  });

  it('removing a host moves its VM offline and loses its local data disk', async () => {
    const head = edit(
      BASE_FLEET,
      ['  - { name: kvm-b2, hypervisor: kvm, uri: qemu+ssh://root@kvm-b2/system, cpus: 32, memory: 128GiB }\n', ''],
      ['hosts: [kvm-b1, kvm-b2]', 'hosts: [kvm-b1]'],
      ['host: kvm-b2', 'host: kvm-b1'],
    );
    const review = await ws.review(base, head);
    expect(vm(review, 'lab-1')).toMatchObject({ change: 'move', from: 'kvm-b2', to: 'kvm-b1', migration: 'offline' });
    expect(review.dataLoss).toEqual([expect.objectContaining({ vm: 'lab-1', volume: 'lab-1-disk1.qcow2', blocked: false })]);
    expect(review.dataLoss[0]?.reason).toMatch(/^moved to kvm-b1: the volume on kvm-b2 is destroyed and an empty one created on kvm-b1/);
    expect(host(review, 'kvm-b2')).toMatchObject({ after: null, before: { cpu: { used: 2 } } });
    expect(review.resources.map((r) => `${r.action} ${r.address}`)).toEqual(
      expect.arrayContaining(['delete libvirt_network.kvm_b2_net_prod', 'delete libvirt_pool.kvm_b2_pool_local', 'delete libvirt_volume.kvm_b2_image_local_debian_12_qcow2']),
    );
  });

  it('renders Markdown with the marker, tables and a Mermaid diagram', async () => {
    const head = edit(
      BASE_FLEET,
      ['host: kvm-a1', 'host: kvm-a2'],
      ['guestType: pvh', 'guestType: hvm'],
      ['      - { size: 200GiB, pool: nfs, data: true }\n', ''],
    );
    const review = await ws.review(base, `${head}  - { name: new-1, vcpus: 2, memory: 4GiB, host: kvm-b1, disks: [{ size: 10GiB, pool: nfs, image: debian-12 }], networks: [prod] }\n`);
    const markdown = renderMarkdown(review);
    expect(markdown).toMatchSnapshot();
    expect(markdown).toContain(REVIEW_MARKER);
    expect(markdown.split('\n')[0]).toBe('**hyperplan review:** 1 created, 1 moved, 2 restarted, ⚠ 1 data volume at risk, 0 policy errors');
    const tokens: Token[] = [];
    void marked.walkTokens(marked.lexer(markdown), (token) => {
      tokens.push(token);
    });
    expect(tokens.some((t) => t.type === 'table')).toBe(true);
    const mermaid = tokens.find((t): t is Token & { type: 'code'; lang: string; text: string } => t.type === 'code' && (t as { lang?: string }).lang === 'mermaid');
    expect(mermaid?.text).toMatch(/^flowchart LR\n/);
    expect(mermaid?.text).toContain('classDef move');
    expect(mermaid?.text).toContain('vm_was ==>|offline|'.replace('vm_was', `vm${review.vms.findIndex((v) => v.vm === 'web-1')}_was`));
  });
});
