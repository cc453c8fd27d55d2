/**
 * The canary test: a fleet with a canary value in every secret field (cloud-init password and console
 * password from the environment, a console password and a private key from a file, a backend password),
 * and every command and format a user or CI sees — synth output files and host-prep scripts, check in
 * text/json/sarif/markdown, plan, the lock file, explain, drain, libvirt XML, review in Markdown and JSON
 * from git refs, from two cdktf.out folders and from a `terraform show -json` plan, and the error messages
 * and progress on stderr — is searched for every canary, as is, JSON-escaped and base64-encoded at any
 * alignment. One hit fails. Secrets reach Terraform only as sensitive variables (TF_VAR_…).
 *
 * Also here: untrusted fleets (paths out of the repository, user data that is not cloud-config) get
 * located errors with exit 2, no stack trace and none of the file's content.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliResult } from '../support/cli';
import { gitRepo } from '../support/git-repo';
import { readTree } from '../support/tree';

const CANARY = {
  root: 'CANARY-root-Pa55w0rd',
  rootHead: 'CANARY-root-Head-Pa55',
  vnc: 'CANARY-vnc-Zz9q',
  pg: 'CANARY-pg-conn-7Yt',
  outside: 'CANARY-outside-file-Qw3',
  script: 'CANARY-script-userdata-Lk8',
  inline: 'CANARY-inline-Pa55-Rt6',
  plan: 'CANARY-plan-Pa55-Vb2',
} as const;
const KEY_LINES = [
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACBfakeKeyMaterialOnlyForHyperplanSecretsTestsXYZ0123456789ab',
];
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_LINES.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
const SECRETS: readonly string[] = [...Object.values(CANARY), ...KEY_LINES];
/** Content of a user data file outside the repository: not a secret field, but never quoted in a message. */
const OUTSIDE_USER_DATA = 'OUTSIDE-USER-DATA-CONTENT-Hq4';
const FINGERPRINT_KEY = 'test-fingerprint-key-0123456789abcdef';
const ENV = {
  HP_ROOT: CANARY.root,
  HP_ROOT_HEAD: CANARY.rootHead,
  HP_VNC: CANARY.vnc,
  HP_PG: `postgres://tf:${CANARY.pg}@db/tf`,
  HYPERPLAN_FINGERPRINT_KEY: FINGERPRINT_KEY,
  HYPERPLAN_ALLOW_PATHS: '',
};

const HOSTS = `apiVersion: hyperplan/v1
hosts:
  - { name: kvm-a1, hypervisor: kvm, uri: "qemu+ssh://root@kvm-a1/system", cpus: 64, memory: 512GiB, zone: rack-a, reserved: { memory: 8GiB, cpus: 2 } }
  - { name: xen-s1, hypervisor: xen, uri: "xen+ssh://root@xen-s1/system", cpus: 32, memory: 256GiB, zone: rack-b, dom0: { memory: 8GiB, vcpus: 4, pin: true, balloon: false } }
networks:
  - { name: prod, mode: bridge, bridge: br0 }
pools:
  - { name: images, type: dir, path: /var/lib/libvirt/images }
`;

function fleetText(options: { rootVar?: string; userData?: string; extraVm?: boolean } = {}): string {
  return `${HOSTS}vms:
  - name: web-1
    vcpus: 2
    memory: 4GiB
    hypervisor: kvm
    disks: [{ size: 20GiB, pool: images, image: /var/lib/libvirt/images/debian-12.qcow2 }]
    networks: [prod]
    cloudInit:
      sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpsKeyForTests ops"]
      password: "\${env:${options.rootVar ?? 'HP_ROOT'}}"
      userData: ${options.userData ?? 'cloud-init/web.yaml'}
    graphics: { type: vnc, password: "\${env:HP_VNC}" }
  - name: app-1
    vcpus: 2
    memory: 4GiB
    hypervisor: xen
    guestType: pvh
    disks: [{ size: 20GiB, pool: images, bus: xen }]
    networks: [prod]
    graphics: { type: vnc, password: "\${file:./secrets/id_ed25519}" }
${options.extraVm ? '  - { name: added-1, vcpus: 1, memory: 2GiB, hypervisor: kvm, disks: [{ size: 10GiB, pool: images }], networks: [prod] }\n' : ''}stacks:
  - { name: site, hosts: [kvm-a1, xen-s1], backend: { type: pg, connStr: "\${env:HP_PG}" } }
`;
}

