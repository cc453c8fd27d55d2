/**
 * What each storage pool type needs from the fleet's one-line `source` and `path`: the loader checks
 * these and the StoragePool construct renders them, from this one table.
 */
import type { StoragePoolType } from './model';

/** `host:/export` (netfs, gluster) split at the first colon; undefined when either side is empty. */
export function hostAndPath(source: string): { host: string; path: string } | undefined {
  const colon = source.indexOf(':');
  if (colon <= 0 || colon === source.length - 1) return undefined;
  return { host: source.slice(0, colon), path: source.slice(colon + 1) };
}

/** Types whose source is `host:/path`. */
export const HOST_PATH_TYPES: ReadonlySet<StoragePoolType> = new Set<StoragePoolType>(['netfs', 'gluster']);
/**
 * Types that need a source at all. iSCSI pools name `portal` and `target` instead (checked with their
 * keys in fleet/cross-checks.ts).
 */
export const SOURCE_TYPES: ReadonlySet<StoragePoolType> = new Set<StoragePoolType>([
  'fs', 'disk', 'netfs', 'gluster', 'scsi', 'logical', 'rbd', 'zfs', 'vstorage',
]);
/** Types whose files live under a target directory the fleet names with `path`. */
export const PATH_TYPES: ReadonlySet<StoragePoolType> = new Set<StoragePoolType>(['dir', 'fs', 'netfs']);

/** What is missing or wrong in a pool's `path` and `source` for its type: [key, message] pairs. */
export function storagePoolProblems(pool: { readonly name: string; readonly type: StoragePoolType; readonly path?: string; readonly source?: string }): [key: 'path' | 'source' | 'type', message: string][] {
  const problems: [key: 'path' | 'source' | 'type', message: string][] = [];
  if (PATH_TYPES.has(pool.type) && !pool.path) {
    problems.push(['type', `pool '${pool.name}' (type ${pool.type}) has no path; set path to the directory volumes live in (e.g. /var/lib/libvirt/images)`]);
  }
  if (SOURCE_TYPES.has(pool.type) && !pool.source) {
    problems.push(['type', `pool '${pool.name}' (type ${pool.type}) has no source; set source (netfs: host:/export, logical: a volume group, rbd: a Ceph pool, fs/disk: a device)`]);
  }
  if (HOST_PATH_TYPES.has(pool.type) && pool.source !== undefined && hostAndPath(pool.source) === undefined) {
    problems.push(['source', `pool '${pool.name}' (type ${pool.type}) has source '${pool.source}'; expected host:/path, e.g. nfs1:/export/images`]);
  }
  return problems;
}
