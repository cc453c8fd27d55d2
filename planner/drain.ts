/**
 * Draining a host: where each of its VMs goes when the host leaves the fleet (a new plan without it,
 * locked to the current plan, so no other VM moves), and whether each can live-migrate there.
 */
import type { Fleet, Host, MigrationTransport, Vm } from '../fleet/model';
import { migrationTransport } from '../fleet/normalize';
import type { Lock } from './lock';
import { isHostLocal } from '../fleet/guest-devices';
import { plan } from './plan';

export interface DrainStep {
  readonly vm: string;
  /** Target host; undefined when no host of the drained host's hypervisor can take the VM. */
  readonly to?: string;
  /** `virsh … migrate --live …` when the VM can live-migrate to its target. */
  readonly command?: string;
  /** Why the VM cannot live-migrate (or has no target); undefined when `command` is set. */
  readonly reason?: string;
}

/** A VM that only a host of the other hypervisor can take: not a migration, a new domain there. */
export interface DrainRebuild {
  readonly vm: string;
  readonly to: string;
  readonly reason: string;
}

export interface DrainPlan {
  readonly host: string;
  /** VMs that stay on the drained host's hypervisor: live-migrated, moved cold, or left without a target. */
  readonly steps: readonly DrainStep[];
  /** VMs that fit only on hosts of the other hypervisor; never offered as live-migration targets. */
  readonly rebuilds: readonly DrainRebuild[];
}

export type DrainResult = { readonly ok: true; readonly drain: DrainPlan } | { readonly ok: false; readonly problem: string };

