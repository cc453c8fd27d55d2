/**
 * Secrets never leak: a cloud-init password and a VNC password from the environment and a private key
 * from a file are planted in a fleet; every output a user or CI can see — check in all formats, plan,
 * the lock file, synth output, review, libvirt XML, explain/drain and the error paths — must not carry
 * them in clear text, base64-encoded or JSON-escaped. The one allowed place is the user_data of the
 * VM's libvirt_cloudinit_disk, which must carry the cloud-init password (cloud-init needs it).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, readTree, type CliResult } from './cli-harness';

const PASSWORD = 'S3cret-Pa55word';
const VNC_PASSWORD = 'VncPa55-Zz9';
const KEY_LINES = [
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACBfakeKeyMaterialOnlyForHyperplanSecretsTestsXYZ0123456789ab',
];
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_LINES.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
const ENV = { HP_TEST_PASSWORD: PASSWORD, HP_TEST_VNC_PASSWORD: VNC_PASSWORD };

const VMS = `
  - name: web-1
    vcpus: 2
    memory: 4GiB
    hypervisor: kvm
    disks: [{ size: 20GiB, pool: images, image: /var/lib/libvirt/images/debian-12.qcow2 }]
    networks: [prod]
    cloudInit: { sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpsKeyForTests ops"], password: "\${env:HP_TEST_PASSWORD}" }
    graphics: { type: vnc, password: "\${env:HP_TEST_VNC_PASSWORD}" }
  - name: app-1
    vcpus: 2
    memory: 4GiB
    hypervisor: xen
    guestType: pvh
    disks: [{ size: 20GiB, pool: images, bus: xen }]
    networks: [prod]
    graphics: { type: vnc, password: "\${file:./id_ed25519}" }
`;

const FLEET = `apiVersion: hyperplan/v1
defaults:
  kvm: { overcommit: { cpu: 4, memory: 1.0 }, reserved: { memory: 8GiB, cpus: 2 } }
  xen: { overcommit: { cpu: 4, memory: 1.0 } }
  placement: { strategy: spread }
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: "qemu+ssh://root@kvm-a1/system", cpus: 64, memory: 512GiB, cpuModel: EPYC-Milan, numaNodes: 2, zone: rack-a, reserved: { memory: 8GiB, cpus: 2 } }
  - { name: xen-s1, hypervisor: xen, uri: "xen+ssh://root@xen-s1/system", cpus: 32, memory: 256GiB, zone: rack-b, dom0: { memory: 8GiB, vcpus: 4, pin: true, balloon: false } }
networks:
  - { name: prod, mode: bridge, bridge: br0 }
pools:
  - { name: images, type: dir, path: /var/lib/libvirt/images }
vms:${VMS}`;

const HEAD_FLEET = `${FLEET}  - { name: added-1, vcpus: 1, memory: 2GiB, disks: [{ size: 10GiB, pool: images }], networks: [prod] }\n`;

/** The secret next to mistakes: an unknown key, a bad size, a dangling reference. */
const BROKEN_FLEET = FLEET.replace('    vcpus: 2\n    memory: 4GiB\n    hypervisor: kvm', '    vcpus: 2\n    memroy: 4GiB\n    memory: 4GB\n    hypervisor: kvm\n    migrationPool: nowhere');

/** A fleet that loads but fails a policy with severity error (virtio disk on a Xen guest). */
const POLICY_ERROR_FLEET = FLEET.replace('disks: [{ size: 20GiB, pool: images, bus: xen }]', 'disks: [{ size: 20GiB, pool: images, bus: virtio }]');

/** Forms a secret can take in output: as is, base64 at any alignment, JSON-escaped. */
function leakForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.from(`${'x'.repeat(offset)}${secret}`).toString('base64');
    // Drop the characters that also depend on the neighbouring bytes.
    forms.push(encoded.slice(Math.ceil((offset * 4) / 3) + 1, -4));
  }
  return forms.filter((form) => form.length >= 8);
}

const SECRETS = [PASSWORD, VNC_PASSWORD, ...KEY_LINES, PRIVATE_KEY.trim()];

function expectNoSecret(label: string, text: string): void {
  for (const secret of SECRETS) {
    for (const form of leakForms(secret)) {
      if (text.includes(form)) throw new Error(`${label} contains a secret (${secret.slice(0, 12)}… as '${form.slice(0, 16)}…')`);
    }
  }
}

