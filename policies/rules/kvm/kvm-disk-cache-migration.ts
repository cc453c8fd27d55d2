import type { Rule } from '../../rule';
import { findingsPer, migratable, NO_PARTS } from '../helpers';
import { SRC } from '../sources';

const MIGRATION_SAFE_CACHES: ReadonlySet<string> = new Set(['none', 'directsync']);

export const kvmDiskCacheMigration: Rule = {
  id: 'KVM-DISK-CACHE-MIGRATION',
  pack: 'kvm',
  severity: 'error',
  summary: 'Disks of migratable KVM VMs use cache=none or directsync',
  rationale:
    'On shared storage that is not a cluster filesystem only cache=none or directsync is migration-safe: other modes leave dirty ' +
    'pages in the source host\'s cache, and libvirt refuses them without --unsafe. Newer libvirt/QEMU (5.6/4.0) relax this, but the ' +
    'safe modes cost nothing on shared storage.',
  sources: [SRC.cloudstackCacheMigration, SRC.tpLibvirtCache],
  check: (ctx) =>
    findingsPer(migratable(ctx), (m) => (m.judged.effective.hypervisor === 'kvm' ? m.judged.effective.disks : NO_PARTS), ({ judged: j, pool }, d) =>
      MIGRATION_SAFE_CACHES.has(d.cache ?? 'default')
        ? undefined
        : {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} (migration pool ${pool.name}) uses cache=${d.cache ?? 'default'}, which is not migration-safe; set cache: none or directsync`,
          }),
};
