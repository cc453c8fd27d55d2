/** Maps a finding's target path to the nearest fleet-file position recorded for it or an ancestor. */
import type { SourceLocation } from '../fleet/model';

/** Last path segment: `.name` or `[key]`. */
const LAST_SEGMENT = /(?:\.[^.[\]]+|\[[^[\]]*\])$/;

export function locate(locations: Readonly<Record<string, SourceLocation>>, target: string): SourceLocation | undefined {
  let path = target;
  while (path) {
    const found = locations[path];
    if (found) return found;
    const stripped = path.replace(LAST_SEGMENT, '');
    if (stripped === path) return undefined;
    path = stripped;
  }
  return undefined;
}
