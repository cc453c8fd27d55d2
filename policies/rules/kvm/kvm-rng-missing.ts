import type { Rule } from '../../rule';
import { judgedOn, findingsEach } from '../helpers';
import { SRC } from '../sources';

export const kvmRngMissing: Rule = {
  id: 'KVM-RNG-MISSING',
  pack: 'kvm',
  severity: 'info',
  summary: 'KVM guests have a virtio RNG device',
  rationale: 'A virtio-rng device feeds host entropy (/dev/urandom) to the guest, so early-boot key generation (SSH host keys, TLS) does not starve.',
  sources: [SRC.libvirtRng],
  check: (ctx) =>
    findingsEach(judgedOn(ctx, 'kvm'), (j) =>
      j.effective.rng ? undefined : { target: j.target, message: `${j.vm.name} has rng: false; remove it (virtio RNG is the default) unless the guest cannot use it` }),
};
