/**
 * A `libvirt_domain` configuration as provider v0.9.7 reads an *imported* domain back, so that the first
 * plan after `synth --adopt` changes nothing.
 *
 * After `ImportState` only `uuid` is in state, so Read converts the domain's XML with no plan
 * (internal/provider/domain_resource.go at v0.9.7, "Detect import": `DomainFromXML(ctx, parsedDomain,
 * nil)`), and the generated conversion then fills every attribute libvirt reports
 * (internal/codegen/templates/convert.go.tmpl: `if plan == nil` branches). A configuration that leaves
 * any of those out plans an in-place update setting it to null. What it fills beyond what hyperplan
 * renders for a new domain:
 * - the values libvirt writes into every definition it reports when the XML had none: `on_poweroff`
 *   destroy, `on_reboot` restart, `on_crash` destroy (formatdomain "Events configuration"), clock offset
 *   utc (formatdomain "Time keeping"), `<vcpu placement='static'>` (formatdomain "CPU allocation"),
 *   `currentMemory` equal to `memory` (src/conf/domain_postparse.c, virDomainDefPostParseMemory sets
 *   `cur_balloon` to the total), `<boot dev='hd'/>` for HVM guests with no boot order
 *   (domain_postparse.c, virDomainDefBootOrderPostParse), a disk's `device='disk'`, `<readonly/>` on
 *   every CD-ROM (domain_postparse.c: "Force CDROM to be listed as read only");
 * - memory and currentMemory in libvirt's unit, KiB (the XML's `<memory unit='KiB'>`);
 * - `false` for every presence boolean (an empty XML element) of each object it reads: the template's
 *   `IsPresenceBoolean` branch is `types.BoolValue(xml.X != nil)`, never null;
 * - a graphics device's `listen` address also as its first `<listen type='address'>` element, which
 *   libvirt creates from the attribute (src/conf/domain_conf.c, virDomainGraphicsListensParseXML: "If no
 *   <listen/> element was found in XML for backward compatibility we should try to parse 'listen'").
 * On a QEMU-driver host (`qemuDriver`), also what that driver adds to every definition (qemu-read-back.ts).
 * The importer (libvirt/import-domain.ts) keeps other event actions as the fleet's `onPoweroff`/`onReboot`/
 * `onCrash` (rendered as given) and consumes the other defaults only when they are exactly that, reporting
 * any other value as dropped, so what is filled in here is what the adopted domain has.
 */
import type {
  DomainConfig, DomainDevicesConsolesSource, DomainDevicesDisks, DomainDevicesGraphics, DomainDevicesInterfaces, DomainDevicesRngs,
  DomainDevicesSerialsSource, DomainFeatures,
} from './libvirt-bindings';
import { withQemuDriverDefaults } from './qemu-read-back';
import { LIBVIRT_EVENT_DEFAULTS } from '../fleet/vocabulary';

/** The domain attributes the read-back fills in. */
export type ReadBackAttributes = Pick<
  DomainConfig,
  'memory' | 'memoryUnit' | 'currentMemory' | 'currentMemoryUnit' | 'vcpuPlacement' | 'onPoweroff' | 'onReboot' | 'onCrash' | 'clock' | 'os' | 'features' | 'devices'
>;

const KIB_PER_MIB = 1024;

/** The boolean (presence) attributes of each object the provider reads; each is `false` when its element is absent. */
const CHARDEV_SOURCE_PRESENCE = { null: false, spiceVmc: false, stdIo: false, vc: false } as const;
const INTERFACE_SOURCE_PRESENCE = { null: false } as const;
const DISK_PRESENCE = { readOnly: false, shareable: false } as const;
const RNG_BACKEND_PRESENCE = { builtIn: false } as const;
const FEATURE_PRESENCE = { acpi: false, pae: false, privNet: false, viridian: false } as const;

/** libvirt's defaults it reports when the definition has none (see the header). */
export const LIBVIRT_REPORTED_DEFAULTS = {
  ...LIBVIRT_EVENT_DEFAULTS,
  clockOffset: 'utc',
  vcpuPlacement: 'static',
  bootDevice: 'hd',
  diskDevice: 'disk',
} as const;

function kib(value: number | undefined, unit: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return unit === 'MiB' ? value * KIB_PER_MIB : value;
}

function isList<T>(value: T[] | unknown): value is T[] {
  return Array.isArray(value);
}

