import { defaultStatePath } from '../../../fleet/normalize';
import type { Rule, RuleResult } from '../../rule';
import { SRC } from '../sources';

export const secSecretLocalState: Rule = {
  id: 'SEC-SECRET-LOCAL-STATE',
  pack: 'security',
  severity: 'warning',
  summary: 'A stack whose VMs have passwords keeps its Terraform state in an encrypted remote backend, not a local file',
  rationale:
    'Sensitive variables keep passwords out of the synthesized JSON and the plan output, but Terraform state stores every value in ' +
    'plain text, sensitive or not: the cloud-init user data with the password filled in, console passwords. A local state file sits ' +
    'unencrypted on whichever machine or CI runner applied it. Use a remote backend that encrypts and controls access (s3 with ' +
    'encrypt: true and a KMS key, pg with TLS and database permissions).',
  sources: [SRC.terraformSensitiveState, SRC.terraformS3Backend, SRC.terraformPgBackend],
  check: (ctx) => {
    const { fleet, placement } = ctx;
    // Without declared stacks there is one stack per hypervisor kind, with local state.
    const stackOf = (host: string): { name: string; local: boolean; path: string } | undefined => {
      if (fleet.stacks.length === 0) {
        const kind = ctx.hosts.get(host)?.hypervisor;
        return kind === undefined ? undefined : { name: kind, local: true, path: defaultStatePath(kind) };
      }
      const spec = fleet.stacks.find((s) => s.hosts.includes(host));
      if (spec === undefined) return undefined;
      const path = typeof spec.backend.config.path === 'string' ? spec.backend.config.path : defaultStatePath(spec.name);
      return { name: spec.name, local: spec.backend.type === 'local', path };
    };
    const byStack = new Map<string, { path: string; vms: string[] }>();
    for (const vm of fleet.vms) {
      if (vm.cloudInit?.password === undefined && vm.graphics?.password === undefined) continue;
      const host = placement.placements[vm.name];
      const stack = host === undefined ? undefined : stackOf(host);
      if (!stack?.local) continue;
      const entry = byStack.get(stack.name) ?? { path: stack.path, vms: [] };
      entry.vms.push(vm.name);
      byStack.set(stack.name, entry);
    }
    return [...byStack.entries()].map(
      ([name, { path, vms }]): RuleResult => ({
        target: `stacks[${name}]`,
        message:
          `stack ${name} keeps its state in the local file ${path}, which will hold the passwords of ${vms.join(', ')} in plain text; ` +
          'declare it under stacks with an encrypted remote backend (backend: { type: s3, encrypt: true, … } or { type: pg, … })',
      }),
    );
  },
};
