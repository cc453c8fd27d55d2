import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terraformId } from '../../constructs/terraform-id';
import { ownDomainChecks } from '../../libvirt/own-checks';
import { filesToCheck, renderStack, type RenderedStack, type SynthesizedStack } from '../../libvirt/render-stack';
import { validateXmlFiles, type CheckResult, type XmlFileToCheck } from '../../libvirt/validate';
import { synthesizeFleet } from '../../pipeline/synth';
import { SKIP_TOOLS } from './tools';

const work = mkdtempSync(join(tmpdir(), 'hyperplan-validate-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(rendered: RenderedStack, dir: string): XmlFileToCheck[] {
  for (const f of rendered.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.xml);
  }
  return filesToCheck(rendered, dir);
}

function summary(results: readonly CheckResult[], files: readonly XmlFileToCheck[]): string {
  const valid = (kind: string): number => files.filter((f) => f.kind === kind && results.filter((r) => r.file === f.file).every((r) => r.ok)).length;
  return `${valid('domain')} domains, ${valid('network')} networks, ${valid('pool')} pools, ${valid('volume')} volumes valid`;
}

function failures(results: readonly CheckResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => `${r.file}: ${r.check}: ${r.message}`);
}

const KVM_DOMAIN = `<domain type='kvm'>
  <name>neg</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/neg.qcow2'/><target dev='vda' bus='virtio'/></disk>
  </devices>
</domain>
`;

async function checkOne(name: string, xml: string): Promise<CheckResult[]> {
  const file = join(work, 'negative', name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, xml);
  return (await validateXmlFiles([{ file, kind: 'domain' }])).results.filter((r) => !r.ok);
}

describe('own checks (no tools needed)', () => {
  it('rejects a Xen PVH guest with machine xenpv', () => {
    const xml = `<domain type='xen'><name>x</name><memory>1024</memory><os><type arch='x86_64' machine='xenpv'>xenpvh</type><kernel>/k</kernel></os></domain>`;
    expect(ownDomainChecks(xml).map((f) => f.message).join()).toMatch(/machine 'xenpv' does not match OS type 'xenpvh'.*'xenpvh'/);
  });
  it('rejects duplicate disk targets and PV disks on emulated buses', () => {
    const xml = `<domain type='xen'><name>x</name><memory>1024</memory><os><type machine='xenpv'>linux</type></os><devices>
      <disk type='file'><source file='/a'/><target dev='xvda' bus='ide'/></disk><disk type='file'><source file='/b'/><target dev='xvda' bus='xen'/></disk></devices></domain>`;
    const messages = ownDomainChecks(xml).map((f) => f.message).join('\n');
    expect(messages).toContain("disk target 'xvda' is used twice");
    expect(messages).toContain("disk on bus 'ide' in a PV Xen guest");
  });
  // libvirt src/libxl/libxl_conf.c, libxlMakeDisk: a disk without a driver name is LIBXL_DISK_FORMAT_RAW whatever its type.
  it('rejects a qcow2 Xen disk without a driver name, and accepts it with qemu or as raw', () => {
    const domain = (driver: string) =>
      `<domain type='xen'><name>x</name><os><type machine='xenfv'>hvm</type></os><devices><disk type='file'>${driver}<source file='/a'/><target dev='xvda' bus='xen'/></disk></devices></domain>`;
    expect(ownDomainChecks(domain("<driver type='qcow2'/>")).map((f) => f.message)).toEqual([
      "Xen disk of type 'qcow2' has no driver name, so libxl reads it as raw; set driver name='qemu'",
    ]);
    expect(ownDomainChecks(domain("<driver name='qemu' type='qcow2'/>"))).toEqual([]);
    expect(ownDomainChecks(domain("<driver type='raw'/>"))).toEqual([]);
  });
  it('accepts matching Xen pairs', () => {
    for (const [machine, type] of [['xenpv', 'linux'], ['xenpvh', 'xenpvh'], ['xenfv', 'hvm']]) {
      expect(ownDomainChecks(`<domain type='xen'><name>x</name><os><type machine='${machine}'>${type}</type></os></domain>`)).toEqual([]);
    }
  });
});

