/**
 * Adoption end to end: objects that exist on a libvirt daemon (defined with virsh, as an operator would
 * have them) → `hyperplan import --from` → `hyperplan synth --adopt` → the first `terraform plan` with
 * the real dmacvicar/libvirt 0.9.7 provider imports every domain, network and pool and changes nothing:
 * `Plan: 6 to import, 0 to add, 0 to change, 0 to destroy.`; applying it and planning again shows no
 * changes. One domain is on a host bridge no libvirt network names: it is imported as the host bridge only
 * (`libvirtNetwork: false`), so no `libvirt_network` is created for it.
 *
 * What that takes with provider v0.9.7 (internal/provider at tag v0.9.7):
 * - libvirt_domain: after `ImportState` only `uuid` is set, so Read calls `DomainFromXML(ctx, xml, nil)`
 *   (domain_resource.go, "Detect import") and fills state with everything libvirt reports, defaults
 *   included (`on_poweroff/on_reboot/on_crash`, `clock.offset = utc`, `os.boot_devices = [hd]`,
 *   `vcpu_placement = static`, `current_memory`, memory in KiB, `false` for each presence boolean of the
 *   objects it reads). An adopted domain renders exactly that (constructs/domain-read-back.ts); what
 *   libvirt assigns itself is ignored with `ignore_changes`: the controllers it adds (here the SATA
 *   controller of cd-1's CD-ROM), device addresses, and the tap device it names for a running NIC
 *   (`target.dev`, here testnet0), renamed at each start;
 * - libvirt_network: Read converts the XML with the *state* as the plan (network_resource.go, "use current
 *   state as plan to preserve user intent"); after import the state holds only the id, so `forward` and
 *   `ips` are never read: an adopted network ignores their changes (Update applies only autostart);
 * - libvirt_pool: `create` is configuration only and `target` is not read after import either: an
 *   adopted pool ignores their changes (pool_resource.go refuses every update: "Storage pools cannot be
 *   updated").
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { RUN_E2E } from './support/environment';
import { startDaemons, virsh, type DaemonSet } from './support/libvirt-daemon';
import { terraformWithLocalProvider, type TerraformRunner } from './support/terraform';

const REPO = new URL('../..', import.meta.url).pathname;
const CLI = join(REPO, 'bin/hyperplan.js');

function hyperplan(args: readonly string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '' } });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** What the host holds before adoption, written as a fleet only to have libvirt XML to define. */
const SEED = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-a, hypervisor: kvm, uri: "qemu:///system", cpus: 16, memory: 64GiB, reserved: { memory: 4GiB, cpus: 1 } }
networks:
  - { name: prod, mode: nat, cidr: 10.1.0.0/24 }
  - { name: lan, mode: bridge, bridge: br1, libvirtNetwork: false }
pools: [{ name: images, type: dir, path: /var/lib/libvirt/images }]
vms:
  - { name: web-1, vcpus: 2, memory: 2GiB, disks: [{ size: 20GiB, pool: images }], networks: [prod], host: kvm-a }
  - { name: db-1, vcpus: 4, memory: 4GiB, disks: [{ size: 40GiB, pool: images }], networks: [prod], host: kvm-a }
  - name: cd-1
    vcpus: 1
    memory: 1GiB
    onCrash: restart
    disks: [{ size: 10GiB, pool: images }, { device: cdrom, path: /var/lib/libvirt/isos/install.iso, bus: sata, target: sdc }]
    networks: [prod]
    host: kvm-a
  - { name: br-1, vcpus: 1, memory: 1GiB, disks: [{ size: 10GiB, pool: images }], networks: [lan], host: kvm-a }
