/**
 * Structure-aware fuzz of the libvirt XML importer (`importDomains`). test/libvirt mutates the fixture
 * files character by character; here whole domains are generated from libvirt's element and attribute
 * vocabulary with plausible, borderline and wrong values (units, buses, sizes, names that are no fleet
 * names, PCI addresses, unknown elements), one to three files per import so name de-duplication runs.
 *
 * Properties: the importer never throws; every diagnostic names one of the input files and a line
 * inside it (and a column ≥ 1 when it gives one); no fleet means an error was reported; an imported
 * fleet written as YAML loads with the fleet loader without a crash, problems located.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFleetFromString } from '../../fleet/index';
import { fleetText, importDomains } from '../../libvirt/import';
import { assertLocated } from './fuzz-helpers';
import { fuzzRuns } from '../support/fuzz-runs';

const RUNS = fuzzRuns();

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');

/** `value` from the plausible ones most of the time, else something odd. */
const odd = fc.constantFrom('', ' ', '-1', '0', '1e309', 'NaN', 'ünï', '<&>', 'a'.repeat(80), '../..', '${env:X}');
const pick = (...values: string[]): fc.Arbitrary<string> => fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 6 }, { arbitrary: odd, weight: 1 });

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children: readonly XmlElement[];
}

const el = (name: string, attributes: fc.Arbitrary<Record<string, string>>, children: fc.Arbitrary<XmlElement[]> = fc.constant([]), text?: fc.Arbitrary<string>): fc.Arbitrary<XmlElement> =>
  fc.tuple(attributes, children, text ?? fc.constant(undefined)).map(([a, c, t]) => ({ name, attributes: a, children: c, ...(t === undefined ? {} : { text: t }) }));

const attrs = (model: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Record<string, string>> =>
  fc.record(model, { requiredKeys: [] }).map((record) => Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined)));
const some = (...elements: fc.Arbitrary<XmlElement>[]): fc.Arbitrary<XmlElement[]> =>
  fc.tuple(...elements.map((e) => fc.option(e, { freq: 4 }))).map((list) => list.filter((e): e is XmlElement => e !== null));

const memory = (name: string): fc.Arbitrary<XmlElement> =>
  el(name, attrs({ unit: pick('KiB', 'MiB', 'GiB', 'G', 'b', 'bytes', 'KB', 'TiB', 'furlongs') }), fc.constant([]), pick('4', '1024', '4194304', '1.5', '0', 'lots'));

const disk = el(
  'disk',
  attrs({ type: pick('file', 'block', 'network', 'volume', 'dir'), device: pick('disk', 'cdrom', 'floppy', 'lun') }),
  some(
    el('driver', attrs({ name: pick('qemu', 'tap', 'phy'), type: pick('qcow2', 'raw', 'vmdk'), cache: pick('none', 'writeback', 'bogus'), io: pick('native', 'threads', 'io_uring', 'aio') })),
    el('source', attrs({ file: pick('/var/lib/libvirt/images/a.qcow2', '/srv/x.img', 'relative.qcow2'), dev: pick('/dev/vg0/lv', '/dev/sdb'), pool: pick('default', 'nfs-images', 'Bad Pool'), volume: pick('vol1', ''), protocol: pick('rbd', 'nbd'), name: pick('pool/image') })),
    el('target', attrs({ dev: pick('vda', 'xvda', 'sda', 'hdc', 'vdz'), bus: pick('virtio', 'xen', 'scsi', 'sata', 'ide', 'usb', 'fdc', 'sd') })),
    el('readonly', fc.constant({})),
  ),
);

const nic = el(
  'interface',
  attrs({ type: pick('network', 'bridge', 'direct', 'user', 'ethernet') }),
  some(
    el('mac', attrs({ address: pick('52:54:00:6b:3c:58', '00:16:3e:00:00:01', 'zz:zz', '52:54:00:6b:3c') })),
    el('source', attrs({ network: pick('default', 'prod', 'Prod Net', ''), bridge: pick('br0', 'xenbr0'), dev: pick('eth0') })),
    el('model', attrs({ type: pick('virtio', 'e1000', 'rtl8139', 'netfront') })),
    el('driver', attrs({ queues: pick('4', '0', '-1', 'many') })),
  ),
);

const devices = el(
  'devices',
  fc.constant({}),
  fc
    .tuple(
      fc.array(disk, { maxLength: 3 }),
      fc.array(nic, { maxLength: 2 }),
      some(
        el('graphics', attrs({ type: pick('vnc', 'spice', 'sdl', 'rdp'), listen: pick('127.0.0.1', '0.0.0.0'), passwd: pick('hunter2'), port: pick('-1', '5900') })),
        el('hostdev', attrs({ mode: pick('subsystem'), type: pick('pci', 'usb') }), some(el('source', fc.constant({}), some(el('address', attrs({ domain: pick('0x0000'), bus: pick('0x3b', '0xzz'), slot: pick('0x00'), function: pick('0x0', '0x9') })))))),
        el('rng', attrs({ model: pick('virtio') }), some(el('backend', attrs({ model: pick('random') }), fc.constant([]), pick('/dev/urandom')))),
        el('memballoon', attrs({ model: pick('virtio', 'xen', 'none') })),
        el('console', attrs({ type: pick('pty') })),
        el('video', fc.constant({}), some(el('model', attrs({ type: pick('qxl', 'cirrus', 'virtio') })))),
        el('watchdog', attrs({ model: pick('i6300esb') })),
      ),
    )
    .map(([disks, nics, rest]) => [...disks, ...nics, ...rest]),
);

