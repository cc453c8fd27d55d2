/**
 * Domain-level settings an existing guest may have beyond hyperplan's defaults, kept so an adopted domain
 * renders as libvirt had it: the clock (offset and timers), the `<os><boot dev>` order, and where the
 * vCPUs run (`<vcpu placement cpuset>`). The values are libvirt's, from its domain schema
 * (src/conf/schemas/domaincommon.rng in libvirt 9.0.0: `clock`, `timer`, `tickpolicy`, `osbootdev`,
 * `vcpu`) and formatdomain.rst ("Time keeping", "BIOS bootloader", "CPU Allocation").
 */

/** `<clock offset>`: the guest RTC's relation to the host clock. libvirt's default is utc. */
export const CLOCK_OFFSETS = ['utc', 'localtime', 'timezone', 'variable', 'absolute'] as const;
export type ClockOffset = (typeof CLOCK_OFFSETS)[number];
/** `<clock offset='variable' basis>`. */
export const CLOCK_BASES = ['utc', 'localtime'] as const;
export type ClockBasis = (typeof CLOCK_BASES)[number];
/** `<timer name>`. */
export const TIMER_NAMES = ['platform', 'rtc', 'tsc', 'hpet', 'pit', 'armvtimer', 'kvmclock', 'hypervclock'] as const;
export type TimerName = (typeof TIMER_NAMES)[number];
/** `<timer tickpolicy>`. */
export const TICK_POLICIES = ['delay', 'catchup', 'merge', 'discard'] as const;
/** `<timer track>` (platform and rtc only). */
export const TIMER_TRACKS = ['boot', 'guest', 'wall', 'realtime'] as const;
/** `<timer mode>` (tsc only). */
export const TIMER_MODES = ['auto', 'native', 'emulate', 'paravirt', 'smpsafe'] as const;
/** `<os><boot dev>`: the devices the firmware tries, in order. */
export const BOOT_DEVICES = ['hd', 'cdrom', 'network', 'fd'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];
/** `<vcpu placement>`: static (the cpuset, or every host CPU) or auto (numad's advice). libvirt's default: static. */
export const VCPU_PLACEMENTS = ['static', 'auto'] as const;
export type VcpuPlacement = (typeof VCPU_PLACEMENTS)[number];
/** libvirt's cpuset syntax: CPU numbers and ranges, `^N` excluding one (formatdomain "CPU Allocation"). */
export const CPUSET_PATTERN = /^\^?\d+(-\d+)?(,\^?\d+(-\d+)?)*$/;

/** `<catchup>` of a timer with tickpolicy catchup. */
export interface TimerCatchup {
  readonly threshold?: number;
  readonly slew?: number;
  readonly limit?: number;
}

export interface ClockTimerSetting {
  readonly name: TimerName;
  readonly tickPolicy?: (typeof TICK_POLICIES)[number];
  readonly catchup?: TimerCatchup;
  readonly present?: boolean;
  readonly track?: (typeof TIMER_TRACKS)[number];
  readonly frequency?: number;
  readonly mode?: (typeof TIMER_MODES)[number];
}

/** A VM's `<clock>` as the fleet writes it. */
export interface ClockSetting {
  readonly offset: ClockOffset;
  /** offset timezone: the zone, e.g. Europe/Paris. */
  readonly timezone?: string;
  /** utc/localtime: seconds, or `reset`; variable: seconds. */
  readonly adjustment?: number | 'reset';
  /** offset variable: what the adjustment is relative to. */
  readonly basis?: ClockBasis;
  /** offset absolute: the epoch second the guest clock starts at. */
  readonly start?: number;
  readonly timers?: readonly ClockTimerSetting[];
}
