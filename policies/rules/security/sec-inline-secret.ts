import type { Rule, RuleResult } from '../../rule';
import { SRC } from '../sources';

/** `Secret.origin` of a value written in plain text in the fleet file. */
const INLINE = 'inline';

export const secInlineSecret: Rule = {
  id: 'SEC-INLINE-SECRET',
  pack: 'security',
  severity: 'error',
  summary: 'Passwords (cloud-init, console) come from ${env:…} or ${file:…}, not plain text in the fleet file',
  rationale:
    'A password written in the fleet file is in version control, in every review diff and in CI logs; reference it from the ' +
    'environment or a file outside the repository instead.',
  sources: [SRC.cloudInitPasswords, SRC.qemuSecurity],
  check: (ctx) => {
    // One list for every VM rather than one per VM for `flatMap` to join: most have no secret at all.
    const results: RuleResult[] = [];
    const { vms } = ctx.fleet;
    // Indexed: a `for…of` loop not yet optimized makes an iteration result per VM.
    for (let i = 0; i < vms.length; i += 1) {
      const vm = vms[i]!;
      if (vm.cloudInit?.password?.origin === INLINE) {
        results.push({ target: `vms[${vm.name}].cloudInit.password`, message: `${vm.name} has a plain-text cloud-init password in the fleet file; use password: \${env:NAME} or \${file:path}` });
      }
      if (vm.graphics?.password?.origin === INLINE) {
        results.push({ target: `vms[${vm.name}].graphics.password`, message: `${vm.name} has a plain-text console password in the fleet file; use password: \${env:NAME} or \${file:path}` });
      }
    }
    return results;
  },
};
