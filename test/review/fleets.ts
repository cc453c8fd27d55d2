/** Fleet fixtures for the review scenarios: one base fleet, and helpers to synthesize a pair. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeSide, type SynthesizedSide } from '../../pipeline/review';
import { buildReview } from '../../review/review';
import type { Review } from '../../review/types';

/**
 * Two KVM migration pools on shared NFS storage, one Xen host. Every VM is pinned so placement (and so
 * the expected diff) does not depend on the planner's weighing.
 */
export const BASE_FLEET = `apiVersion: hyperplan/v1
defaults:
  kvm: { overcommit: { cpu: 4, memory: 1.0 }, reserved: { memory: 4GiB, cpus: 2 } }
  xen: { overcommit: { cpu: 4, memory: 1.0 } }
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: qemu+ssh://root@kvm-a1/system, cpus: 32, memory: 128GiB }
  - { name: kvm-a2, hypervisor: kvm, uri: qemu+ssh://root@kvm-a2/system, cpus: 32, memory: 128GiB }
  - { name: kvm-b1, hypervisor: kvm, uri: qemu+ssh://root@kvm-b1/system, cpus: 32, memory: 128GiB }
  - { name: kvm-b2, hypervisor: kvm, uri: qemu+ssh://root@kvm-b2/system, cpus: 32, memory: 128GiB }
  - name: xen-1
    hypervisor: xen
    uri: xen+ssh://root@xen-1/system
    cpus: 32
    memory: 128GiB
    labels: { securityClass: sensitive }
    dom0: { memory: 8GiB, vcpus: 4, pin: true, balloon: false }
migrationPools:
  - { name: pool-a, hypervisor: kvm, hosts: [kvm-a1, kvm-a2], sharedStorage: nfs, reserve: none }
  - { name: pool-b, hypervisor: kvm, hosts: [kvm-b1, kvm-b2], sharedStorage: nfs, reserve: none }
networks:
  - { name: prod, mode: bridge, bridge: br0 }
pools:
  - { name: local, type: dir, path: /var/lib/libvirt/images }
  - { name: nfs, type: netfs, source: "nfs1:/export/vms", path: /var/lib/libvirt/nfs }
images:
  - { name: debian-12, source: /var/lib/libvirt/images/debian-12.qcow2, format: qcow2, pool: nfs }
vms:
  - name: web-1
    vcpus: 4
    memory: 8GiB
    host: kvm-a1
    migrationPool: pool-a
    disks: [{ size: 20GiB, pool: nfs, image: debian-12 }]
    networks: [prod]
  - name: db-1
    vcpus: 8
    memory: 16GiB
    host: kvm-a2
    migrationPool: pool-a
    disks:
      - { size: 20GiB, pool: nfs, image: debian-12 }
      - { size: 200GiB, pool: nfs, data: true }
    networks: [prod]
  - name: app-1
    vcpus: 4
    memory: 8GiB
    host: kvm-b1
    migrationPool: pool-b
    disks: [{ size: 20GiB, pool: nfs, image: debian-12 }]
    networks: [prod]
  - name: lab-1
    vcpus: 2
    memory: 4GiB
    host: kvm-b2
    disks:
      - { size: 20GiB, pool: local, image: debian-12 }
      - { size: 50GiB, pool: local, data: true, preventDestroy: false }
    networks: [prod]
  - name: vault-1
    vcpus: 2
    memory: 4GiB
    hypervisor: xen
    guestType: pvh
    securityClass: sensitive
    host: xen-1
    disks: [{ size: 20GiB, pool: local, image: debian-12 }]
    networks: [prod]
`;

/** `BASE_FLEET` with each `[from, to]` replaced once; throws when `from` is missing, so fixtures cannot rot. */
export function edit(text: string, ...replacements: readonly (readonly [string, string])[]): string {
  let result = text;
  for (const [from, to] of replacements) {
    if (!result.includes(from)) throw new Error(`fixture edit: '${from}' not found`);
    result = result.replace(from, to);
  }
  return result;
}

export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'hyperplan-review-test-'));
  #count = 0;

  /** Writes `yaml` as fleet.yaml in a fresh directory and synthesizes it. */
  async side(label: string, yaml: string): Promise<SynthesizedSide> {
    const dir = join(this.dir, `side-${(this.#count += 1)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fleet.yaml'), yaml);
    return synthesizeSide(label, join(dir, 'fleet.yaml'), { env: {} }, join(dir, 'cdktf.out'));
  }

  async review(base: SynthesizedSide, headYaml: string): Promise<Review> {
    const head = await this.side('head', headYaml);
    return buildReview({ base, head, notes: [...base.notes, ...head.notes] });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
