import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKS } from '../../policies/packs';
import { RULES } from '../../policies/registry';
import { PACK_NAMES, type Rule } from '../../policies/rule';

const RULES_DIR = fileURLToPath(new URL('../../policies/rules/', import.meta.url));

describe('rule packs', () => {
  it('pins the exact rule ids of every pack', () => {
    expect(PACKS).toEqual({
      xen: [
        'XEN-DOM0-BALLOON', 'XEN-DOM0-MEM-HIGH', 'XEN-DOM0-MEM-HVM', 'XEN-DOM0-MEM-LOW', 'XEN-DOM0-MEM-MIN', 'XEN-DOM0-MEM-UNDECLARED', 'XEN-DOM0-PIN',
        'XEN-DOM0-VCPUS', 'XEN-GUEST-PV-SENSITIVE', 'XEN-GUEST-PV', 'XEN-GUEST-TYPE-IMPLICIT', 'XEN-HVM-EMULATED-DEVICE',
        'XEN-MEM-OVERCOMMIT-NO-BALLOON', 'XEN-NUMA-STRICT', 'XEN-PV-DISK-BUS', 'XEN-PV-NIC-MODEL', 'XEN-PVH-BOOT', 'XEN-PVH-FIRMWARE', 'XEN-VIRTIO-DEVICE',
        'XEN-WINDOWS-NOT-HVM', 'XEN-GUEST-ARCH', 'XEN-NIC-TYPE', 'XEN-NETWORK-DISK', 'XEN-CDROM-NOT-HVM', 'XEN-HVM-POD', 'XEN-DISK-DEVICE', 'XEN-DISK-FORMAT', 'XEN-CLOCK', 'XEN-CONSOLE-PV',
      ],
      kvm: [
        'KVM-DISK-BUS', 'KVM-DISK-CACHE-MIGRATION', 'KVM-DISK-CACHE-RISKY', 'KVM-DISK-IO-NATIVE', 'KVM-HOST-RESERVE', 'KVM-KSM-SENSITIVE',
        'KVM-MACHINE-LEGACY', 'KVM-MEM-OVERCOMMIT-HIGH', 'KVM-MEM-OVERCOMMIT-NO-BALLOON', 'KVM-NIC-MODEL', 'KVM-RNG-MISSING', 'KVM-VIRTIO-BLK-LIMIT',
        'KVM-WINDOWS-HYPERV-PARTIAL', 'KVM-GUEST-ARCH', 'KVM-IDE-NO-CONTROLLER', 'KVM-CURRENT-MEMORY-NO-BALLOON', 'KVM-XEN-DISK-BUS', 'KVM-FLOPPY-NO-CONTROLLER',
      ],
      hybrid: ['HYB-IO-HEAVY-ON-XEN', 'HYB-NET-KVM-NO-MULTIQUEUE', 'HYB-NET-XEN-EMULATED', 'HYB-SENSITIVE-ON-KVM'],
      migration: [
        'MIG-HOST-MODEL-MIXED', 'MIG-HOST-PASSTHROUGH-MIXED', 'MIG-HOST-PASSTHROUGH', 'MIG-HOSTDEV', 'MIG-MEMORY-SKEW', 'MIG-MIXED-CPU-VENDOR', 'MIG-MIXED-HYPERVISOR',
        'MIG-NO-SHARED-STORAGE', 'MIG-RESERVE-NONE', 'MIG-RESERVE-SURVIVAL', 'MIG-RESERVE-UNSATISFIED', 'MIG-STORAGE-NOT-SHARED', 'MIG-VM-LOCAL-DISK',
      ],
      placement: ['PLC-ANTI-AFFINITY-ZONE', 'PLC-CPU-OVERCOMMIT', 'PLC-ISOLATED-SHARED-HOST', 'PLC-UNPLACED', 'PLC-VM-WIDER-THAN-HOST', 'PLC-ZONE-LOSS-ANTI-AFFINITY'],
      security: ['SEC-DATA-DISK-UNPROTECTED', 'SEC-GRAPHICS-OPEN', 'SEC-HOSTDEV-NO-IOMMU', 'SEC-INLINE-SECRET', 'SEC-SECRET-LOCAL-STATE', 'SEC-SECURE-BOOT', 'SEC-USERDATA-PASSWORD'],
    });
  });

  it('has at least 30 rules with unique ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('registry', () => {
  it('equals the rule files on disk: one rule per file, in the folder of its pack, file named after its id', async () => {
    const onDisk: { id: string; pack: string; file: string }[] = [];
    for (const pack of readdirSync(RULES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(`${RULES_DIR}${pack.name}`).filter((f) => f.endsWith('.ts'))) {
        const module = (await import(`${RULES_DIR}${pack.name}/${file}`)) as Record<string, unknown>;
        const rules = Object.values(module).filter((v): v is Rule => typeof v === 'object' && v !== null && 'check' in v);
        expect(rules, `${pack.name}/${file} must export exactly one rule`).toHaveLength(1);
        const rule = rules[0] as Rule;
        onDisk.push({ id: rule.id, pack: pack.name, file });
        expect(rule.pack).toBe(pack.name);
        expect(file).toBe(`${rule.id.toLowerCase()}.ts`);
        expect(RULES).toContain(rule);
      }
    }
    expect(onDisk.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(PACK_NAMES.every((p) => onDisk.some((r) => r.pack === p))).toBe(true);
  });

  it('gives every rule complete metadata with URL sources', () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/);
      expect(rule.summary.length, rule.id).toBeGreaterThan(10);
      expect(rule.rationale.length, rule.id).toBeGreaterThan(40);
      expect(rule.sources.length, rule.id).toBeGreaterThan(0);
      for (const source of rule.sources) expect(source, rule.id).toMatch(/^https?:\/\//);
    }
  });
});
