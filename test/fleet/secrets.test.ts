import { describe, it, expect } from 'vitest';
import { formatProblem, loadFleetFromString, Secret } from '../../fleet/index';
import type { Fleet } from '../../fleet/index';
import { BASE_FLEET, problemLines } from './helpers';

const SECRET_VALUE = 'hunter2-do-not-print';

function withVmLines(lines: string): string {
  return BASE_FLEET.replace('    migrationPool: mp\n', `    migrationPool: mp\n${lines}`);
}

function load(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}): Fleet {
  const result = loadFleetFromString(text, '/fleets/f.yaml', {
    env,
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return content;
    },
  });
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.fleet;
}

describe('secrets', () => {
  it('resolves ${env:NAME} into a Secret that prints as a placeholder', () => {
    const fleet = load(withVmLines('    graphics: { type: vnc, password: "${env:VNC_PASSWORD}" }\n'), { VNC_PASSWORD: SECRET_VALUE });
    const password = fleet.vms[0]?.graphics?.password;
    expect(password).toBeInstanceOf(Secret);
    expect(password?.origin).toBe('env:VNC_PASSWORD');
    expect(password?.reveal()).toBe(SECRET_VALUE);
    expect(JSON.stringify(fleet)).not.toContain(SECRET_VALUE);
    expect(String(password)).toBe('[secret]');
  });

  it('resolves ${file:path} relative to the fleet file, without the trailing newline', () => {
    const fleet = load(withVmLines('    cloudInit: { password: "${file:secrets/root.txt}" }\n'), {}, { '/fleets/secrets/root.txt': `${SECRET_VALUE}\n` });
    expect(fleet.vms[0]?.cloudInit?.password?.origin).toBe('file:secrets/root.txt');
    expect(fleet.vms[0]?.cloudInit?.password?.reveal()).toBe(SECRET_VALUE);
  });

  it('wraps plain-text passwords as inline secrets (policies flag them)', () => {
    const fleet = load(withVmLines(`    cloudInit: { password: ${SECRET_VALUE} }\n`));
    expect(fleet.vms[0]?.cloudInit?.password?.origin).toBe('inline');
  });

  it('resolves references in remote backend settings and keeps other settings as written', () => {
    const text = BASE_FLEET.replace(
      '  - { name: site, hosts: [kvm-1, xen-1] }',
      '  - { name: site, hosts: [kvm-1, xen-1], backend: { type: s3, bucket: tf-state, key: site.tfstate, secretKey: "${env:AWS_SECRET}" } }',
    );
    const backend = load(text, { AWS_SECRET: SECRET_VALUE }).stacks[0]?.backend;
    expect(backend?.type).toBe('s3');
    expect(backend?.config.bucket).toBe('tf-state');
    expect((backend?.config.secretKey as Secret).origin).toBe('env:AWS_SECRET');
  });

  it('names the missing variable or file, never a value', () => {
    const text = withVmLines('    graphics: { type: vnc, password: "${env:VNC_PASSWORD}" }\n    cloudInit: { password: "${file:nope.txt}" }\n');
    expect(problemLines(text, { readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); } })).toEqual([
      'f.yaml:30:38: vms[0].graphics.password: environment variable VNC_PASSWORD is not set',
      "f.yaml:31:28: vms[0].cloudInit.password: cannot read secret file 'nope.txt' (ENOENT)",
    ]);
  });

  it('rejects unknown secret sources and references outside secret fields', () => {
    const text = withVmLines('    cloudInit: { password: "${vault:db}", sshKeys: ["${env:KEY}"] }\n');
    expect(problemLines(text)).toEqual([
      "f.yaml:30:28: vms[0].cloudInit.password: unknown secret source 'vault'; use ${env:NAME} or ${file:path}",
      'f.yaml:30:53: vms[0].cloudInit.sshKeys[0]: secret references are only allowed in cloudInit.password, graphics.password and stack backend settings',
    ]);
  });

  it('never echoes a value of a secret field in a problem', () => {
    const cases = [
      withVmLines(`    graphics: { type: vnc, password: [${SECRET_VALUE}] }\n`),
      withVmLines(`    graphics: { type: vnc, password: { ${SECRET_VALUE}: 1 } }\n`),
      withVmLines(`    cloudInit: { password: ${SECRET_VALUE}, sshKey: x }\n    memory: 4096\n`),
      BASE_FLEET.replace('  - { name: site, hosts: [kvm-1, xen-1] }', `  - { name: site, hosts: [kvm-1], backend: { type: ftp, password: ${SECRET_VALUE} } }`),
      BASE_FLEET.replace('  - { name: site, hosts: [kvm-1, xen-1] }', `  - { name: site, hosts: [kvm-1], backend: { type: local, password: ${SECRET_VALUE} } }`),
    ];
    for (const text of cases) {
      const lines = problemLines(text);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(SECRET_VALUE);
    }
  });
});
