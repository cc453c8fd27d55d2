/** Structure-aware fleet files: the fleet schema's keys with plausible, borderline and wrong values. */
import fc from 'fast-check';
import { fleetFileSchema } from '../../fleet/schema';
import { asText, schemaArbitrary } from './schema-arbitrary';

/** Few names, so references between objects (pool → host, VM → network) resolve often enough. */
const NAMES = ['a', 'b', 'kvm-a1', 'xen-s1', 'images', 'prod', 'web', 'nfs-images', 'pool-a'];
const SIZES = ['8GiB', '512MiB', '1TiB', '40GiB', '2MiB', '0GiB', '-4GiB', '8GB', '1.5MiB', '4 GiB', 'lots', '1e3GiB'];
const SECRETS = ['${env:HP_FUZZ_SECRET}', '${env:HP_UNSET}', '${file:./secret.txt}', '${file:./missing}', '${evn:X}', '${env:}', 'plain-text'];

/** Plausible strings for a key: sizes for sizes, names for references, references for secrets. */
function stringFor(key: string): fc.Arbitrary<unknown> {
  if (/^(memory|size|capacity)$/.test(key)) return fc.constantFrom(...SIZES);
  if (/password/.test(key)) return fc.constantFrom(...SECRETS);
  if (key === 'cidr') return fc.constantFrom('192.168.122.0/24', '10.0.0.0/8', '10.0.0.1/24', '300.1.1.0/24', 'fe80::/64');
  if (key === 'start' || key === 'end') return fc.constantFrom('192.168.122.2', '192.168.122.254', '10.0.0.1', '1.2.3');
  if (key === 'mac') return fc.constantFrom('52:54:00:12:34:56', '52:54:00:12:34', 'zz:54:00:12:34:56');
  if (key === 'uri') return fc.constantFrom('qemu+ssh://root@h/system', 'xen:///system', 'qemu:///system?x=${env:A}');
  if (key === 'userData' || key === 'networkConfig') return fc.constantFrom('./cloud-init/web.yaml', '#cloud-config\nusers: []\n', './missing.yaml');
  return fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }));
}

const fleetData = fc
  .tuple(
    schemaArbitrary(fleetFileSchema, {
      stringFor,
      recordKeys: ['securityClass', 'team', 'bucket', 'region', 'key'],
      unknownKeys: ['nmae', 'extra', 'Memory'],
    }),
    fc.boolean(),
  )
  // apiVersion nearly always right, so validation goes past the first check.
  .map(([data, keepVersion]) =>
    keepVersion && typeof data === 'object' && data !== null && !Array.isArray(data) ? { ...data, apiVersion: 'hyperplan/v1' } : data,
  );

/** Fleet text as YAML (block or flow) or JSON. */
export const fleetText = asText(fleetData);