/** `presence` under `values`: what the configuration sets wins. */
function withPresence<T extends object>(presence: Readonly<Record<string, boolean>>, values: T): T {
  return { ...presence, ...values };
}

function chardevs<S extends DomainDevicesConsolesSource | DomainDevicesSerialsSource, D extends { source?: S }>(devices: D[] | unknown): D[] | unknown {
  if (!isList<D>(devices)) return devices;
  return devices.map((device) => (device.source ? { ...device, source: withPresence(CHARDEV_SOURCE_PRESENCE, device.source) } : device));
}

/** Where the adopted domain lives. */
export interface ReadBackHost {
  /** The provider reaches libvirt's QEMU driver (qemu-read-back.ts `isQemuDriverUri`). */
  readonly qemuDriver: boolean;
}

/** A VNC or SPICE display with its `listen` address also as its first listener (see the header). */
function withListener(graphics: DomainDevicesGraphics): DomainDevicesGraphics {
  const listened = <D extends { listen?: string; listeners?: unknown }>(display: D): D =>
    display.listen !== undefined && display.listeners === undefined ? { ...display, listeners: [{ address: { address: display.listen } }] } : display;
  if (graphics.vnc) return { ...graphics, vnc: listened(graphics.vnc) };
  if (graphics.spice) return { ...graphics, spice: listened(graphics.spice) };
  return graphics;
}

/** The domain configuration as provider v0.9.7 reads the imported domain back. */
export function asReadBackAfterImport<C extends ReadBackAttributes>(config: C, host: ReadBackHost = { qemuDriver: false }): C {
  const readBack = driverIndependentReadBack(config);
  return host.qemuDriver ? withQemuDriverDefaults(readBack) : readBack;
}

function driverIndependentReadBack<C extends ReadBackAttributes>(config: C): C {
  const memoryKiB = kib(config.memory, config.memoryUnit)!;
  const currentKiB = kib(config.currentMemory, config.currentMemoryUnit) ?? memoryKiB;
  const devices = config.devices;
  const hvm = config.os?.type === 'hvm';
  return {
    ...config,
    memory: memoryKiB,
    memoryUnit: 'KiB',
    currentMemory: currentKiB,
    currentMemoryUnit: 'KiB',
    vcpuPlacement: config.vcpuPlacement ?? LIBVIRT_REPORTED_DEFAULTS.vcpuPlacement,
    onPoweroff: config.onPoweroff ?? LIBVIRT_REPORTED_DEFAULTS.onPoweroff,
    onReboot: config.onReboot ?? LIBVIRT_REPORTED_DEFAULTS.onReboot,
    onCrash: config.onCrash ?? LIBVIRT_REPORTED_DEFAULTS.onCrash,
    clock: config.clock ?? { offset: LIBVIRT_REPORTED_DEFAULTS.clockOffset },
    ...(config.os
      ? { os: hvm && config.os.bootDevices === undefined ? { ...config.os, bootDevices: [{ dev: LIBVIRT_REPORTED_DEFAULTS.bootDevice }] } : config.os }
      : {}),
    ...(config.features ? { features: withPresence<DomainFeatures>(FEATURE_PRESENCE, config.features) } : {}),
    ...(devices
      ? {
          devices: {
            ...devices,
            ...(isList<DomainDevicesDisks>(devices.disks)
              ? { disks: devices.disks.map((disk) => withPresence(DISK_PRESENCE, { device: LIBVIRT_REPORTED_DEFAULTS.diskDevice, ...disk, ...(disk.device === 'cdrom' ? { readOnly: true } : {}) })) }
              : {}),
            ...(isList<DomainDevicesInterfaces>(devices.interfaces)
              ? { interfaces: devices.interfaces.map((nic) => (nic.source ? { ...nic, source: withPresence(INTERFACE_SOURCE_PRESENCE, nic.source) } : nic)) }
              : {}),
            ...(isList<DomainDevicesRngs>(devices.rngs)
              ? { rngs: devices.rngs.map((rng) => (rng.backend ? { ...rng, backend: withPresence(RNG_BACKEND_PRESENCE, rng.backend) } : rng)) }
              : {}),
            ...(devices.consoles === undefined ? {} : { consoles: chardevs(devices.consoles) as typeof devices.consoles }),
            ...(devices.serials === undefined ? {} : { serials: chardevs(devices.serials) as typeof devices.serials }),
            ...(isList<DomainDevicesGraphics>(devices.graphics) ? { graphics: devices.graphics.map(withListener) } : {}),
          },
        }
      : {}),
  };
}
