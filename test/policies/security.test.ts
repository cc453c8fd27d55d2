import { describe, expect, it } from 'vitest';
import { secSecretLocalState } from '../../policies/rules/security/sec-secret-local-state';
import { disk, envSecret, fleet, inlineSecret, kvmHost, run, vm, xenHost } from './fixtures';
import { ruleTable } from './rule-table';

const HOSTS = [kvmHost('k1'), xenHost('x1')];

ruleTable('security', {
  'SEC-GRAPHICS-OPEN': {
    compliant: fleet({ vms: [vm('v', { graphics: { type: 'vnc', listen: '0.0.0.0', password: envSecret('s3cret') } })] }),
    nonCompliant: fleet({ vms: [vm('v', { graphics: { type: 'spice', listen: '::' } })] }),
    targets: ['vms[v].graphics'],
    mentions: ['spice', '::'],
    notApplicable: fleet({ vms: [vm('v', { graphics: { type: 'vnc', listen: '127.0.0.1' } })] }),
  },
  'SEC-INLINE-SECRET': {
    compliant: fleet({ vms: [vm('v', { cloudInit: { sshKeys: [], password: envSecret('pw') } })] }),
    nonCompliant: fleet({
      vms: [vm('v', { cloudInit: { sshKeys: [], password: inlineSecret('hunter2') }, graphics: { type: 'vnc', listen: '127.0.0.1', password: inlineSecret('x') } })],
    }),
    targets: ['vms[v].cloudInit.password', 'vms[v].graphics.password'],
    notApplicable: fleet({ vms: [vm('v', { cloudInit: { sshKeys: ['ssh-ed25519 AAAA ops'] } })] }),
  },
  'SEC-SECRET-LOCAL-STATE': {
    compliant: fleet({
      hosts: HOSTS,
      vms: [vm('v', { host: 'k1', cloudInit: { sshKeys: [], password: envSecret('pw') } })],
      stacks: [{ name: 'site', hosts: ['k1', 'x1'], backend: { type: 's3', config: { bucket: 'tf', key: 'site', encrypt: true } } }],
    }),
    nonCompliant: fleet({
      hosts: [...HOSTS, kvmHost('k2')],
      vms: [
        vm('v', { host: 'k1', cloudInit: { sshKeys: [], password: envSecret('pw') } }),
        vm('w', { host: 'x1', graphics: { type: 'vnc', listen: '127.0.0.1', password: envSecret('vnc') } }),
        vm('u', { host: 'k2', cloudInit: { sshKeys: [], password: envSecret('pw') } }),
      ],
      // k1 and x1 in a declared local stack; k2 in a remote one.
      stacks: [
        { name: 'site', hosts: ['k1', 'x1'], backend: { type: 'local', config: { path: 'state/site.tfstate' } } },
        { name: 'remote', hosts: ['k2'], backend: { type: 'pg', config: {} } },
      ],
    }),
    targets: ['stacks[site]'],
    mentions: ['state/site.tfstate', 'v, w'],
    notApplicable: fleet({ hosts: HOSTS, vms: [vm('v', { host: 'k1', cloudInit: { sshKeys: ['ssh-ed25519 AAAA ops'] } })] }),
  },
  'SEC-USERDATA-PASSWORD': {
    compliant: fleet({ vms: [vm('v', { cloudInit: { sshKeys: [], userData: '#cloud-config\npackages: [nginx]\n' } })] }),
    nonCompliant: fleet({
      vms: [
        vm('v', { cloudInit: { sshKeys: [], userData: '#cloud-config\npassword: hunter2\n' } }),
        vm('w', { cloudInit: { sshKeys: [], userData: '#cloud-config\nchpasswd:\n  expire: false\n' } }),
      ],
    }),
    targets: ['vms[v].cloudInit.userData', 'vms[w].cloudInit.userData'],
    notApplicable: fleet({ vms: [vm('v')] }),
  },
  // PVH has no firmware (xl.cfg(5)), so no Secure Boot: a sensitive PVH guest complies only with a Dom0-held kernel.
  'SEC-SECURE-BOOT': {
    compliant: fleet({
      hosts: HOSTS,
      vms: [
        vm('v', { host: 'k1', securityClass: 'sensitive', firmware: 'uefi', secureBoot: true }),
        vm('p', { host: 'x1', guestType: 'pvh', securityClass: 'sensitive', kernel: '/boot/guest/vmlinuz', initrd: '/boot/guest/initrd' }),
      ],
    }),
    nonCompliant: fleet({
      hosts: HOSTS,
      vms: [
        vm('v', { host: 'k1', securityClass: 'sensitive' }),
        vm('w', { host: 'x1', guestType: 'hvm', securityClass: 'isolated' }),
        vm('p', { host: 'x1', guestType: 'pvh', securityClass: 'sensitive' }),
      ],
    }),
    targets: ['vms[v]', 'vms[w]', 'vms[p]'],
    mentions: ['bios'],
    notApplicable: fleet({ hosts: HOSTS, vms: [vm('p', { host: 'x1', guestType: 'pvh', securityClass: 'sensitive', firmware: 'uefi', secureBoot: true }), vm('g', { host: 'k1' })] }),
  },
  'SEC-DATA-DISK-UNPROTECTED': {
    compliant: fleet({ vms: [vm('v', { disks: [disk(), disk({ data: true })] })] }),
    nonCompliant: fleet({ vms: [vm('v', { disks: [disk(), disk({ data: true, preventDestroy: false })] })] }),
    targets: ['vms[v].disks[1]'],
    notApplicable: fleet({ vms: [vm('v', { disks: [disk({ preventDestroy: false })] })] }),
  },
  'SEC-HOSTDEV-NO-IOMMU': {
    compliant: fleet({ hosts: [kvmHost('k1', { iommu: true })], vms: [vm('v', { host: 'k1', hostdevs: ['0000:3b:00.0'] })] }),
    nonCompliant: fleet({ hosts: [kvmHost('k1', { iommu: false })], vms: [vm('v', { host: 'k1', hostdevs: ['0000:3b:00.0'] })] }),
    targets: ['vms[v]'],
    mentions: ['iommu: false'],
    notApplicable: fleet({ hosts: [kvmHost('k1', { iommu: false })], vms: [vm('v', { host: 'k1' })] }),
  },
});

describe('SEC-SECRET-LOCAL-STATE without declared stacks', () => {
  it('warns per default stack (one per hypervisor kind, local terraform.<kind>.tfstate) that holds a password', () => {
    const f = fleet({
      hosts: HOSTS,
      vms: [vm('v', { host: 'k1', cloudInit: { sshKeys: [], password: envSecret('pw') } }), vm('w', { host: 'x1' })],
    });
    expect(run(secSecretLocalState, f)).toEqual([
      {
        target: 'stacks[kvm]',
        message:
          'stack kvm keeps its state in the local file terraform.kvm.tfstate, which will hold the passwords of v in plain text; ' +
          'declare it under stacks with an encrypted remote backend (backend: { type: s3, encrypt: true, … } or { type: pg, … })',
      },
    ]);
  });
});
