// The libvirt XML preview of the Xen and Windows settings (issue 12, items 1–3 and 5), checked by assertion and by libvirt's tools.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformId } from '../../constructs/terraform-id';
import { filesToCheck, renderStack, type RenderedFile, type SynthesizedStack } from '../../libvirt/render-stack';
import { validateXmlFiles, type XmlFileToCheck } from '../../libvirt/validate';
import { synthesizeFleet } from '../../pipeline/synth';
import { SKIP_TOOLS } from './tools';

const FLEET = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-1, hypervisor: kvm, uri: qemu+ssh://root@kvm-1/system, cpus: 32, memory: 128GiB }
  - name: xen-1
    hypervisor: xen
    uri: xen+ssh://root@xen-1/system
    cpus: 16
    memory: 128GiB
    dom0: { memory: 4GiB, vcpus: 2, pin: true, balloon: false }
networks: [{ name: prod, mode: bridge, bridge: br0 }]
pools: [{ name: images, type: dir, path: /var/lib/libvirt/images }]
images:
  - { name: debian, source: /srv/debian-12.qcow2, format: qcow2 }
  - { name: windows, source: /srv/windows-2022.qcow2, format: qcow2, pvhCapable: false }
vms:
  - { name: app, vcpus: 2, memory: 4GiB, hypervisor: xen, guestType: pvh, host: xen-1, disks: [{ size: 20GiB, pool: images, image: debian }, { size: 10GiB, pool: images, format: raw, data: true }], networks: [prod] }
  - { name: win-x, vcpus: 2, memory: 8GiB, os: windows, hypervisor: xen, host: xen-1, disks: [{ size: 60GiB, pool: images, image: windows }], networks: [prod] }
  - { name: win-k, vcpus: 2, memory: 8GiB, os: windows, hypervisor: kvm, host: kvm-1, disks: [{ size: 60GiB, pool: images, image: windows }], networks: [prod] }
`;

const work = mkdtempSync(join(tmpdir(), 'hyperplan-xen-xml-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const files: RenderedFile[] = [];
const checks: XmlFileToCheck[] = [];
const domain = (name: string): string => files.find((f) => f.kind === 'domain' && f.name === name)!.xml;

beforeAll(async () => {
  const fleetFile = join(work, 'fleet.yaml');
  writeFileSync(fleetFile, FLEET);
  const synth = await synthesizeFleet({ fleetFile, outDir: join(work, 'out') });
  for (const stack of synth.stacks) {
    const hosts = new Map(stack.hosts.map((h) => [terraformId(h), h]));
    const rendered = renderStack(JSON.parse(readFileSync(join(work, 'out', stack.file), 'utf8')) as SynthesizedStack, { hostOfAlias: (a) => hosts.get(a) ?? a });
    expect(rendered.problems).toEqual([]);
    files.push(...rendered.files);
    for (const f of rendered.files) {
      mkdirSync(dirname(join(work, 'xml', stack.name, f.path)), { recursive: true });
      writeFileSync(join(work, 'xml', stack.name, f.path), f.xml);
    }
    checks.push(...filesToCheck(rendered, join(work, 'xml', stack.name)));
  }
});

describe('libvirt XML of Xen guests', () => {
  // libvirt libxl_conf.c, libxlMakeDisk: a disk without a driver name is read as raw; name='qemu' reads qcow2 as qcow2.
  it('names the qemu driver on qcow2 disks and none on raw ones', () => {
    expect(domain('app')).toContain("<driver type='qcow2' name='qemu'/>");
    expect(domain('app')).toContain("<driver type='raw'/>");
    expect(domain('app')).not.toMatch(/<driver type='raw' name=/);
  });

  // Dom0's 2 vCPUs are pinned to pCPUs 0–1 (xen/common/sched/core.c, dom0_vcpus_pin); guests get 2–15.
  it('keeps every guest vCPU off the pinned Dom0 CPUs', () => {
    expect(domain('app')).toContain("<vcpu cpuset='2-15'>2</vcpu>");
    expect(domain('app')).toContain("<cputune>\n    <vcpupin vcpu='0' cpuset='2-15'/>\n    <vcpupin vcpu='1' cpuset='2-15'/>\n  </cputune>");
    expect(domain('win-k')).not.toContain('cpuset');
  });

  // xl.cfg(5) viridian and localtime; libvirt libxl_conf.c libxlMakeNic: no model on HVM is VIF_IOEMU (emulated + PV).
  it('gives a Windows guest HVM with viridian, a localtime clock and an emulated+PV NIC', () => {
    const win = domain('win-x');
    expect(win).toContain("machine='xenfv'>hvm</type>");
    expect(win).toContain('<viridian/>');
    expect(win).toContain("<clock offset='localtime'/>");
    expect(win).toMatch(/<interface type='bridge'>\n\s*<source bridge='br0'\/>\n\s*<\/interface>/);
  });
});

describe('libvirt XML of KVM Windows guests', () => {
  // libvirt formatdomain "Hypervisor features" and "Time keeping".
  it('renders the Hyper-V enlightenments with state on and the hypervclock timer', () => {
    const win = domain('win-k');
    expect(win).toContain("<hyperv mode='custom'>");
    for (const feature of ['relaxed', 'vapic', 'vpindex', 'runtime', 'synic', 'reset', 'frequencies', 'ipi']) expect(win).toContain(`<${feature} state='on'/>`);
    expect(win).toContain("<clock offset='localtime'>");
    expect(win).toContain("<timer name='hypervclock' present='yes'/>");
  });
});

describe.skipIf(SKIP_TOOLS)('real libvirt validation of these domains', () => {
  it('passes the RelaxNG schema, the libvirt parser and (KVM) the QEMU driver', async () => {
    const { results } = await validateXmlFiles(checks);
    expect(results.filter((r) => !r.ok).map((r) => `${r.file}: ${r.check}: ${r.message}`)).toEqual([]);
    expect(results.some((r) => r.check === 'qemu-argv' && r.file.endsWith('win-k.xml'))).toBe(true);
  });
});
