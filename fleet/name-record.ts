/**
 * Records keyed by fleet names (VM → host, host → reason). Names are user input: a VM may be called
 * `constructor` or `toString`, so these records have no prototype and a missing name reads as undefined.
 */
export function nameRecord<V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}