`;

describe.skipIf(!RUN_E2E)('end to end: adopting existing libvirt objects', () => {
  let root: string;
  let terraform: TerraformRunner;
  let daemons: DaemonSet;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hyperplan-e2e-adopt-'));
    terraform = terraformWithLocalProvider(root);
    daemons = startDaemons(join(root, 'daemons'), ['kvm-a']);
  });
  afterAll(() => {
    daemons?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports every domain, network and pool; the first plan changes nothing, nor does the one after applying it', () => {
    const daemon = daemons.hosts.get('kvm-a')!;
    // The test driver starts with its own demo objects; the host here holds only what the seed defines.
    virsh(daemon, ['destroy', 'test']);
    virsh(daemon, ['undefine', 'test']);
    virsh(daemon, ['net-destroy', 'default']);
    virsh(daemon, ['net-undefine', 'default']);
    virsh(daemon, ['pool-destroy', 'default-pool']);
    virsh(daemon, ['pool-undefine', 'default-pool']);

    const seed = join(root, 'seed');
    mkdirSync(seed, { recursive: true });
    writeFileSync(join(seed, 'fleet.yaml'), SEED);
    const xml = hyperplan(['xml', 'fleet.yaml', '--out', 'xml'], seed);
    expect(xml.status, xml.stderr).toBe(0);
    const dir = join(seed, 'xml/kvm/kvm-a');
    virsh(daemon, ['pool-define', join(dir, 'pools/images.xml')]);
    virsh(daemon, ['pool-start', 'images']);
    virsh(daemon, ['pool-autostart', 'images']);
    for (const volume of readdirSync(join(dir, 'volumes')).sort()) virsh(daemon, ['vol-create', 'images', join(dir, 'volumes', volume)]);
    virsh(daemon, ['net-define', join(dir, 'networks/prod.xml')]);
    virsh(daemon, ['net-start', 'prod']);
    virsh(daemon, ['net-autostart', 'prod']);
    // br-1 is on the host bridge br1 that no libvirt network names (the seed defines none for it).
    expect(readdirSync(join(dir, 'networks'))).toEqual(['prod.xml']);
    for (const vm of ['web-1', 'db-1', 'cd-1', 'br-1']) {
      virsh(daemon, ['define', join(dir, `domains/${vm}.xml`)]);
      virsh(daemon, ['start', vm]);
      virsh(daemon, ['autostart', vm]);
    }

    const adopt = join(root, 'adopt');
    mkdirSync(adopt, { recursive: true });
    const imported = hyperplan(['import', '--from', daemon.virshUri, '--out', 'fleet.yaml'], adopt);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^imported 1 host\(s\), 4 VM\(s\), 2 network\(s\), 1 pool\(s\)$/m);
    expect(imported.stderr).not.toMatch(/^dropped:/m);
    const fleet = parse(readFileSync(join(adopt, 'fleet.yaml'), 'utf8')) as { hosts: Array<Record<string, unknown>>; networks: unknown[]; vms: Array<{ name: string; host: string; disks: Array<Record<string, unknown>> }> };
    expect(fleet.vms.map((vm) => [vm.name, vm.host, vm.disks[0]!.volume])).toEqual([
      ['br-1', 'default', 'br-1-disk0.qcow2'], ['cd-1', 'default', 'cd-1-disk0.qcow2'], ['db-1', 'default', 'db-1-disk0.qcow2'], ['web-1', 'default', 'web-1-disk0.qcow2'],
    ]);
    // The bridge comes back as the host bridge only: adopting br-1 defines no network the host did not have.
    expect(fleet.networks).toContainEqual({ name: 'br1', mode: 'bridge', bridge: 'br1', libvirtNetwork: false });
    // What the fleet had beyond its defaults comes back: the CD-ROM's device name and the crash action.
    expect(fleet.vms[1]).toMatchObject({ onCrash: 'restart', disks: [{}, { device: 'cdrom', path: '/var/lib/libvirt/isos/install.iso', bus: 'sata', target: 'sdc' }] });
    // The test driver's default node is a 3 GiB i686 machine whose two NUMA cells add up to 6 GiB (its
    // built-in defaults); the adopted fleet gets a real host's size under the imported name. Its URI stays
    // the test driver's: the URI says which libvirt driver the domains are read back from, and a qemu://
    // one would add what the QEMU driver writes itself (constructs/qemu-read-back.ts).
    fleet.hosts = [{ name: 'default', hypervisor: 'kvm', uri: daemon.providerUri, cpus: 16, memory: '64GiB', reserved: { memory: '4GiB', cpus: 1 } }];
    writeFileSync(join(adopt, 'fleet.yaml'), stringify(fleet));

    const synth = hyperplan(['synth', 'fleet.yaml', '--adopt', '--out', 'out', '--quiet'], adopt);
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stdout).toContain('adopting 4 domain(s), 1 network(s), 1 pool(s) through import blocks');
    expect(synth.stdout).toMatch(/^ {2}network prod on default: ignore_changes forward, ips \(/m);
    expect(synth.stdout).toMatch(/^ {2}pool images on default: ignore_changes target, create \(/m);
    expect(synth.stdout).toMatch(/^ {2}domain web-1 on default: ignore_changes devices\.controllers, devices\.disks\[0\]\.address, devices\.interfaces\[0\]\.address, devices\.interfaces\[0\]\.target \(/m);
    const stackDir = join(adopt, 'out/stacks/kvm');
    const file = join(stackDir, 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { provider: { libvirt: Array<{ uri: string }> }; resource: Record<string, unknown>; import: unknown[] };
    expect(json.provider.libvirt.map((provider) => provider.uri)).toEqual([daemon.providerUri]);
    expect(Object.keys(json.resource)).not.toContain('libvirt_volume');
    expect(json.import).toHaveLength(6);
    expect(Object.keys(json.resource.libvirt_network as object)).toEqual(['default_net_prod']);

    terraform.expect(stackDir, ['init', '-input=false', '-no-color']);
    const plan = terraform.expect(stackDir, ['plan', '-input=false', '-no-color']);
    expect(plan.stdout).toContain('Plan: 6 to import, 0 to add, 0 to change, 0 to destroy.');
    const importedResources = [...plan.stdout.matchAll(/# (\S+) will be imported/g)].map((m) => m[1]).sort();
    expect(importedResources).toEqual(['libvirt_domain.default_br_1', 'libvirt_domain.default_cd_1', 'libvirt_domain.default_db_1', 'libvirt_domain.default_web_1', 'libvirt_network.default_net_prod', 'libvirt_pool.default_pool_images']);
    expect(plan.stdout).not.toMatch(/will be updated in-place|must be replaced|will be destroyed|will be created/);

    // Taking the plan: the imports land in state, nothing is touched, and the next plan is clean.
    const apply = terraform.expect(stackDir, ['apply', '-input=false', '-no-color', '-auto-approve']);
    expect(apply.stdout).toMatch(/Apply complete! Resources: 6 imported, 0 added, 0 changed, 0 destroyed\./);
    const again = terraform.expect(stackDir, ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(again.stdout).toContain('No changes.');
  }, 600_000);
});
