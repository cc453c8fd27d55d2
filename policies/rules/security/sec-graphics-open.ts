import type { Rule } from '../../rule';
import { findingsEach } from '../helpers';
import { SRC } from '../sources';

const ALL_ADDRESSES: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]']);

export const secGraphicsOpen: Rule = {
  id: 'SEC-GRAPHICS-OPEN',
  pack: 'security',
  severity: 'error',
  summary: 'VNC/SPICE consoles listening on all addresses have a password',
  rationale:
    'QEMU\'s security model treats VNC/SPICE as an untrusted interface; a console on 0.0.0.0 without authentication gives anyone ' +
    'who reaches the host keyboard and screen of the guest. Nova\'s migration docs warn about exactly this.',
  sources: [SRC.qemuSecurity, SRC.novaMigrations],
  check: (ctx) =>
    findingsEach(ctx.fleet.vms, (vm) =>
      vm.graphics && ALL_ADDRESSES.has(vm.graphics.listen) && !vm.graphics.password
        ? {
            target: `vms[${vm.name}].graphics`,
            message: `${vm.name} exposes its ${vm.graphics.type} console on ${vm.graphics.listen} without a password; listen on 127.0.0.1 (tunnel over SSH) or set graphics.password from \${env:…}`,
          }
        : undefined),
};