const os = el(
  'os',
  fc.constant({}),
  some(
    el('type', attrs({ arch: pick('x86_64', 'aarch64', 'i686'), machine: pick('q35', 'pc-i440fx-8.2', 'xenfv', 'xenpv', 'pc') }), fc.constant([]), pick('hvm', 'linux', 'xen', 'xenpvh', 'exe')),
    el('loader', attrs({ readonly: pick('yes', 'no'), type: pick('pflash', 'rom'), secure: pick('yes', 'no') }), fc.constant([]), pick('/usr/share/OVMF/OVMF_CODE.secboot.fd', '/usr/lib/xen/boot/hvmloader')),
    el('kernel', fc.constant({}), fc.constant([]), pick('/boot/vmlinuz', '/usr/lib/grub-xen/grub-i386-xen_pvh.bin')),
    el('initrd', fc.constant({}), fc.constant([]), pick('/boot/initrd.img')),
    el('cmdline', fc.constant({}), fc.constant([]), pick('root=/dev/xvda1 console=hvc0', 'quiet')),
    el('boot', attrs({ dev: pick('hd', 'cdrom', 'network') })),
  ),
);

const domain = el(
  'domain',
  attrs({ type: pick('kvm', 'xen', 'qemu', 'lxc', 'KVM') }),
  fc
    .tuple(
      some(
        el('name', fc.constant({}), fc.constant([]), pick('web-1', 'Web-Frontend.01', 'db_primary', '123abc', 'web-1', 'ünïcode-vm')),
        el('uuid', fc.constant({}), fc.constant([]), pick('5f3c2a8e-1d6b-4f0e-9b7a-2c1e8d4f6a01')),
        memory('memory'),
        memory('currentMemory'),
        el('vcpu', attrs({ placement: pick('static', 'auto') }), fc.constant([]), pick('1', '2', '16', '0', '-2', 'two')),
        os,
        el('bootloader', fc.constant({}), fc.constant([]), pick('/usr/bin/pygrub')),
        el('features', fc.constant({}), some(el('acpi', fc.constant({})), el('apic', fc.constant({})), el('pae', fc.constant({})))),
        el('cpu', attrs({ mode: pick('host-model', 'host-passthrough', 'custom', 'maximum', 'hostmodel') }), some(el('model', fc.constant({}), fc.constant([]), pick('EPYC-Milan', 'Skylake-Server')))),
        el('on_crash', fc.constant({}), fc.constant([]), pick('restart')),
        el('unknownElement', attrs({ x: pick('1') })),
      ),
      fc.option(devices, { freq: 6 }),
    )
    .map(([children, devs]) => (devs === null ? children : [...children, devs])),
);

function render(element: XmlElement, indent: string): string {
  const attributes = Object.entries(element.attributes).map(([k, v]) => ` ${k}='${escape(v)}'`).join('');
  if (element.children.length === 0 && element.text === undefined) return `${indent}<${element.name}${attributes}/>`;
  if (element.children.length === 0) return `${indent}<${element.name}${attributes}>${escape(element.text ?? '')}</${element.name}>`;
  const inner = element.children.map((child) => render(child, `${indent}  `)).join('\n');
  return `${indent}<${element.name}${attributes}>\n${inner}\n${indent}</${element.name}>`;
}

/** Now and then a raw (unescaped) splice, so well-formedness errors mix with semantic ones. */
const domainText = fc
  .tuple(domain, fc.option(fc.tuple(fc.nat(), fc.constantFrom('<', '&', ']]>', '</domain>', '<!--', "'", '\u0000')), { freq: 10 }))
  .map(([element, splice]) => {
    const text = `${render(element, '')}\n`;
    if (splice === null) return text;
    const at = splice[0] % text.length;
    return text.slice(0, at) + splice[1] + text.slice(at);
  });

const inputs = fc.array(domainText, { minLength: 1, maxLength: 3 }).map((texts) => texts.map((text, i) => ({ file: `/fuzz/domain-${i}.xml`, text })));

describe('libvirt importer, structure-aware fuzz', () => {
  it(`survives ${RUNS} generated imports; diagnostics located; imported fleets load`, () => {
    let imported = 0;
    fc.assert(
      fc.property(inputs, fc.constantFrom<'kvm' | 'xen' | undefined>(undefined, 'kvm', 'xen'), (files, hypervisor) => {
        const result = importDomains(files, hypervisor === undefined ? {} : { hypervisor });
        for (const d of [...result.failures, ...result.notes]) {
          const input = files.find((f) => f.file === d.file);
          if (input === undefined) throw new Error(`diagnostic names unknown file ${d.file}`);
          // The column is optional in ImportDiagnostic; the line is not.
          assertLocated([{ ...d, column: "column" in d ? (d.column ?? 1) : 1 }], input.text, input.file);
        }
        if ((result.fleet.vms ?? []).length === 0) {
          if (result.failures.length === 0) throw new Error('no VM and no error');
          return;
        }
        imported += 1;
        const text = fleetText(result.fleet, 'yaml');
        const loaded = loadFleetFromString(text, '/fuzz/imported.yaml', { env: {}, readFile: () => '' });
        if (!loaded.ok) assertLocated(loaded.problems, text, '/fuzz/imported.yaml');
      }),
      { seed: 1125, numRuns: RUNS },
    );
    expect(imported).toBeGreaterThan(0);
  });
});
