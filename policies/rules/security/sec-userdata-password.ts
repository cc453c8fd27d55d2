import type { Rule } from '../../rule';
import { findingsEach } from '../helpers';
import { SRC } from '../sources';

/** cloud-config keys that set passwords: `password:`, `plain_text_passwd:`, the `chpasswd` module. */
const PASSWORD_KEYS = /^\s*(?:password|plain_text_passwd)\s*:|\bchpasswd\b/m;

export const secUserdataPassword: Rule = {
  id: 'SEC-USERDATA-PASSWORD',
  pack: 'security',
  severity: 'warning',
  summary: 'cloud-init user data sets no passwords in plain text',
  rationale:
    'cloud-init\'s set-passwords (password, chpasswd) writes the password into user data, which libvirt stores on a readable ' +
    'config drive and Terraform keeps in state. Prefer SSH keys; if a password is needed use cloudInit.password from a secret.',
  sources: [SRC.cloudInitPasswords],
  check: (ctx) =>
    findingsEach(ctx.fleet.vms, (vm) =>
      vm.cloudInit?.userData !== undefined && PASSWORD_KEYS.test(vm.cloudInit.userData)
        ? {
            target: `vms[${vm.name}].cloudInit.userData`,
            message: `${vm.name}'s cloud-init user data sets a password (password:/chpasswd); use sshKeys, or cloudInit.password from \${env:…}`,
          }
        : undefined),
};
