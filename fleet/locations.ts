/** Looking up where a fleet path (or a policy-file path) is in its file. Pure. */
import type { Fleet, SourceLocation } from './model';

/**
 * Position of a path such as `vms[web-1].disks[0].size` in a locations map (the fleet's, or a policy
 * file's), else of its nearest located ancestor.
 */
export function locateIn(locations: Readonly<Record<string, SourceLocation>>, path: string): SourceLocation | undefined {
  let current = path;
  for (;;) {
    if (Object.hasOwn(locations, current)) return locations[current];
    const parent = current.replace(/(\.[^.[\]]*|\[[^\]]*\])$/, '');
    if (parent === current || parent === '') return undefined;
    current = parent;
  }
}

/** Position of a fleet path in the fleet file, else of its nearest located ancestor. */
export function locate(fleet: Fleet, path: string): SourceLocation | undefined {
  return locateIn(fleet.locations, path);
}
