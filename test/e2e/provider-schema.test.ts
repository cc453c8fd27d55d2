/**
 * The committed schema snapshot is what the provider built from tag v0.9.7 reports through
 * `terraform providers schema -json` (regenerate with `npm run schema:import -- <that output>`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFromProviderSchema } from '../../schema/import-provider-schema';
import { schemaPath } from '../../schema/snapshot';
import { RUN_E2E } from './support/environment';
import { terraformWithLocalProvider } from './support/terraform';

describe.skipIf(!RUN_E2E)('schema snapshot against the built provider', () => {
  const root = mkdtempSync(join(tmpdir(), 'hyperplan-e2e-schema-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('schema/libvirt-0.9.7.json is exactly the provider\'s terraform providers schema -json', () => {
    const terraform = terraformWithLocalProvider(root);
    const dir = join(root, 'work');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { libvirt: { source: 'dmacvicar/libvirt', version: '0.9.7' } } } }));
    terraform.expect(dir, ['init', '-input=false', '-no-color']);
    const reported = terraform.expect(dir, ['providers', 'schema', '-json']).stdout;
    expect(snapshotFromProviderSchema(reported)).toBe(readFileSync(schemaPath(), 'utf8'));
  });
});
