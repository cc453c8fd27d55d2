/** The pure diff on hand-made cdk.tf.json and `terraform show -json` fixtures. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown, GITHUB_COMMENT_LIMIT, REVIEW_MARKER } from '../../review/markdown';
import { diffResources } from '../../review/resource-diff';
import { buildReview } from '../../review/review';
import { indexSynth, type JsonObject } from '../../review/terraform-json';
import { planReview } from '../../review/terraform-plan';
import type { Review, VmChange } from '../../review/types';

const PROVIDERS = { libvirt: [{ alias: 'h1', uri: 'qemu+ssh://root@h1/system' }, { alias: 'h2', uri: 'qemu+ssh://root@h2/system' }] };

function domain(host: string, vm: string, extra: JsonObject = {}): JsonObject {
  return {
    name: vm,
    type: 'kvm',
    memory: 4096,
    vcpu: 2,
    running: true,
    provider: `libvirt.${host}`,
    devices: {
      disks: [
        { source: { volume: { pool: `\${libvirt_volume.${host}_${vm}_disk0.pool}`, volume: `\${libvirt_volume.${host}_${vm}_disk0.name}` } } },
        { source: { volume: { pool: `\${libvirt_volume.${host}_${vm}_disk1.pool}`, volume: `\${libvirt_volume.${host}_${vm}_disk1.name}` } } },
        { source: { volume: { pool: `\${libvirt_volume.${host}_${vm}_cloudinit_volume.pool}`, volume: `\${libvirt_volume.${host}_${vm}_cloudinit_volume.name}` } } },
      ],
    },
    ...extra,
  };
}

function vmResources(host: string, vm: string, options: { userData?: string; dataCapacity?: number; domain?: JsonObject } = {}): Record<string, Record<string, JsonObject>> {
  return {
    libvirt_domain: { [`${host}_${vm}`]: domain(host, vm, options.domain) },
    libvirt_volume: {
      [`${host}_${vm}_disk0`]: { name: `${vm}-disk0.qcow2`, pool: 'images', capacity: 21474836480, backing_store: { path: '${libvirt_volume.base.path}' }, provider: `libvirt.${host}` },
      [`${host}_${vm}_disk1`]: { name: `${vm}-disk1.qcow2`, pool: 'images', capacity: options.dataCapacity ?? 107374182400, provider: `libvirt.${host}`, lifecycle: { prevent_destroy: true } },
      [`${host}_${vm}_cloudinit_volume`]: { name: `${vm}-cloudinit.iso`, pool: 'images', create: { content: { url: `\${libvirt_cloudinit_disk.${host}_${vm}_cloudinit.path}` } }, provider: `libvirt.${host}` },
    },
    libvirt_cloudinit_disk: { [`${host}_${vm}_cloudinit`]: { name: `${vm}-cloudinit`, user_data: options.userData ?? '#cloud-config\n', meta_data: 'x', provider: `libvirt.${host}` } },
  };
}

function merge(...parts: Record<string, Record<string, JsonObject>>[]): Record<string, Record<string, JsonObject>> {
  const out: Record<string, Record<string, JsonObject>> = {};
  for (const part of parts) for (const [type, byName] of Object.entries(part)) out[type] = { ...out[type], ...byName };
  return out;
}

function stack(resources: Record<string, Record<string, JsonObject>>): ReturnType<typeof indexSynth> {
  return indexSynth([{ name: 'site', document: { provider: PROVIDERS, resource: resources } }]);
}

function vm(review: Review, name: string): VmChange {
  const found = review.vms.find((v) => v.vm === name);
  if (!found) throw new Error(`no change for ${name}`);
  return found;
}

describe('synth diff on fixtures', () => {
  it('finds owned volumes through references and leaves unchanged VMs out', () => {
    const base = stack(merge(vmResources('h1', 'a'), vmResources('h1', 'b')));
    const head = stack(merge(vmResources('h1', 'a'), vmResources('h1', 'b', { domain: { vcpu: 4 } })));
    expect(base.resources.get('site/libvirt_domain.h1_a')?.references).toEqual([
      'site/libvirt_volume.h1_a_cloudinit_volume',
      'site/libvirt_volume.h1_a_disk0',
      'site/libvirt_volume.h1_a_disk1',
    ]);
    const review = buildReview({ base: { index: base }, head: { index: head } });
    expect(review.vms.map((v) => [v.vm, v.change])).toEqual([['b', 'restart']]);
    expect(review.source).toBe('synth');
  });

  it('propagates a replaced cloud-init disk to the seed volume that uploads it', () => {
    const base = stack(vmResources('h1', 'a'));
    const head = stack(vmResources('h1', 'a', { userData: '#cloud-config\npackages: [nginx]\n' }));
    const changes = diffResources(base, head);
    expect(changes.map((c) => [c.address, c.effect])).toEqual([
      ['libvirt_cloudinit_disk.h1_a_cloudinit', 'replace'],
      ['libvirt_volume.h1_a_cloudinit_volume', 'unsupported'],
    ]);
    expect(changes[1]?.attributes[0]).toMatchObject({ path: 'create.content.url', via: 'libvirt_cloudinit_disk.h1_a_cloudinit' });
    const review = buildReview({ base: { index: base }, head: { index: head } });
    expect(vm(review, 'a').change).toBe('update');
    expect(review.dataLoss).toEqual([]);
  });

  it('a data volume the provider cannot resize is blocked, not lost', () => {
    const review = buildReview({ base: { index: stack(vmResources('h1', 'a')) }, head: { index: stack(vmResources('h1', 'a', { dataCapacity: 214748364800 })) } });
    expect(vm(review, 'a').reasons[0]).toMatch(/^data disk a-disk1\.qcow2: capacity: 100 GiB → 200 GiB \(unsupported: provider 0\.9\.7 cannot update volumes/);
    expect(review.dataLoss).toEqual([expect.objectContaining({ vm: 'a', volume: 'a-disk1.qcow2', blocked: true })]);
  });

  it('a new provider on the same address warns that the old domain is orphaned', () => {
    const base = stack({ libvirt_domain: { vm_a: domain('h1', 'a', { devices: {} }) } });
    const head = stack({ libvirt_domain: { vm_a: domain('h2', 'a', { devices: {} }) } });
    const review = buildReview({ base: { index: base }, head: { index: head } });
    expect(vm(review, 'a')).toMatchObject({ change: 'move', from: 'h1', to: 'h2', migration: 'offline' });
    expect(vm(review, 'a').reasons).toContainEqual(expect.stringMatching(/forgets the old one without destroying it/));
  });

  it('a destroyed VM loses its data volume even with prevent_destroy (the block goes with it)', () => {
    const review = buildReview({ base: { index: stack(merge(vmResources('h1', 'a'), vmResources('h1', 'b'))) }, head: { index: stack(vmResources('h1', 'a')) } });
    expect(vm(review, 'b')).toMatchObject({ change: 'destroy', host: 'h1' });
    expect(review.dataLoss).toEqual([expect.objectContaining({ vm: 'b', volume: 'b-disk1.qcow2', blocked: false })]);
  });
});

/** A `terraform show -json` plan: memory resize, a replaced domain, a removed data disk, a new VM. */
const PLAN: JsonObject = {
  format_version: '1.2',
  configuration: {
    provider_config: {
      'libvirt.h1': { name: 'libvirt', alias: 'h1', expressions: { uri: { constant_value: 'qemu+ssh://root@h1/system' } } },
    },
    root_module: {
      resources: [
        { address: 'libvirt_domain.h1_web', provider_config_key: 'libvirt.h1' },
        { address: 'libvirt_domain.h1_db', provider_config_key: 'libvirt.h1' },
        { address: 'libvirt_domain.h1_new', provider_config_key: 'libvirt.h1' },
      ],
    },
  },
  resource_changes: [
    {
      address: 'libvirt_domain.h1_web', mode: 'managed', type: 'libvirt_domain', name: 'h1_web',
      change: { actions: ['update'], before: { name: 'web', type: 'kvm', memory: 4096, running: true, id: 1, uuid: 'u1' }, after: { name: 'web', type: 'kvm', memory: 8192, running: true }, after_unknown: { id: true, uuid: true } },
    },
    {
      address: 'libvirt_domain.h1_db', mode: 'managed', type: 'libvirt_domain', name: 'h1_db',
      change: {
        actions: ['delete', 'create'],
        before: { name: 'db', type: 'kvm', memory: 4096, running: true, devices: { disks: [{ source: { volume: { pool: 'images', volume: 'db-disk0.qcow2' } } }, { source: { volume: { pool: 'images', volume: 'db-disk1.qcow2' } } }] } },
        after: { name: 'db', type: 'xen', memory: 4096, running: true, devices: { disks: [{ source: { volume: { pool: 'images', volume: 'db-disk0.qcow2' } } }] } },
        after_unknown: {},
        replace_paths: [['type']],
      },
    },
    {
      address: 'libvirt_volume.h1_db_disk1', mode: 'managed', type: 'libvirt_volume', name: 'h1_db_disk1',
      change: { actions: ['delete'], before: { name: 'db-disk1.qcow2', pool: 'images', capacity: 107374182400, key: 'k' }, after: null },
    },
    {
      address: 'libvirt_volume.h1_db_disk0', mode: 'managed', type: 'libvirt_volume', name: 'h1_db_disk0',
      change: { actions: ['no-op'], before: { name: 'db-disk0.qcow2', pool: 'images', capacity: 1 }, after: { name: 'db-disk0.qcow2', pool: 'images', capacity: 1 } },
    },
    {
      address: 'libvirt_domain.h1_new', mode: 'managed', type: 'libvirt_domain', name: 'h1_new',
      change: { actions: ['create'], before: null, after: { name: 'new', type: 'kvm', memory: 1024, running: true }, after_unknown: { id: true } },
    },
  ],
};

