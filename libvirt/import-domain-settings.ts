/**
 * `<clock>`, `<os><boot dev>` and `<vcpu placement cpuset>` → the fleet's `clock`, `bootDevices`,
 * `vcpuPlacement` and `cpuset`. What libvirt writes by default (offset utc without timers, boot from hd,
 * placement static) is consumed without a key; whatever the fleet's schema would not take (an attribute on
 * a timer that does not have it) stays unconsumed and is reported dropped.
 */
import { BOOT_DEVICES, CPUSET_PATTERN, type BootDevice } from '../fleet/domain-settings';
import { clockSchema, type VmInput } from '../fleet/schema';
import { all, type Consumption, first } from './import-support';
import type { XmlNode } from './xml-read';

export type DomainSettingFields = Pick<VmInput, 'clock' | 'bootDevices' | 'vcpuPlacement' | 'cpuset'>;

const INTEGER = /^[-+]?\d+$/;
const UNSIGNED = /^\d+$/;

/** A whole number attribute, or undefined (left for the schema to refuse) when it is not one. */
function integer(text: string | undefined, pattern = INTEGER): number | string | undefined {
  if (text === undefined) return undefined;
  return pattern.test(text) ? Number(text) : text;
}

function timerOf(timer: XmlNode): Record<string, unknown> {
  const { name, tickpolicy, present, track, frequency, mode } = timer.attributes;
  const catchup = first(timer, 'catchup');
  const catchupValues = catchup
    ? Object.fromEntries((['threshold', 'slew', 'limit'] as const).filter((k) => catchup.attributes[k] !== undefined).map((k) => [k, integer(catchup.attributes[k], UNSIGNED)]))
    : undefined;
  return {
    name,
    ...(tickpolicy !== undefined ? { tickPolicy: tickpolicy } : {}),
    ...(catchupValues ? { catchup: catchupValues } : {}),
    ...(present !== undefined ? { present: present === 'yes' ? true : present === 'no' ? false : present } : {}),
    ...(track !== undefined ? { track } : {}),
    ...(frequency !== undefined ? { frequency: integer(frequency, UNSIGNED) } : {}),
    ...(mode !== undefined ? { mode } : {}),
  };
}

/** `<clock>`: kept whole when the fleet's clock schema takes it, else left to be reported dropped. */
function importClock(domain: XmlNode, used: Consumption): Pick<DomainSettingFields, 'clock'> {
  const clock = first(domain, 'clock');
  if (!clock) return {};
  const { offset, timezone, adjustment, basis, start } = clock.attributes;
  const timers = all(clock, 'timer');
  // Only timers are children of <clock> (domaincommon.rng); anything else is not a clock the fleet knows.
  if (clock.children.some((c) => c.name !== 'timer') || timers.some((t) => t.children.some((c) => c.name !== 'catchup'))) return {};
  const candidate = {
    offset: offset ?? 'utc',
    ...(timezone !== undefined ? { timezone } : {}),
    ...(adjustment !== undefined ? { adjustment: adjustment === 'reset' ? 'reset' : integer(adjustment) } : {}),
    ...(basis !== undefined ? { basis } : {}),
    ...(start !== undefined ? { start: integer(start, UNSIGNED) } : {}),
    ...(timers.length > 0 ? { timers: timers.map(timerOf) } : {}),
  };
  const parsed = clockSchema.safeParse(candidate);
  if (!parsed.success) return {};
  used.useAll(clock);
  // libvirt's default (formatdomain "Time keeping": utc) needs no key.
  const isDefault = parsed.data.offset === 'utc' && Object.keys(parsed.data).length === 1;
  return isDefault ? {} : { clock: parsed.data };
}

/** `<os><boot dev>`: the firmware's boot order; a single `hd` is libvirt's default and the fleet's. */
function importBootDevices(domain: XmlNode, used: Consumption): Pick<DomainSettingFields, 'bootDevices'> {
  const boots = all(first(domain, 'os'), 'boot');
  const devices = boots.map((b) => b.attributes.dev ?? '');
  if (boots.length === 0 || !devices.every((d) => (BOOT_DEVICES as readonly string[]).includes(d))) return {};
  for (const boot of boots) used.use(boot, 'dev');
  return devices.length === 1 && devices[0] === 'hd' ? {} : { bootDevices: devices as BootDevice[] };
}

/** `<vcpu placement cpuset>`: static is libvirt's default placement. */
function importVcpuPlacement(domain: XmlNode, used: Consumption): Pick<DomainSettingFields, 'vcpuPlacement' | 'cpuset'> {
  const vcpu = first(domain, 'vcpu');
  if (!vcpu) return {};
  const { placement, cpuset } = vcpu.attributes;
  const out: { vcpuPlacement?: 'auto'; cpuset?: string } = {};
  if (placement === 'static') used.use(vcpu, 'placement');
  if (placement === 'auto') {
    out.vcpuPlacement = 'auto';
    used.use(vcpu, 'placement');
  }
  if (cpuset !== undefined && CPUSET_PATTERN.test(cpuset)) {
    out.cpuset = cpuset;
    used.use(vcpu, 'cpuset');
  }
  return out;
}

export function importDomainSettings(domain: XmlNode, used: Consumption): DomainSettingFields {
  return { ...importClock(domain, used), ...importBootDevices(domain, used), ...importVcpuPlacement(domain, used) };
}
