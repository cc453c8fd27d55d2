/**
 * A hybrid fleet in TypeScript: KVM hosts for general work in a live-migration pool, a Xen host for
 * sensitive work, synthesized by `npx cdktf synth` (or `npx cdktn synth`) into cdktf.out/stacks/site-a.
 */
import { App, Aspects } from 'cdktf';
import { Fleet, HyperplanChecks } from 'hyperplan';

const app = new App();
const fleet = new Fleet(app, 'site-a', {
  defaults: {
    kvm: { overcommit: { cpu: 4, memory: 1.0 }, reserved: { memory: '8GiB', cpus: 2 } },
    placement: { strategy: 'spread' },
  },
  networks: [{ name: 'prod', mode: 'bridge', bridge: 'br0' }],
  pools: [
    { name: 'images', type: 'dir', path: '/var/lib/libvirt/images' },
    { name: 'nfs-images', type: 'netfs', source: 'nfs1:/export/images', path: '/var/lib/libvirt/nfs' },
  ],
});

for (const name of ['kvm-a1', 'kvm-a2']) {
  fleet.addHost({
    name, hypervisor: 'kvm', uri: `qemu+ssh://root@${name}/system`, cpus: 64, memory: '512GiB',
    cpuModel: 'EPYC-Milan', zone: 'rack-a', labels: { securityClass: 'general' }, ksm: false,
  });
}
fleet.addHost({
  name: 'xen-s1', hypervisor: 'xen', uri: 'xen+ssh://root@xen-s1/system', cpus: 32, memory: '256GiB',
  zone: 'rack-b', labels: { securityClass: 'sensitive' }, dom0: { memory: '8GiB', vcpus: 4, pin: true, balloon: false },
});
fleet.addMigrationPool({ name: 'kvm-pool-a', hypervisor: 'kvm', hosts: ['kvm-a1', 'kvm-a2'], sharedStorage: 'nfs-images', reserve: 'n+1' });

for (const name of ['web-1', 'web-2']) {
  fleet.addVm({
    name, vcpus: 4, memory: '8GiB', disks: [{ size: '40GiB', pool: 'nfs-images' }], networks: ['prod'],
    softAntiAffinity: 'web', migrationPool: 'kvm-pool-a',
  });
}
fleet.addVm({
  name: 'vault-1', vcpus: 2, memory: '4GiB', hypervisor: 'xen', guestType: 'hvm', firmware: 'uefi', secureBoot: true, securityClass: 'sensitive',
  disks: [{ size: '20GiB', pool: 'images', bus: 'xen' }], networks: ['prod'],
});

Aspects.of(app).add(new HyperplanChecks({ packs: ['kvm', 'xen', 'hybrid', 'migration', 'placement', 'security'] }));
app.synth();