function expectClean(label: string, result: CliResult): void {
  expectNoSecret(`${label} stdout`, result.stdout);
  expectNoSecret(`${label} stderr`, result.stderr);
}

interface TfJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

describe('secrets stay out of every output', () => {
  let dir: string;
  const path = (name: string): string => join(dir, name);
  const run = (argv: string[]): Promise<CliResult> => cli(argv, { cwd: dir, env: ENV });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyperplan-secrets-'));
    writeFileSync(path('fleet.yaml'), FLEET);
    writeFileSync(path('id_ed25519'), PRIVATE_KEY);
    for (const [name, text] of [['head', HEAD_FLEET], ['broken', BROKEN_FLEET], ['policy-error', POLICY_ERROR_FLEET]] as const) {
      mkdirSync(path(name));
      writeFileSync(join(path(name), 'fleet.yaml'), text);
      writeFileSync(join(path(name), 'id_ed25519'), PRIVATE_KEY);
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check in every format', async () => {
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const result = await run(['check', path('fleet.yaml'), '--format', format]);
      expect(result.code, result.stderr).toBe(0);
      expectClean(`check --format ${format}`, result);
    }
  });

  it('plan, the lock file, explain and drain', async () => {
    for (const format of ['text', 'json']) {
      const result = await run(['plan', path('fleet.yaml'), '--format', format, '--write-lock']);
      expect(result.code, result.stderr).toBe(0);
      expectClean(`plan --format ${format}`, result);
    }
    expectNoSecret('lock file', readFileSync(path('hyperplan.lock.json'), 'utf8'));
    expectClean('explain', await run(['explain', path('fleet.yaml'), 'web-1']));
    expectClean('drain', await run(['drain', path('fleet.yaml'), 'kvm-a1']));
  });

  it('synth: every file but the cloud-init user_data, which carries the password', async () => {
    const result = await run(['synth', path('fleet.yaml'), '--out', path('cdktf.out')]);
    expect(result.code, result.stderr).toBe(0);
    expectClean('synth', result);
    let carried = false;
    for (const [file, text] of Object.entries(readTree(path('cdktf.out')))) {
      if (!file.endsWith('.json')) {
        expectNoSecret(file, text);
        continue;
      }
      const json = JSON.parse(text) as TfJson;
      for (const disk of Object.values(json.resource?.['libvirt_cloudinit_disk'] ?? {})) {
        const userData = disk['user_data'];
        if (typeof userData === 'string' && userData.includes(PASSWORD)) carried = true;
        delete disk['user_data'];
      }
      expectNoSecret(file, JSON.stringify(json));
    }
    expect(carried, 'the cloud-init password reaches user_data').toBe(true);
  });

  it('review in Markdown and JSON', async () => {
    expect((await run(['synth', path('fleet.yaml'), '--out', path('base.out')])).code).toBe(0);
    expect((await run(['synth', join(path('head'), 'fleet.yaml'), '--out', path('head.out')])).code).toBe(0);
    for (const format of ['markdown', 'json']) {
      const result = await run(['review', '--base-dir', path('base.out'), '--head-dir', path('head.out'), '--format', format, '--out', path(`review.${format}`)]);
      expect(result.code, result.stderr).toBe(0);
      expectClean(`review --format ${format}`, result);
      expectNoSecret(`review.${format}`, readFileSync(path(`review.${format}`), 'utf8'));
    }
  });

  it('libvirt XML', async () => {
    const result = await run(['xml', path('fleet.yaml'), '--out', path('xml')]);
    expect(result.code, result.stderr).toBe(0);
    expectClean('xml', result);
    for (const [file, text] of Object.entries(readTree(path('xml')))) expectNoSecret(`xml/${file}`, text);
  });

  it('error paths: a fleet with the secrets and mistakes, and a policy error', async () => {
    const broken = join(path('broken'), 'fleet.yaml');
    for (const argv of [['check', broken], ['check', broken, '--format', 'json'], ['plan', broken], ['synth', broken, '--out', path('never.out')], ['xml', broken, '--out', path('never.xml')]]) {
      const result = await run(argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(2);
      expectClean(argv.join(' '), result);
    }
    const policyError = join(path('policy-error'), 'fleet.yaml');
    for (const argv of [['check', policyError], ['synth', policyError, '--out', path('never.out')]]) {
      const result = await run(argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(1);
      expectClean(argv.join(' '), result);
    }
  });
});
