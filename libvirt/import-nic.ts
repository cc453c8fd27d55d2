/**
 * `<interface>` → the fleet's NIC: a libvirt network or a host bridge (a bridge becomes a fleet network of
 * mode bridge), with model, MAC and virtio-net queues.
 */
import type { VmInput } from '../fleet/schema';
import { all, Consumption, first, isMac, NoteSink, type ImportHypervisor } from './import-support';
import type { XmlNode } from './xml-read';

export type NicInput = NonNullable<VmInput['networks']>[number];

/** Finds (or, from bare domain files, assumes) the fleet network behind a NIC's source. */
export interface NetworkResolver {
  network(name: string, line: number, sink: NoteSink): string | undefined;
  bridge(bridge: string, line: number, sink: NoteSink): string | undefined;
}

export interface NicContext {
  readonly hypervisor: ImportHypervisor;
  readonly used: Consumption;
  readonly sink: NoteSink;
  readonly networks: NetworkResolver;
}

function networkOf(nic: XmlNode, context: NicContext): string | undefined {
  const source = first(nic, 'source');
  if (nic.attributes.type === 'network' && source?.attributes.network) {
    const name = context.networks.network(source.attributes.network, source.line, context.sink);
    if (name) context.used.use(source, 'network');
    return name;
  }
  if (nic.attributes.type === 'bridge' && source?.attributes.bridge) {
    const name = context.networks.bridge(source.attributes.bridge, source.line, context.sink);
    if (name) context.used.use(source, 'bridge');
    return name;
  }
  return undefined;
}

/** The domain's NICs the fleet can express; the others stay unconsumed and are reported dropped. */
export function importNics(devices: XmlNode | undefined, context: NicContext): NicInput[] {
  const { used, hypervisor } = context;
  return all(devices, 'interface').flatMap((nic): NicInput[] => {
    const network = networkOf(nic, context);
    if (!network) return [];
    used.use(nic, 'type');
    const model = first(nic, 'model')?.attributes.type;
    used.use(first(nic, 'model'), 'type');
    const mac = first(nic, 'mac')?.attributes.address;
    if (isMac(mac)) used.use(first(nic, 'mac'), 'address');
    const driver = first(nic, 'driver');
    const queuesText = driver?.attributes.queues;
    const queues = queuesText && /^\d+$/.test(queuesText) && Number(queuesText) >= 1 ? Number(queuesText) : undefined;
    if (queues) used.use(driver, 'queues');
    // vhost is the fleet's default backend for virtio on KVM.
    if (driver?.attributes.name === 'vhost' && hypervisor === 'kvm' && model === 'virtio') used.use(driver, 'name');
    const details = {
      ...(model ? { model } : {}),
      ...(isMac(mac) ? { mac } : {}),
      ...(queues ? { queues } : {}),
    };
    return [Object.keys(details).length === 0 ? network : { network, ...details }];
  });
}
