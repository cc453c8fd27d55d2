import { disk, envSecret, fleet, inlineSecret, kvmHost, vm, xenHost } from './fixtures';
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