const USER_DATA = '#cloud-config\npackages: [nginx]\nruncmd: ["echo ${HOME}"]\n';

/** Forms a secret can take in output: as is, JSON-escaped, base64 at any alignment. */
function leakForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.from(`${'x'.repeat(offset)}${secret}`).toString('base64');
    // Drop the characters that also depend on the neighbouring bytes.
    forms.push(encoded.slice(Math.ceil((offset * 4) / 3) + 1, -4));
  }
  return forms.filter((form) => form.length >= 8);
}

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
  expect(result.stderr, label).not.toMatch(/internal error|\n\s+at /);
}

function expectTreeClean(label: string, dir: string): void {
  for (const [file, text] of Object.entries(readTree(dir))) expectNoSecret(`${label}/${file}`, text);
}

interface TfJson {
  variable?: Record<string, Record<string, unknown>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
}

describe('canaries in every secret field stay out of every output', () => {
  let dir: string;
  const path = (...parts: string[]): string => join(dir, ...parts);
  const run = (argv: string[], env: Record<string, string> = {}): Promise<CliResult> => cli(argv, { cwd: dir, env: { ...ENV, ...env }, interactive: true });
  const writeFleet = (folder: string, text: string): string => {
    mkdirSync(path(folder, 'secrets'), { recursive: true });
    mkdirSync(path(folder, 'cloud-init'), { recursive: true });
    writeFileSync(path(folder, 'secrets', 'id_ed25519'), PRIVATE_KEY);
    writeFileSync(path(folder, 'cloud-init', 'web.yaml'), USER_DATA);
    writeFileSync(path(folder, 'fleet.yaml'), text);
    return path(folder, 'fleet.yaml');
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyperplan-canary-'));
    writeFleet('base', fleetText());
    writeFleet('head', fleetText({ extraVm: true }));
    // A suppressed inline password is allowed through; an unsuppressed one stops synthesis.
    writeFleet('inline', fleetText().replace('password: "${env:HP_ROOT}"', `password: "${CANARY.inline}"`));
    writeFleet('broken', fleetText().replace('    vcpus: 2\n    memory: 4GiB\n    hypervisor: kvm', '    vcpus: 2\n    memroy: 4GiB\n    memory: 4GB\n    hypervisor: kvm\n    migrationPool: nowhere'));
    mkdirSync(path('outside'));
    writeFileSync(path('outside', 'secret.txt'), `${CANARY.outside}\n`);
    writeFileSync(path('outside', 'user-data.yaml'), `#cloud-config\nwrite_files: [{ path: /x, content: ${OUTSIDE_USER_DATA} }]\n`);
    writeFleet('escape', fleetText({ userData: '../outside/user-data.yaml' }).replace('${file:./secrets/id_ed25519}', '${file:../outside/secret.txt}'));
    writeFleet('absolute', fleetText().replace('${file:./secrets/id_ed25519}', `\${file:${path('outside', 'secret.txt')}}`));
    writeFleet('symlink', fleetText().replace('${file:./secrets/id_ed25519}', '${file:./secrets/linked.txt}'));
    symlinkSync(path('outside', 'secret.txt'), path('symlink', 'secrets', 'linked.txt'));
    writeFleet('script', fleetText({ userData: 'cloud-init/script.sh' }));
    writeFileSync(path('script', 'cloud-init', 'script.sh'), `#!/bin/sh\necho ${CANARY.script}\n`);
    writeFleet('list', fleetText({ userData: 'cloud-init/list.yaml' }));
    writeFileSync(path('list', 'cloud-init', 'list.yaml'), `#cloud-config\n- ${CANARY.script}\n`);
    writeFleet('invalid', fleetText({ userData: 'cloud-init/invalid.yaml' }));
    writeFileSync(path('invalid', 'cloud-init', 'invalid.yaml'), `#cloud-config\nkey: [${CANARY.script}\n`);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('synth: no file (stacks, manifest, host-prep scripts) carries a secret; each is a sensitive variable', async () => {
    const result = await run(['synth', path('base', 'fleet.yaml'), '--out', path('base.out')]);
    expect(result.code, result.stderr).toBe(0);
    expectClean('synth', result);
    expectTreeClean('base.out', path('base.out'));
    const json = JSON.parse(readFileSync(path('base.out', 'stacks', 'site', 'cdk.tf.json'), 'utf8')) as TfJson;
    expect(Object.keys(json.variable ?? {}).sort()).toEqual(['HP_ROOT', 'HP_VNC', 'file_secrets_id_ed25519']);
    for (const variable of Object.values(json.variable ?? {})) {
      expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
      expect(variable).not.toHaveProperty('default');
    }
    const seed = json.resource?.['libvirt_cloudinit_disk']?.['kvm_a1_web_1_cloudinit'];
    expect(seed?.['user_data']).toContain('password: ${jsonencode(var.HP_ROOT)}\n');
    // Literal `${` in user data is escaped, so Terraform does not read it as an interpolation.
    expect(seed?.['user_data']).toContain('echo $${HOME}');
    expect(json.terraform?.backend).toEqual({ pg: {} });
    expect(result.stdout).toContain('needs TF_VAR_HP_ROOT (sensitive, from env:HP_ROOT; vms[web-1].cloudInit.password)');
    expect(result.stdout).toContain('needs TF_VAR_file_secrets_id_ed25519 (sensitive, from file:./secrets/id_ed25519; vms[app-1].graphics.password)');
    expect(result.stdout).toContain('backend secrets left out of the backend block: conn_str');
  });

  it('synth: same input, same bytes; a changed secret changes only its fingerprint', async () => {
    expect((await run(['synth', path('base', 'fleet.yaml'), '--out', path('again.out')])).code).toBe(0);
    expect(readTree(path('again.out'))).toEqual(readTree(path('base.out')));
    expect((await run(['synth', path('base', 'fleet.yaml'), '--out', path('changed.out')], { HP_ROOT: CANARY.rootHead })).code).toBe(0);
    const before = readTree(path('base.out'));
    const after = readTree(path('changed.out'));
    const differing = Object.keys(before).filter((file) => before[file] !== after[file]);
    expect(differing).toEqual(['stacks/site/cdk.tf.json']);
    expectTreeClean('changed.out', path('changed.out'));
  });

  it('check in every format, plan, the lock file, explain, drain and xml', async () => {
    const fleet = path('base', 'fleet.yaml');
    for (const format of ['text', 'json', 'sarif', 'markdown']) expectClean(`check --format ${format}`, await run(['check', fleet, '--format', format]));
    for (const format of ['text', 'json']) {
      const result = await run(['plan', fleet, '--format', format, '--write-lock']);
      expect(result.code, result.stderr).toBe(0);
      expectClean(`plan --format ${format}`, result);
    }
    expectNoSecret('lock file', readFileSync(path('base', 'hyperplan.lock.json'), 'utf8'));
    expectClean('explain', await run(['explain', fleet, 'web-1']));
    expectClean('drain', await run(['drain', fleet, 'kvm-a1']));
    const xml = await run(['xml', fleet, '--out', path('xml')]);
    expect(xml.code, xml.stderr).toBe(0);
    expectClean('xml', xml);
    expectTreeClean('xml', path('xml'));
  });

  it('review from two cdktf.out folders: a password change says the cloud-init content changed and the seed ISO is rebuilt', async () => {
    for (const format of ['markdown', 'json']) {
      const result = await run(['review', '--base-dir', path('base.out'), '--head-dir', path('changed.out'), '--format', format]);
      expect(result.code, result.stderr).toBe(0);
      expectClean(`review dirs --format ${format}`, result);
      expect(result.stdout).toMatch(/user_data: changed \(content hidden; digest [0-9a-f]{8} → [0-9a-f]{8}\)/);
      expect(result.stdout).toContain('a secret it uses changed (var.HP_ROOT)');
      expect(result.stdout).toContain('the seed ISO is rebuilt');
    }
  });

  it('review from git refs, in Markdown and JSON', async () => {
    mkdirSync(path('repo'));
    const { git, initWithBase } = gitRepo(path('repo'));
    writeFleet('repo', fleetText());
    initWithBase();
    writeFleet('repo', fleetText({ rootVar: 'HP_ROOT_HEAD', extraVm: true }));
    git('commit', '-q', '-am', 'head');
    for (const format of ['markdown', 'json']) {
      const result = await run(['review', '--base', 'HEAD~1', '--head', 'HEAD', path('repo', 'fleet.yaml'), '--format', format, '--out', path(`review.${format}`)]);
      expect(result.code, result.stderr).toBe(0);
      expectClean(`review git --format ${format}`, result);
      const text = readFileSync(path(`review.${format}`), 'utf8');
      expectNoSecret(`review.${format}`, text);
      expect(text).toContain('user_data: changed (content hidden');
    }
  });

  it('review from a terraform show -json plan that carries the values in clear', async () => {
    // Shape of `terraform show -json` (terraform 1.11): sensitive values are present and only flagged.
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: 'libvirt_cloudinit_disk.kvm_a1_web_1_cloudinit',
          mode: 'managed',
          type: 'libvirt_cloudinit_disk',
          name: 'kvm_a1_web_1_cloudinit',
          change: {
            actions: ['delete', 'create'],
            before: { name: 'web-1-cloudinit', meta_data: 'instance-id: web-1\n', user_data: `#cloud-config\npassword: "${CANARY.root}"\n` },
            after: { name: 'web-1-cloudinit', meta_data: 'instance-id: web-1\n', user_data: `#cloud-config\npassword: "${CANARY.plan}"\n` },
            after_unknown: { id: true, path: true },
            before_sensitive: { user_data: true },
            after_sensitive: { user_data: true },
            replace_paths: [['user_data']],
          },
        },
        {
          address: 'libvirt_domain.kvm_a1_web_1',
          mode: 'managed',
          type: 'libvirt_domain',
          name: 'kvm_a1_web_1',
          change: {
            actions: ['update'],
            // Not flagged: the attribute is known to carry a secret all the same.
            before: { name: 'web-1', running: true, devices: { graphics: [{ vnc: { passwd: CANARY.vnc } }] } },
            after: { name: 'web-1', running: true, devices: { graphics: [{ vnc: { passwd: CANARY.plan } }] } },
            after_unknown: {},
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ],
    };
    writeFileSync(path('plan.json'), JSON.stringify(plan));
    for (const [label, env] of [['keyed', {}], ['unkeyed', { HYPERPLAN_FINGERPRINT_KEY: '' }]] as const) {
      for (const format of ['markdown', 'json']) {
        const result = await run(['review', '--plan', path('plan.json'), '--format', format], env);
        expect(result.code, result.stderr).toBe(0);
        expectClean(`review --plan (${label}) --format ${format}`, result);
        expect(result.stdout).toContain('user_data: changed (content hidden');
        expect(result.stdout).toContain('devices.graphics[0].vnc.passwd: changed (content hidden');
        if (label === 'unkeyed') expect(result.stdout).not.toMatch(/digest [0-9a-f]{8}/);
        else expect(result.stdout).toMatch(/digest [0-9a-f]{8} → [0-9a-f]{8}/);
      }
    }
  });

  it('a plain-text password is an error finding (SEC-INLINE-SECRET) that names no value', async () => {
    const fleet = path('inline', 'fleet.yaml');
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const result = await run(['check', fleet, '--format', format]);
      expect(result.code).toBe(1);
      expectClean(`inline check --format ${format}`, result);
    }
    const result = await run(['synth', fleet, '--out', path('inline.out')]);
    expect(result.code).toBe(1);
    expectClean('inline synth', result);
  });

  it('error paths: mistakes next to the secrets', async () => {
    const broken = path('broken', 'fleet.yaml');
    for (const argv of [['check', broken], ['check', broken, '--format', 'json'], ['plan', broken], ['synth', broken, '--out', path('never.out')], ['xml', broken, '--out', path('never.xml')]]) {
      const result = await run(argv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(2);
      expectClean(argv.join(' '), result);
    }
  });

  it('paths out of the fleet repository are located errors naming the path, never the content; --allow-path lets them in', async () => {
    const cases: [string, RegExp[]][] = [
      ['escape', [/fleet\.yaml:\d+:\d+: vms\[0\]\.cloudInit\.userData: file '\.\.\/outside\/user-data\.yaml' is outside the fleet's repository/, /vms\[1\]\.graphics\.password: secret file '\.\.\/outside\/secret\.txt' is outside/]],
      ['absolute', [/vms\[1\]\.graphics\.password: secret file '\/.*\/outside\/secret\.txt' is outside the fleet's repository/]],
      ['symlink', [/vms\[1\]\.graphics\.password: secret file '\.\/secrets\/linked\.txt' is outside the fleet's repository/]],
    ];
    for (const [name, messages] of cases) {
      for (const command of ['check', 'synth']) {
        const result = await run([command, path(name, 'fleet.yaml'), ...(command === 'synth' ? ['--out', path(`${name}.out`)] : [])]);
        expect(result.code, `${name} ${command}: ${result.stderr}`).toBe(2);
        expectClean(`${name} ${command}`, result);
        for (const message of messages) expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toContain(OUTSIDE_USER_DATA);
        expect(result.stderr).toContain('--allow-path DIR or HYPERPLAN_ALLOW_PATHS');
      }
    }
    for (const allow of [['--allow-path', path('outside')], [`--allow-path=${path('outside')}`]]) {
      const result = await run(['synth', path('escape', 'fleet.yaml'), '--out', path('allowed.out'), ...allow]);
      expect(result.code, result.stderr).toBe(0);
      expectClean('synth --allow-path', result);
      expectTreeClean('allowed.out', path('allowed.out'));
    }
    const viaEnv = await run(['check', path('absolute', 'fleet.yaml')], { HYPERPLAN_ALLOW_PATHS: path('outside') });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  });

  it('user data that is not cloud-config, with keys or a password to add: located error from check and synth, no content', async () => {
    const cases: [string, string][] = [
      ['script', "its first line is not '#cloud-config'"],
      ['list', 'it is a list, not a YAML mapping'],
      ['invalid', 'it is not valid YAML (line'],
    ];
    for (const [name, why] of cases) {
      for (const command of ['check', 'synth']) {
        const result = await run([command, path(name, 'fleet.yaml'), ...(command === 'synth' ? ['--out', path(`${name}.out`)] : [])]);
        expect(result.code, `${name} ${command}: ${result.stderr}`).toBe(2);
        expectClean(`${name} ${command}`, result);
        expect(result.stderr).toMatch(new RegExp(`fleet\\.yaml:\\d+:\\d+: vms\\[0\\]\\.cloudInit\\.userData: user data must be cloud-config to add sshKeys or a password, but ${why.replace(/[()]/g, '\\$&')}`));
      }
    }
  });
});
