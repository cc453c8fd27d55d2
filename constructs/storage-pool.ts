/**
 * A fleet storage pool on one host: a `libvirt_pool` in that host's libvirt, addressed
 * `<host>_pool_<name>`. Shared pools (netfs, rbd …) are defined on every host that uses them too: each
 * host mounts or connects to the same data through its own libvirt.
 */
import { Construct } from 'constructs';
import type { StoragePool as StoragePoolSpec, StoragePoolType } from '../fleet/model';
import { Pool, type LibvirtProvider, type PoolConfig } from './libvirt-bindings';
import { checkProps, type PropCheck } from './prop-checks';
import { named } from './terraform-id';
import { HOST_ADDRESS_PARTS } from '../fleet/terraform-names';
import { hostAndPath, storagePoolProblems } from '../fleet/storage-pool-sources';

export interface StoragePoolProps {
  /** The pool as the fleet declares it. */
  readonly pool: StoragePoolSpec;
  /** The provider of the host the pool is defined on. */
  readonly provider: LibvirtProvider;
  /** Name of that host; part of the Terraform address. */
  readonly hostName: string;
}

type PoolSource = NonNullable<PoolConfig['source']>;

/**
 * iSCSI pools (libvirt docs/formatstorage.rst, storage.rst): the portal is `<host name=>`, the target
 * IQN `<device path=>` and the initiator IQN `<initiator><iqn name=>`.
 */
function iscsiSource(pool: StoragePoolSpec): PoolSource | undefined {
  if (!pool.portal || !pool.target) return undefined;
  return {
    host: [portalHost(pool.portal)],
    device: [{ path: pool.target }],
    ...(pool.initiator ? { initiator: { iqn: { name: pool.initiator } } } : {}),
  };
}

/** `host` or `host:port` of an iSCSI portal as libvirt's `<host name= port=>`. */
function portalHost(portal: string): { name: string; port?: string } {
  const colon = portal.lastIndexOf(':');
  return colon > 0 ? { name: portal.slice(0, colon), port: portal.slice(colon + 1) } : { name: portal };
}

/** How the fleet's one-line `source` maps onto libvirt's `<source>` for each pool type (iSCSI: see iscsiSource). */
const SOURCE: Record<Exclude<StoragePoolType, 'iscsi' | 'iscsi-direct'>, (source: string) => PoolSource | undefined> = {
  dir: () => undefined,
  fs: (source) => ({ device: [{ path: source }] }),
  disk: (source) => ({ device: [{ path: source }] }),
  netfs: (source) => {
    const parts = hostAndPath(source);
    return parts && { host: [{ name: parts.host }], dir: { path: parts.path } };
  },
  gluster: (source) => {
    const parts = hostAndPath(source);
    return parts && { host: [{ name: parts.host }], name: parts.path.replace(/^\//, ''), dir: { path: '/' } };
  },
  scsi: (source) => ({ adapter: { name: source } }),
  logical: (source) => ({ name: source }),
  rbd: (source) => ({ name: source }),
  zfs: (source) => ({ name: source }),
  vstorage: (source) => ({ name: source }),
  mpath: () => undefined,
};

const ISCSI_TYPES = new Set<StoragePoolType>(['iscsi', 'iscsi-direct']);
/**
 * Where volumes appear on the host for device-backed pools when the fleet gives no path; libvirt's pool
 * schema requires a `<target>` for these types (the values libvirt's own documentation uses).
 */
const DEFAULT_TARGET: Partial<Record<StoragePoolType, (source: string | undefined) => string>> = {
  logical: (source) => `/dev/${source ?? ''}`,
  disk: () => '/dev',
  iscsi: () => '/dev/disk/by-path',
  scsi: () => '/dev/disk/by-path',
  mpath: () => '/dev/mapper',
};
/**
 * `virStoragePoolBuild` only creates the target directory for these types. For logical, disk and zfs it
 * writes a new volume group, partition table or zpool onto the source device, destroying what is there,
 * so those pools are expected to be prepared on the host and are only started.
 */
const SAFE_TO_BUILD = new Set<StoragePoolType>(['dir', 'fs', 'netfs']);

/** The loader's own check (fleet/storage-pool-sources.ts), kept as a second line of defence for code-built fleets. */
const CHECKS: readonly PropCheck<StoragePoolProps>[] = [
  {
    fails: (p) => storagePoolProblems(p.pool).length > 0,
    message: (p) => storagePoolProblems(p.pool).map(([, message]) => message).join('; '),
  },
  {
    fails: (p) => ISCSI_TYPES.has(p.pool.type) && (!p.pool.portal || !p.pool.target),
    message: (p) => `pool '${p.pool.name}' (type ${p.pool.type}) needs portal (host or host:port) and target (the target IQN)`,
  },
  {
    fails: (p) => p.pool.type === 'iscsi-direct' && !p.pool.initiator,
    message: (p) => `pool '${p.pool.name}' (type iscsi-direct) needs initiator (the initiator IQN libiscsi logs in with)`,
  },
];

/**
 * What provider v0.9.7 does not read back after importing a pool: `create` (build, start, autostart) is
 * configuration only, and Read converts the XML with the state as the plan (internal/provider/
 * pool_resource.go, Read: "use current state as plan to preserve user intent"; preservePoolTargetPath),
 * which after ImportState holds only the id, so `source` and `target` stay null. Update refuses every
 * change anyway ("Storage pools cannot be updated. All changes require replacement.").
 */
const NOT_READ_AFTER_IMPORT = ['source', 'target', 'create'] as const;

export class StoragePool extends Construct {
  readonly pool: StoragePoolSpec;
  readonly resource: Pool;
  /**
   * The pool name as a reference, so volumes in it depend on it. Made once: every reading of the
   * binding's attribute makes a new token in cdktf's process-wide registry, and every disk of the host
   * names its pool.
   */
  readonly name: string;
  readonly #notReadAfterImport: readonly string[];

  constructor(scope: Construct, id: string, props: StoragePoolProps) {
    super(scope, id);
    checkProps(this.node.path, props, CHECKS);
    const spec = props.pool;
    this.pool = spec;
    const source = spec.type === 'iscsi' || spec.type === 'iscsi-direct' ? iscsiSource(spec) : spec.source ? SOURCE[spec.type](spec.source) : undefined;
    const targetPath = spec.path ?? DEFAULT_TARGET[spec.type]?.(spec.source);
    const config: PoolConfig = {
      provider: props.provider,
      name: spec.name,
      type: spec.type,
      ...(source ? { source } : {}),
      ...(targetPath ? { target: { path: targetPath } } : {}),
      // The generator renames `build` (a reserved word for it) to `buildAttribute`; it synthesizes as `build`.
      create: { buildAttribute: SAFE_TO_BUILD.has(spec.type), start: true, autostart: true },
    };
    this.resource = named(new Pool(this, 'pool', config), props.hostName, ...HOST_ADDRESS_PARTS.pool(spec.name));
    this.name = this.resource.name;
    this.#notReadAfterImport = NOT_READ_AFTER_IMPORT.filter((attribute) => attribute in config);
  }

  /**
   * Adopts the existing pool `uuid` (a Terraform `import` block), ignoring changes to the attributes the
   * provider does not read after import (NOT_READ_AFTER_IMPORT), so the first plan changes nothing.
   * Returns the ignored attributes.
   */
  adopt(uuid: string, provider: LibvirtProvider): string[] {
    this.resource.importFrom(uuid, provider);
    const ignored = [...this.#notReadAfterImport];
    this.resource.lifecycle = { ...this.resource.lifecycle, ignoreChanges: ignored };
    return ignored;
  }
}
