import type { MigrationPool } from '../../../fleet/model';
import type { Rule } from '../../rule';
import { migratable, poolMembers, poolTarget } from '../helpers';
import { SRC } from '../sources';

/** Where a migration pool's guests get host-model: the pool baseline, or VMs that ask for it themselves. */
function hostModelUses(pools: readonly MigrationPool[], vms: ReturnType<typeof migratable>): { target: string; what: string; pool: MigrationPool }[] {
  const uses = pools.filter((p) => p.cpuModel === 'host-model').map((pool) => ({ target: poolTarget(pool.name), what: `migration pool ${pool.name}`, pool }));
  for (const { judged, pool } of vms) {
    // A VM inheriting the pool's host-model is covered by the pool's own finding.
    if (judged.vm.cpuMode === 'host-model' && pool.cpuModel !== 'host-model') uses.push({ target: judged.target, what: `VM ${judged.vm.name}`, pool });
  }
  return uses;
}

export const migHostModelMixed: Rule = {
  id: 'MIG-HOST-MODEL-MIXED',
  pack: 'migration',
  severity: 'warning',
  summary: 'host-model CPUs are not used in migration pools whose hosts have different CPU models',
  rationale:
    'With host-model libvirt expands the guest CPU from the host it starts on and, on migration, sends that full CPU definition to ' +
    'the destination, which must provide every feature of it (libvirt formatdomain "CPU model and topology"). A guest started on ' +
    'the newer generation of a mixed pool therefore cannot move to the older one; a named baseline model (the oldest generation ' +
    'of the pool) keeps every guest movable.',
  sources: [SRC.libvirtCpuModel, SRC.qemuCpuModels, SRC.ovirtClusters],
  check: (ctx) =>
    hostModelUses(ctx.fleet.migrationPools, migratable(ctx)).flatMap(({ target, what, pool }) => {
      const byModel = new Map<string, string[]>();
      for (const host of poolMembers(ctx, pool)) {
        if (host.cpuModel !== undefined) byModel.set(host.cpuModel, [...(byModel.get(host.cpuModel) ?? []), host.name]);
      }
      if (byModel.size < 2) return [];
      const detail = [...byModel].map(([model, hosts]) => `${model}: ${hosts.join(', ')}`).join('; ');
      return [{
        target,
        message:
          `${what} uses host-model across hosts with different CPU models (${detail}); a guest started on the newer CPU cannot migrate ` +
          'to the older one — set the pool\'s cpuModel to a named baseline model the oldest host provides (e.g. its own model name)',
      }];
    }),
};