describe('--plan on a terraform show -json fixture', () => {
  it('takes Terraform\'s own actions', () => {
    const planned = planReview([{ stack: 'plan', document: PLAN }]);
    const review = buildReview({ base: { index: planned.base }, head: { index: planned.head }, planChanges: planned.changes });
    expect(review.source).toBe('plan');
    expect(review.vms.map((v) => [v.vm, v.change, v.host])).toEqual([
      ['db', 'replace', 'h1'],
      ['new', 'create', 'h1'],
      ['web', 'restart', 'h1'],
    ]);
    expect(vm(review, 'web').reasons[0]).toBe('memory: 4096 → 8192 (restart: boot-time memory size)');
    expect(vm(review, 'db').reasons).toContainEqual(expect.stringMatching(/^type: kvm → xen \(replace: Terraform plans a replacement for it/));
    expect(review.dataLoss).toEqual([
      expect.objectContaining({ vm: 'db', volume: 'db-disk1.qcow2', address: 'libvirt_volume.h1_db_disk1', blocked: false }),
    ]);
  });
});

describe('Markdown size cap', () => {
  it('summarizes a review too large for one GitHub comment', () => {
    const vms: VmChange[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const host = `host-${String(i % 1000).padStart(4, '0')}`;
      vms.push({ vm: `vm-${String(i).padStart(5, '0')}`, change: i % 3 === 0 ? 'move' : 'restart', ...(i % 3 === 0 ? { from: 'host-old', to: host, migration: 'offline' as const } : {}), restarts: true, host, reasons: ['memory: 4096 → 8192 (restart: boot-time memory size)'] });
    }
    const review: Review = {
      vms,
      dataLoss: Array.from({ length: 500 }, (_, i) => ({ vm: `vm-${i}`, volume: `vm-${i}-disk1.qcow2`, reason: 'removed', address: `libvirt_volume.x_${i}`, blocked: false })),
      hosts: Array.from({ length: 1000 }, (_, i) => ({
        name: `host-${String(i).padStart(4, '0')}`,
        before: { cpu: { used: 10, capacity: 100 }, memoryMiB: { used: 1024, capacity: 8192 } },
        after: { cpu: { used: 20, capacity: 100 }, memoryMiB: { used: 2048, capacity: 8192 } },
      })),
      pools: [],
      findings: { new: [], resolved: [], suppressed: [] },
      resources: [],
      source: 'synth',
      notes: [],
    };
    const markdown = renderMarkdown(review);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain('This review was summarized to fit GitHub\'s comment limit');
    expect(markdown).toContain('VM changes per host (20000 VMs on 1000 hosts)');
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).toContain('vm-0-disk1.qcow2');
    expect(markdown.trimEnd().endsWith(REVIEW_MARKER)).toBe(true);
  });
});
