/**
 * The generated bindings: fresh against the committed schema snapshot, and — measured here — the same
 * code whichever generator made them, so the one build hyperplan ships serves cdktf 0.21 and CDK Terrain
 * (`cdktn` 0.24, run under the `cdktf` package alias; test/package/consumer.test.ts synthesizes with both).
 */
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bindingsStamp } from '../../schema/bindings-stamp';
import { LIBVIRT_PROVIDER_KEY, LIBVIRT_PROVIDER_VERSION, type ProviderSchemaFile } from '../../schema/provider-schema';
import { schemaPath } from '../../schema/snapshot';

const GEN = join(import.meta.dirname, '../../.gen/providers');
const work = mkdtempSync(join(tmpdir(), 'hyperplan-bindings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/**
 * What differs between the two generators without changing behaviour: the package name (also in comments), one error URL,
 * parameter properties vs. passing to `super`, statement semicolons, and `./x` vs `./x/index` paths.
 */
function normalize(text: string): string {
  return text
    .replace(/cdktn/gi, (name) => (name === 'CDKTN' ? 'CDKTF' : 'cdktf'))
    .replaceAll('https://cdktf.io/docs/concepts/resources#references', 'https://cdk.tf/complex-object-as-configuration')
    .replace(/constructor\(protected terraformResource: ([^,]+), protected terraformAttribute: string, protected wrapsSet: boolean\)/g,
      'constructor(terraformResource: $1, terraformAttribute: string, wrapsSet: boolean)')
    .replace(/;$/gm, '')
    .replace(/(from '\.\/[^']+)\/index'/g, "$1'");
}

describe('provider bindings', () => {
  it('are fresh: .gen was generated from the committed schema snapshot (npm run get)', () => {
    const stamp = bindingsStamp();
    expect(stamp.bindingsDigest, `${stamp.schemaFile} changed; run npm run get`).toBe(stamp.schemaDigest);
  });

  it('from @cdktn/provider-generator 0.24 equal those of @cdktf/provider-generator 0.21 but for naming', async () => {
    const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as ProviderSchemaFile;
    schema.provider_versions = { [LIBVIRT_PROVIDER_KEY]: `~> ${LIBVIRT_PROVIDER_VERSION}` };
    const generator = createRequire(import.meta.url)('@cdktn/provider-generator') as { generateProviderBindingsFromSchema(dir: string, schema: unknown): Promise<void> };
    await generator.generateProviderBindingsFromSchema(work, schema);
    const theirs = join(work, 'providers');
    const ours = files(GEN).map((f) => relative(GEN, f)).sort();
    expect(files(theirs).map((f) => relative(theirs, f)).sort()).toEqual(ours);
    const differing = ours.filter((f) => normalize(readFileSync(join(GEN, f), 'utf8')) !== normalize(readFileSync(join(theirs, f), 'utf8')));
    expect(differing).toEqual([]);
  });
});
