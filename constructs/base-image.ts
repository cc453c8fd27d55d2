/**
 * A base image uploaded once into a pool of one host; OS disks of the VMs there are qcow2 overlays on
 * it. The stack creates one per host + pool + image, however many VMs use it.
 */
import { Construct } from 'constructs';
import type { DiskFormat } from '../fleet/model';
import { Volume, type LibvirtProvider } from './libvirt-bindings';
import { checkProps, type PropCheck } from './prop-checks';
import { named } from './terraform-id';
import { HOST_ADDRESS_PARTS, imageVolumeName } from '../fleet/terraform-names';

export { imageVolumeName };

export interface BaseImageProps {
  /**
   * Path or URL of the image. The provider reads it on the machine running Terraform (`create.content.url`
   * accepts http(s) URLs and local paths) and uploads it into the pool.
   */
  readonly source: string;
  readonly format: DiskFormat;
  /** Name (or reference to the name) of the pool the image goes to. */
  readonly pool: string;
  /** Fleet name of that pool; part of the Terraform address. */
  readonly poolName: string;
  readonly provider: LibvirtProvider;
  readonly hostName: string;
}

const CHECKS: readonly PropCheck<BaseImageProps>[] = [
  {
    fails: (p) => imageVolumeName(p.source) === '',
    message: (p) => `image source '${p.source}' has no file name; give a path or URL ending in the image file (e.g. /images/debian-12.qcow2)`,
  },
];

export class BaseImage extends Construct {
  readonly volume: Volume;
  /**
   * Path of the uploaded image on the host, for `backing_store.path` of overlays. Made once: every
   * reading of the binding's attribute makes a new token in cdktf's process-wide registry, and every
   * overlay on the image names it.
   */
  readonly path: string;

  constructor(scope: Construct, id: string, props: BaseImageProps) {
    super(scope, id);
    checkProps(this.node.path, props, CHECKS);
    const name = imageVolumeName(props.source);
    this.volume = named(
      new Volume(this, 'volume', {
        provider: props.provider,
        name,
        pool: props.pool,
        target: { format: { type: props.format } },
        create: { content: { url: props.source } },
      }),
      props.hostName,
      ...HOST_ADDRESS_PARTS.baseImage(props.poolName, name),
    );
    this.path = this.volume.path;
  }
}
