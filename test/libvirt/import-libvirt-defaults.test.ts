// Issue #15: an adopted KVM domain that names no disk cache or I/O mode, or has no serial console, keeps
// them libvirt's. hyperplan's own KVM defaults (cache=none and, with it, an I/O mode; a pty serial console:
// fleet/effective-vm.ts, constructs/virtual-machine.ts) are not imposed on it: the import writes
// `cache: default`, `io: default` and `console: false`, and synthesis then names none of them.
// Sources:
// - libvirt src/conf/domain_conf.c: virDomainDiskCache and virDomainDiskIo are enums whose 0 value is
//   "default"; virDomainDiskDefFormatDriver formats cache= and io= only when non-zero, so a domain defined
//   with cache='default' reads back without it.
// - libvirt 9.0.0 src/conf/schemas/domaincommon.rng (`driverCache`, `driverIO`): cache='default' is valid,
//   io='default' is not.
// - provider v0.9.7 internal/codegen/templates/convert.go.tmpl (`FromXML` with no plan, as on import): an
//   attribute libvirt's XML omits is read as null, so a configured `cache = "default"` would be a change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDomains, type ImportResult } from '../../libvirt/import';
import { type RenderedStack } from '../../libvirt/render-stack';
import { modeledElements, roundTripDifferences } from '../../libvirt/round-trip';
import { synthesizeImported } from '../support/imported-synth';

const domain = (name: string, devices: string): string => `<domain type='kvm'>
  <name>${name}</name>
  <memory unit='MiB'>1024</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
${devices}
  </devices>
</domain>
`;

const disk = (dev: string, driver: string): string => `    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'${driver}/>
      <source file='/var/lib/libvirt/images/${dev}.qcow2'/>
      <target dev='${dev}' bus='virtio'/>
    </disk>`;

const CDROM = `    <disk type='file' device='cdrom'>
      <source file='/var/lib/libvirt/iso/install.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>`;

const SERIAL = `    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>`;

// plain: no driver modes and no serial console; none: cache=none without io; named: both named, with a console.
const DOMAINS = [
  domain('plain', [disk('vda', ''), CDROM].join('\n')),
  domain('none', [disk('vda', " cache='none'"), SERIAL].join('\n')),
  domain('named', [disk('vda', " cache='writeback' io='threads'"), SERIAL].join('\n')),
];

type Body = Record<string, any>;
const work = mkdtempSync(join(tmpdir(), 'hyperplan-libvirt-defaults-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let imported: ImportResult;
let domains: Map<string, Body>;
let rendered: RenderedStack;

beforeAll(async () => {
  imported = importDomains(DOMAINS.map((text, index) => ({ file: `d${index}.xml`, text })));
  const hosts = [{ name: 'kvm-1', hypervisor: 'kvm', uri: 'qemu+ssh://root@kvm-1/system', cpus: 16, memory: '64GiB' }];
  const [stack] = await synthesizeImported(work, imported.fleet, hosts);
  rendered = stack!.rendered;
  domains = new Map(Object.values((stack!.json as Body).resource.libvirt_domain as Record<string, Body>).map((d) => [d.name as string, d]));
}, 120_000);

const vm = (name: string): Body => imported.fleet.vms!.find((v) => v.name === name)! as Body;

describe('importing a domain that leaves its disk modes and console to libvirt', () => {
  it('writes cache: default for a disk without a cache mode, io: default for cache=none without an I/O mode', () => {
    expect(imported.failures).toEqual([]);
    expect(vm('plain').disks[0]).toMatchObject({ cache: 'default' });
    expect(vm('plain').disks[0]).not.toHaveProperty('io');
    expect(vm('none').disks[0]).toMatchObject({ cache: 'none', io: 'default' });
    expect(vm('named').disks[0]).toMatchObject({ cache: 'writeback', io: 'threads' });
    // A CD-ROM gets no hyperplan cache default (removable media), so it needs no `default` either.
    expect(vm('plain').disks[1]).not.toHaveProperty('cache');
  });

  it('writes console: false for a KVM domain without a serial port or console, nothing for one with them', () => {
    expect(vm('plain').console).toBe(false);
    expect(vm('none')).not.toHaveProperty('console');
  });

  it('synthesizes no cache or io attribute for `default`, and names what the domain named', () => {
    const driver = (name: string): Body => domains.get(name)!.devices.disks[0].driver as Body;
    expect(driver('plain')).toEqual({ name: 'qemu', type: 'qcow2' });
    expect(driver('none')).toEqual({ name: 'qemu', type: 'qcow2', cache: 'none' });
    expect(driver('named')).toEqual({ name: 'qemu', type: 'qcow2', cache: 'writeback', io: 'threads' });
  });

  it('synthesizes no serial port or console for console: false, the pty pair otherwise', () => {
    expect(domains.get('plain')!.devices).not.toHaveProperty('serials');
    expect(domains.get('plain')!.devices).not.toHaveProperty('consoles');
    expect(domains.get('none')!.devices.serials).toHaveLength(1);
    expect(domains.get('none')!.devices.consoles).toEqual([expect.objectContaining({ target: { type: 'serial', port: 0 } })]);
  });

  it('renders each domain back with its cache and I/O modes and its serial console (or none) as it was', () => {
    const xmls = rendered.files.filter((f) => f.kind === 'domain').map((f) => f.xml);
    expect(xmls).toHaveLength(DOMAINS.length);
    for (const original of DOMAINS) {
      const name = /<name>(\S+)<\/name>/.exec(original)![1]!;
      const xml = xmls.find((x) => x.includes(`<name>${name}</name>`))!;
      expect(roundTripDifferences(modeledElements(original), modeledElements(xml)), name).toEqual([]);
    }
  });
});

describe('the round trip compares disk modes and the serial console', () => {
  it('reads cache or io `default` as none named, and tells a named mode or a console apart', () => {
    const plain = modeledElements(DOMAINS[0]!);
    expect(roundTripDifferences(plain, modeledElements(DOMAINS[0]!.replace("type='qcow2'/>", "type='qcow2' cache='default' io='default'/>")))).toEqual([]);
    expect(roundTripDifferences(plain, modeledElements(DOMAINS[0]!.replace("type='qcow2'/>", "type='qcow2' cache='none'/>")))).toEqual(['disks']);
    expect(roundTripDifferences(plain, modeledElements(DOMAINS[0]!.replace('</devices>', `${SERIAL}\n  </devices>`)))).toEqual(['serialConsole']);
  });
});
