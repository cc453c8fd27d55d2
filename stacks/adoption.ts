/**
 * Adoption (`synth --adopt`): Terraform `import` blocks for what exists already, so the first
 * `terraform plan` after `hyperplan import --from` takes the domains, networks and pools into state
 * instead of creating them. CDKTF renders them from `TerraformResource.importFrom(id, provider)`.
 *
 * The import ID each resource of the dmacvicar/libvirt provider v0.9.7 expects (internal/provider/*.go):
 * - libvirt_domain: the domain's UUID (`ImportStatePassthroughID(ctx, path.Root("uuid"), …)`, Read looks
 *   the domain up by UUID);
 * - libvirt_network and libvirt_pool: the UUID, passed through as `id` (Read: `LookupNetworkByUUID(id)`,
 *   `LookupPoolByUUID(id)`).
 * libvirt_volume is not imported: disks on existing volumes create no volume resource (`volume:`), and
 * v0.9.7's volume import sets `id` while Read looks the volume up by `key`, so an imported volume would be
 * dropped from state (volume_resource.go, ImportState and Read).
 * The UUIDs come from the lock file's `uuids`, written by `hyperplan import --from`.
 *
 * So that the first plan changes nothing, each construct's `adopt` renders what the provider reads back
 * after import (a domain: constructs/domain-read-back.ts) and ignores the changes of what it cannot read
 * back (a network's and a pool's nested attributes, a running NIC's tap device name).
 */
import type { IConstruct } from 'constructs';
import { LibvirtHost } from '../constructs/host-provider';
import { GuestNetwork } from '../constructs/guest-network';
import { StoragePool } from '../constructs/storage-pool';
import { VirtualMachine } from '../constructs/virtual-machine';
import { lockObjectKey } from '../planner/lock';

/** What `adoptExisting` attached an import block to. */
export interface AdoptedObject {
  readonly kind: 'domain' | 'network' | 'pool';
  readonly name: string;
  readonly host: string;
  readonly uuid: string;
  /**
   * Attributes whose changes the resource ignores (`lifecycle.ignore_changes`) because provider v0.9.7
   * does not read them after import or libvirt names them at run time (the constructs' `adopt` say why).
   */
  readonly ignoredChanges: readonly string[];
}

function hostOf(construct: IConstruct): LibvirtHost | undefined {
  for (let scope = construct.node.scope; scope; scope = scope.node.scope) if (scope instanceof LibvirtHost) return scope;
  return undefined;
}

/** Adds an import block to every domain, network and pool under `root` whose UUID `uuids` has. */
export function adoptExisting(root: IConstruct, uuids: Readonly<Record<string, string>>): AdoptedObject[] {
  const adopted: AdoptedObject[] = [];
  for (const construct of root.node.findAll()) {
    const host = hostOf(construct);
    if (!host) continue;
    if (construct instanceof VirtualMachine) {
      // The stacks name each VM's construct `vm-<name>` (fleet-stack.ts).
      const name = construct.node.id.replace(/^vm-/, '');
      const uuid = uuids[name];
      if (uuid === undefined) continue;
      const ignoredChanges = construct.adopt(uuid, host.provider, host.host.uri);
      adopted.push({ kind: 'domain', name, host: host.host.name, uuid, ignoredChanges });
    } else if (construct instanceof GuestNetwork || construct instanceof StoragePool) {
      const kind = construct instanceof GuestNetwork ? 'network' : 'pool';
      const name = construct instanceof GuestNetwork ? construct.network.name : construct.pool.name;
      const uuid = uuids[lockObjectKey(kind, name, host.host.name)];
      if (uuid === undefined) continue;
      const ignoredChanges = construct.adopt(uuid, host.provider);
      adopted.push({ kind, name, host: host.host.name, uuid, ignoredChanges });
    }
  }
  return adopted;
}
