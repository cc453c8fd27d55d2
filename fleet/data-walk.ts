/**
 * One walk over parsed fleet data for the checks that look at every value (secret references outside
 * secret fields, cdktf token markers): a 20,000-VM file has ~700,000 of them, so the checks share the
 * walk instead of each making its own.
 */
import type { PathSegment } from './problems';

/**
 * What a walk reports: each string and number, and each mapping key, with its path. The path is one
 * stack the walk reuses: a visitor copies it to keep it.
 */
export interface DataVisitor {
  string(value: string, path: readonly PathSegment[]): void;
  number(value: number, path: readonly PathSegment[]): void;
  key(key: string, path: readonly PathSegment[]): void;
}

/** Visits `data` depth first, keys in `Object.keys` order, calling each visitor in turn at each value. */
export function walkData(data: unknown, visitors: readonly DataVisitor[]): void {
  const path: PathSegment[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const visitor of visitors) visitor.string(value, path);
    } else if (typeof value === 'number') {
      for (const visitor of visitors) visitor.number(value, path);
    } else if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        walk(value[index]);
        path.pop();
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        path.push(key);
        for (const visitor of visitors) visitor.key(key, path);
        walk((value as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  walk(data);
}
