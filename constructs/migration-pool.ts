/**
 * A live-migration pool: hosts of one kind that share storage and a CPU baseline (the baseline is already
 * in every member VM's effective CPU). Emits the members, the planner's n+1/n+2 headroom and the
 * `virsh migrate` command operators run to move a VM between members.
 */
import { TerraformOutput } from './cdk-engine';
import { Construct } from 'constructs';
import type { Host, MigrationPool as MigrationPoolSpec, MigrationTransport } from '../fleet/model';
import { migrationTransport } from '../fleet/normalize';
import { migrateCommand } from '../planner/drain';
import type { PoolHeadroom } from '../planner/types';
import { checkProps, type PropCheck } from './prop-checks';
import { named } from './terraform-id';
import type { MIGRATION_POOL_OUTPUTS } from '../fleet/terraform-names';

export interface MigrationPoolProps {
  readonly pool: MigrationPoolSpec;
  /** The member hosts (all of `pool.hosts`): their URIs go into the migrate command. */
  readonly hosts: readonly Host[];
  /** The planner's headroom entry for this pool. @default - no headroom output */
  readonly headroom?: PoolHeadroom;
}

/**
 * Live migration that keeps the domain defined on the destination only, with the pool's transport flags.
 * Placeholders in angle brackets; a VM with disks outside shared storage also needs `--copy-storage-all`
 * (`hyperplan drain` adds it where it applies).
 */
export function virshMigrateTemplate(transport: MigrationTransport): string {
  return migrateCommand('<vm>', '<src-uri>', '<dst-uri>', { transport });
}

const CHECKS: readonly PropCheck<MigrationPoolProps>[] = [
  {
    fails: (p) => p.pool.hosts.some((name) => !p.hosts.some((h) => h.name === name)),
    message: (p) =>
      `migration pool '${p.pool.name}' lists hosts [${p.pool.hosts.filter((name) => !p.hosts.some((h) => h.name === name)).join(', ')}] ` +
      'that were not passed in hosts; pass every member host',
  },
  {
    fails: (p) => p.headroom !== undefined && p.headroom.name !== p.pool.name,
    message: (p) => `headroom entry '${p.headroom?.name}' was passed for migration pool '${p.pool.name}'; pass the placement's entry for this pool`,
  },
];

export class MigrationPool extends Construct {
  constructor(scope: Construct, id: string, props: MigrationPoolProps) {
    super(scope, id);
    checkProps(this.node.path, props, CHECKS);
    const { pool, headroom } = props;
    const members = pool.hosts.map((name) => props.hosts.find((h) => h.name === name)!);
    const output = (name: (typeof MIGRATION_POOL_OUTPUTS)[number], description: string, value: unknown): void => {
      named(new TerraformOutput(this, name, { value, description }), pool.name, name);
    };
    output('members', `Hosts of migration pool ${pool.name} and their libvirt URIs.`, Object.fromEntries(members.map((h) => [h.name, h.uri])));
    output('migrate_command', 'Live-migrate a VM between two members (fill in the placeholders).', virshMigrateTemplate(migrationTransport(pool)));
    if (headroom) {
      output('headroom', `Whether the pool can absorb the loss of its worst ${headroom.reserve === 'n+2' ? 'two hosts' : 'host'}.`, {
        reserve: headroom.reserve,
        satisfied: headroom.satisfied,
        worst_case: headroom.worstCase,
        spare_cpu: headroom.spare.cpu,
        spare_memory_mib: headroom.spare.memoryMiB,
      });
    }
  }
}
