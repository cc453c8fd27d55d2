import type { Rule, RuleResult } from '../../rule';
import { judgedOn } from '../helpers';
import { SRC } from '../sources';

/** The timers libxl configures (tsc: its mode; hpet: HVM only); it refuses every other one. */
const LIBXL_TIMERS: ReadonlySet<string> = new Set(['tsc', 'hpet']);

export const xenClock: Rule = {
  id: 'XEN-CLOCK',
  pack: 'xen',
  severity: 'error',
  summary: 'Xen guest clocks: offset utc, localtime or variable, and only the tsc and (HVM) hpet timers',
  rationale:
    "libvirt's libxl driver turns the clock into libxl's localtime and rtc_timeoffset: offset variable (adjustment and basis), localtime and utc; " +
    'it refuses offset timezone ("unsupported clock offset") and absolute ("unexpected clock offset"). Of the timers it sets the tsc mode and, ' +
    'on HVM guests, the HPET; platform, kvmclock, hypervclock, rtc, pit and armvtimer, and an HPET on a PV/PVH guest, make it refuse to start ' +
    'the domain ("unsupported timer type"; libxl_conf.c, libxlMakeDomBuildInfo).',
  sources: [SRC.libvirtLibxlConf, SRC.libvirtTimekeeping],
  check: (ctx) => {
    const findings: RuleResult[] = [];
    // A loop: nearly every guest has no clock of its own, and `flatMap` made an empty array for each. Indexed:
    // a `for…of` loop not yet optimized makes an iteration result per VM.
    const judged = judgedOn(ctx, 'xen');
    for (let i = 0; i < judged.length; i += 1) {
      const j = judged[i]!;
      const clock = j.effective.clock;
      if (!clock) continue;
      if (clock.offset === 'timezone' || clock.offset === 'absolute') {
        findings.push({ target: `${j.target}.clock`, message: `${j.vm.name} has clock offset ${clock.offset}, which libxl cannot give a guest; use utc, localtime or variable (adjustment in seconds)` });
      }
      const hvm = j.effective.guestType === 'hvm';
      clock.timers.forEach((timer, index) => {
        if (LIBXL_TIMERS.has(timer.name) && (timer.name !== 'hpet' || hvm)) return;
        const why = timer.name === 'hpet' ? `an HPET is an HVM device and ${j.vm.name} is ${String(j.effective.guestType).toUpperCase()}` : `libxl sets only the tsc and hpet timers`;
        findings.push({ target: `${j.target}.clock.timers[${index}]`, message: `timer ${timer.name} of ${j.vm.name} would stop the Xen domain from starting (${why}); remove it` });
      });
    }
    return findings;
  },
};