describe.skipIf(SKIP_TOOLS)('real libvirt validation', () => {
  it('passes schema, parser and qemu-argv for the hand-written stack fixture', async () => {
    const stack = JSON.parse(readFileSync(join(__dirname, '../fixtures/libvirt/synth/cdk.tf.json'), 'utf8')) as SynthesizedStack;
    const files = write(renderStack(stack), join(work, 'fixture'));
    const { results, skipped } = await validateXmlFiles(files);
    expect(skipped).toEqual([]);
    console.log(`fixture stack: ${summary(results, files)}`);
    expect(new Set(results.map((r) => r.check))).toEqual(new Set(['schema', 'parser', 'qemu-argv', 'own']));
    expect(failures(results)).toEqual([]);
  });

  it('passes every check for the example fleets', async () => {
    const all: XmlFileToCheck[] = [];
    for (const example of ['kvm', 'xen', 'hybrid']) {
      const out = join(work, 'synth', example);
      const synth = await synthesizeFleet({ fleetFile: join(__dirname, `../../examples/${example}/fleet.yaml`), outDir: out });
      for (const stack of synth.stacks) {
        const hosts = new Map(stack.hosts.map((h) => [terraformId(h), h]));
        const json = JSON.parse(readFileSync(join(out, stack.file), 'utf8')) as SynthesizedStack;
        const rendered = renderStack(json, { hostOfAlias: (a) => hosts.get(a) ?? a });
        expect(rendered.problems).toEqual([]);
        all.push(...write(rendered, join(work, 'xml', example, stack.name)));
      }
    }
    const started = Date.now();
    const { results } = await validateXmlFiles(all);
    console.log(`examples: ${summary(results, all)} (${results.length} checks in ${Date.now() - started} ms)`);
    expect(results.some((r) => r.check === 'qemu-argv')).toBe(true);
    expect(failures(results)).toEqual([]);
  });

  it("rejects disk bus 'virtoi' with libvirt's message", async () => {
    const failed = await checkOne('bus.xml', KVM_DOMAIN.replace("bus='virtio'", "bus='virtoi'"));
    const parser = failed.find((r) => r.check === 'parser');
    expect(parser?.message).toMatch(/Invalid value for attribute 'bus' in element 'target': 'virtoi'/);
    expect(failed.map((r) => r.check)).toContain('schema');
  });

  it('rejects a console without a source type (the schema needs type; the provider omits it without a source branch)', async () => {
    const failed = await checkOne('console.xml', KVM_DOMAIN.replace('</devices>', "<console><target type='serial' port='0'/></console></devices>"));
    expect(failed.map((r) => r.check)).toEqual(['schema']);
    expect(failed[0]?.message).toMatch(/devices/);
  });

  it('rejects a domain without a name', async () => {
    const failed = await checkOne('noname.xml', KVM_DOMAIN.replace('<name>neg</name>', ''));
    expect(failed.find((r) => r.check === 'parser')?.message).toMatch(/name/i);
    expect(failed.map((r) => r.check)).toContain('schema');
  });

  it('rejects a Xen PVH domain with machine xenpv (libvirt accepts it; our check does not)', async () => {
    const xml = `<domain type='xen'>
  <name>pvh</name>
  <memory unit='MiB'>512</memory>
  <os><type arch='x86_64' machine='xenpv'>xenpvh</type><kernel>/boot/vmlinuz</kernel></os>
</domain>
`;
    const failed = await checkOne('pvh.xml', xml);
    expect(failed.map((r) => r.check)).toEqual(['own']);
    expect(failed[0]?.message).toMatch(/machine 'xenpv' does not match OS type 'xenpvh'/);
  });
});
