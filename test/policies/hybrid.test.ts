import type { Vm } from '../../fleet/model';
import { fleet, kvmHost, nic, vm, xenHost } from './fixtures';
import { ruleTable } from './rule-table';

const HYBRID_HOSTS = [kvmHost('k1'), xenHost('x1')];
const hybrid = (...vms: Vm[]) => fleet({ hosts: HYBRID_HOSTS, vms });
const kvmOnly = (...vms: Vm[]) => fleet({ hosts: [kvmHost('k1')], vms });
const xenOnly = (...vms: Vm[]) => fleet({ hosts: [xenHost('x1')], vms });

ruleTable('hybrid', {
  'HYB-SENSITIVE-ON-KVM': {
    compliant: hybrid(vm('v', { host: 'x1', securityClass: 'sensitive' })),
    nonCompliant: hybrid(vm('v', { host: 'k1', securityClass: 'sensitive' }), vm('w', { hypervisor: 'kvm', securityClass: 'isolated' })),
    targets: ['vms[v]', 'vms[w]'],
    mentions: ['hypervisor: xen'],
    notApplicable: kvmOnly(vm('v', { host: 'k1', securityClass: 'sensitive' })),
  },
  'HYB-IO-HEAVY-ON-XEN': {
    compliant: hybrid(vm('v', { host: 'k1', workload: 'io-heavy' })),
    nonCompliant: hybrid(vm('v', { host: 'x1', workload: 'io-heavy' })),
    targets: ['vms[v]'],
    notApplicable: xenOnly(vm('v', { host: 'x1', workload: 'io-heavy' })),
  },
  // libvirt libxl_conf.c libxlMakeNic: no model (hyperplan's HVM default) or any model but netfront is VIF_IOEMU, emulated + PV.
  'HYB-NET-XEN-EMULATED': {
    compliant: hybrid(vm('v', { host: 'x1', guestType: 'hvm', workload: 'network-heavy', networks: [nic({ model: 'netfront' })] })),
    nonCompliant: hybrid(vm('v', { host: 'x1', guestType: 'hvm', workload: 'network-heavy' })),
    targets: ['vms[v]'],
    mentions: ['PV drivers', 'model: netfront'],
    notApplicable: hybrid(vm('v', { host: 'x1', guestType: 'hvm', networks: [nic({ model: 'e1000' })] })),
  },
  'HYB-NET-KVM-NO-MULTIQUEUE': {
    compliant: hybrid(vm('v', { host: 'k1', vcpus: 8, workload: 'network-heavy' })),
    nonCompliant: hybrid(vm('v', { host: 'k1', vcpus: 8, workload: 'network-heavy', networks: [nic({ queues: 1 })] })),
    targets: ['vms[v]'],
    mentions: ['queues: 8'],
    notApplicable: hybrid(vm('v', { host: 'k1', vcpus: 1, workload: 'network-heavy' })),
  },
});
