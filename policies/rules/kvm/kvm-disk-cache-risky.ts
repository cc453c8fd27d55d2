import type { Rule } from '../../rule';
import { disksOf, findingsPer, judgedOn } from '../helpers';
import { SRC } from '../sources';

const RISKY_CACHES: ReadonlySet<string> = new Set(['unsafe', 'writeback']);

export const kvmDiskCacheRisky: Rule = {
  id: 'KVM-DISK-CACHE-RISKY',
  pack: 'kvm',
  severity: 'warning',
  summary: 'KVM disks avoid cache=unsafe and cache=writeback',
  rationale:
    'cache=unsafe ignores guest flushes and writeback keeps data in the host page cache: a host crash loses acknowledged writes, ' +
    'and io=native silently falls back to threads. VMs in migration pools are held to the stricter KVM-DISK-CACHE-MIGRATION instead.',
  sources: [SRC.cloudstackCacheMigration, SRC.rhelTuning],
  check: (ctx) =>
    findingsPer(judgedOn(ctx, 'kvm'), disksOf, (j, d) =>
      j.vm.migrationPool === undefined && d.cache !== undefined && RISKY_CACHES.has(d.cache)
        ? {
            target: `${j.target}.disks[${d.index}]`,
            message: `disk ${d.index} of ${j.vm.name} uses cache=${d.cache}, which can lose acknowledged writes on a host crash; set cache: none (or writethrough)`,
          }
        : undefined),
};
