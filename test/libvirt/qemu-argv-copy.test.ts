import { describe, expect, it } from 'vitest';
import { qemuArgvCopy } from '../../libvirt/qemu-argv-copy';

describe('qemuArgvCopy', () => {
  it('drops automatic NUMA placement, which needs numad on the host, and says so', () => {
    // libvirt asks numad for placement='auto' when it builds the command line: without it domxml-to-native
    // fails with "Advice from numad is needed in case of automatic numa placement" (seen with libvirt 9).
    const xml = [
      "<domain type='kvm'>",
      '  <name>db</name>',
      "  <memory unit='MiB'>1024</memory>",
      "  <vcpu placement='auto'>4</vcpu>",
      "  <numatune><memory mode='strict' placement='auto'/></numatune>",
      '</domain>',
    ].join('\n');
    const copy = qemuArgvCopy(xml, { kvmUsable: true, volumePath: (pool, volume) => `/${pool}/${volume}` })!;
    expect(copy.xml).not.toContain('numatune');
    expect(copy.xml).toContain('<vcpu>4</vcpu>');
    expect(copy.changes).toEqual([
      "removed <vcpu placement='auto'> (line 4): automatic placement needs numad on the host",
      'removed <numatune> (line 5): automatic placement needs numad on the host',
    ]);
  });

  it('drops hugepage backing, which needs hugetlbfs mounted, and keeps the rest of memoryBacking', () => {
    // libvirt qemu driver: "hugetlbfs filesystem is not mounted or disabled by administrator config" (libvirt 9).
    const xml = "<domain type='kvm'>\n  <memoryBacking>\n    <hugepages><page size='2048' unit='KiB'/></hugepages>\n    <nosharepages/>\n  </memoryBacking>\n</domain>";
    const copy = qemuArgvCopy(xml, { kvmUsable: true, volumePath: () => '' })!;
    expect(copy.xml).not.toContain('hugepages');
    expect(copy.xml).toContain('<nosharepages/>');
    expect(copy.changes).toEqual(['removed <hugepages> (line 3): guest memory from hugetlbfs, which is not mounted here']);
  });
});