/** How a VM can live-migrate between two hosts, or why it cannot. */
export type LiveMigration =
  | { readonly ok: true; readonly transport: MigrationTransport; readonly copyStorage: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Live migration needs one migration pool holding both hosts, the same hypervisor, no host-passthrough
 * CPU unless the pool's hosts share a CPU model (KVM-CPU-MODE), no passed-through PCI devices
 * (MIG-KVM-PASSTHROUGH, MIG-XEN-LIMITS), and every disk either on shared storage or copied with it:
 * `--copy-storage-all` mirrors local disks over NBD (libvirt src/qemu/qemu_migration.c creates the
 * volumes on the destination, qemuMigrationDstPrecreateDisk), which libvirt refuses for tunnelled
 * migration ("migration of non-shared storage is not supported with tunnelled migration", same file)
 * and which libxl does not offer at all (src/libxl/libxl_migration.h: no VIR_MIGRATE_NON_SHARED_DISK).
 * A LUN of a host-local SCSI or multipath pool cannot be created on the destination either, and the
 * read-only cloud-init seed is never copied (qemu_migration.c qemuMigrationAnyCopyDisk: "migrate only
 * non-shared non-readonly disks"), so a seed on a local pool is missing on the destination.
 */
export function liveMigration(fleet: Fleet, vm: Vm, source: Host, target: Host): LiveMigration {
  const blocked = (reason: string): LiveMigration => ({ ok: false, reason });
  if (source.hypervisor !== target.hypervisor) return blocked(`${source.name} runs ${source.hypervisor} and ${target.name} ${target.hypervisor}: no live migration between hypervisors`);
  const pool = fleet.migrationPools.find((p) => p.hosts.includes(source.name) && p.hosts.includes(target.name));
  if (!pool) return blocked(`${source.name} and ${target.name} share no migration pool`);
  if (vm.hostdevs.length > 0) return blocked(`passes through PCI devices (${vm.hostdevs.join(', ')})`);
  const passthrough = vm.cpuMode === 'host-passthrough' || (vm.cpuMode === undefined && pool.cpuModel === 'host-passthrough');
  if (passthrough) {
    const models = new Set(pool.hosts.map((name) => fleet.hosts.find((h) => h.name === name)?.cpuModel ?? 'unknown'));
    if (models.size > 1 || models.has('unknown')) return blocked(`host-passthrough CPU and the hosts of migration pool ${pool.name} differ in CPU model`);
  }
  const transport = migrationTransport(pool);
  const pools = new Map(fleet.pools.map((p) => [p.name, p]));
  const local = vm.disks.map((disk, index) => ({ disk, index })).filter(({ disk }) => isHostLocal(disk, (pool) => pools.get(pool)?.shared === true));
  if (local.length === 0) return { ok: true, transport, copyStorage: false };
  const listed = local.map(({ disk, index }) => `disk ${index} on ${disk.pool ?? disk.path}`).join(', ');
  if (source.hypervisor === 'xen') return blocked(`${listed} not on shared storage, and libxl cannot copy storage during migration; move the disks to shared storage or move the VM cold`);
  const lun = local.find(({ disk }) => disk.volume !== undefined);
  if (lun) return blocked(`disk ${lun.index} is LUN ${lun.disk.volume} of host-local pool ${lun.disk.pool}, which cannot be created on ${target.name} to copy into`);
  const hostPath = local.find(({ disk }) => disk.path !== undefined);
  if (hostPath) return blocked(`disk ${hostPath.index} is host path ${hostPath.disk.path}, outside any pool, which libvirt cannot create on ${target.name} to copy into`);
  const seedPool = vm.cloudInit === undefined ? undefined : vm.disks[0]?.pool;
  if (seedPool !== undefined && pools.get(seedPool)?.shared !== true) {
    return blocked(`its cloud-init seed is a read-only volume on local pool ${seedPool}, which --copy-storage-all does not copy, so ${target.name} would lack it; put the first disk on shared storage`);
  }
  if (transport === 'tunnelled') {
    return blocked(`${listed} not on shared storage, and libvirt cannot copy storage over a tunnelled migration; set transport: tls (or plain) on migration pool ${pool.name} to migrate with --copy-storage-all`);
  }
  return { ok: true, transport, copyStorage: true };
}

/** Why `vm` cannot live-migrate from `source` to `target`, or undefined when it can. */
export function liveMigrationBlocker(fleet: Fleet, vm: Vm, source: Host, target: Host): string | undefined {
  const live = liveMigration(fleet, vm, source, target);
  return live.ok ? undefined : live.reason;
}

/**
 * virsh flags per transport (virsh(1) `migrate`; libvirt docs/migration.rst): `--tls` encrypts QEMU's own
 * stream; `--tunnelled` carries it through the daemons' connection and needs `--p2p` (libvirt
 * src/libvirt-domain.c: "cannot perform tunnelled migration without using peer2peer flag"); `plain`
 * sends guest RAM unencrypted.
 */
export const MIGRATE_TRANSPORT_FLAGS: Readonly<Record<MigrationTransport, readonly string[]>> = {
  tls: ['--tls'],
  tunnelled: ['--p2p', '--tunnelled'],
  plain: [],
};

export interface MigrateOptions {
  readonly transport: MigrationTransport;
  /** Copy disks that are not on shared storage (`--copy-storage-all`). @default false */
  readonly copyStorage?: boolean;
}

/** The virsh command that live-migrates `vm`, keeping it defined on the destination only. */
export function migrateCommand(vm: string, sourceUri: string, targetUri: string, options: MigrateOptions): string {
  const flags = ['--live', '--persistent', '--undefinesource', ...MIGRATE_TRANSPORT_FLAGS[options.transport], ...(options.copyStorage ? ['--copy-storage-all'] : [])];
  return `virsh -c ${sourceUri} migrate ${flags.join(' ')} ${vm} ${targetUri}`;
}

function firstReason(reasons: Readonly<Record<string, string>>): string {
  const first = Object.entries(reasons)[0];
  return first ? ` (e.g. ${first[0]}: ${first[1]})` : '';
}

export function drain(fleet: Fleet, hostName: string, lock?: Lock): DrainResult {
  const source = fleet.hosts.find((h) => h.name === hostName);
  if (!source) return { ok: false, problem: `no host named ${hostName} in the fleet` };
  const current = plan(fleet, lock);
  const onHost = Object.keys(current.placements).filter((vm) => current.placements[vm] === hostName).sort();
  const draining = new Set(onHost);
  const hosts = fleet.hosts.filter((h) => h.name !== hostName);
  // First on the drained host's own hypervisor: the only hosts a live migration can reach.
  const sameKind: Fleet = {
    ...fleet,
    hosts,
    vms: fleet.vms.map((vm) => (draining.has(vm.name) && vm.hypervisor === 'auto' ? { ...vm, hypervisor: source.hypervisor } : vm)),
  };
  const live = plan(sameKind, { version: 1, placements: current.placements });
  // VMs that fit nowhere there but may run on the other hypervisor: a rebuild, never a live target.
  const anyKind = plan({ ...fleet, hosts }, { version: 1, placements: live.placements });
  const hostsByName = new Map(fleet.hosts.map((h) => [h.name, h]));
  const steps: DrainStep[] = [];
  const rebuilds: DrainRebuild[] = [];
  for (const name of onHost) {
    const vm = fleet.vms.find((v) => v.name === name)!;
    const to = live.placements[name];
    if (to === undefined) {
      const elsewhere = anyKind.placements[name];
      const kind = elsewhere === undefined ? undefined : hostsByName.get(elsewhere)?.hypervisor;
      if (elsewhere !== undefined && kind !== undefined && kind !== source.hypervisor) {
        rebuilds.push({
          vm: name,
          to: elsewhere,
          reason: `no ${source.hypervisor} host can take it; ${elsewhere} runs ${kind}, and there is no live migration between hypervisors: shut it down and create it there (its disks are copied or recreated, not migrated)`,
        });
        continue;
      }
      const reasons = live.unplaced.find((u) => u.vm === name)?.reasons ?? {};
      steps.push({ vm: name, reason: `no host can take it${firstReason(reasons)}` });
      continue;
    }
    const target = hostsByName.get(to)!;
    const migration = liveMigration(fleet, vm, source, target);
    steps.push(
      migration.ok
        ? { vm: name, to, command: migrateCommand(name, source.uri, target.uri, migration) }
        : { vm: name, to, reason: migration.reason },
    );
  }
  return { ok: true, drain: { host: hostName, steps, rebuilds } };
}
