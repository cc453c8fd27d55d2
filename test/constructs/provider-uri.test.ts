/**
 * Provider v0.9.7 dials a local socket only for a URI with no transport and no host; `+unix` is
 * "unsupported transport: unix" (dmacvicar/terraform-provider-libvirt v0.9.7,
 * internal/libvirt/dialers/factory.go, NewDialerFromURI). libvirt's own default transport for a local URI
 * is unix, so `qemu+unix:///system` and `qemu:///system` name the same socket.
 */
import { describe, expect, it } from 'vitest';
import { Testing } from '../../constructs/cdk-engine';
import { KvmHost } from '../../constructs/kvm-host';
import { providerUri } from '../../constructs/provider-uri';
import { kvmHost } from './fixtures';

describe('the URI the provider gets', () => {
  it.each([
    ['qemu+unix:///system?socket=/run/h1/libvirt-sock', 'qemu:///system?socket=/run/h1/libvirt-sock'],
    ['qemu+unix:///system', 'qemu:///system'],
    ['xen+unix:///system', 'xen:///system'],
    ['qemu:///system', 'qemu:///system'],
    ['qemu+ssh://root@kvm-a1/system', 'qemu+ssh://root@kvm-a1/system'],
    ['qemu+tls://kvm-a1/system', 'qemu+tls://kvm-a1/system'],
  ])('%s → %s', (uri, expected) => {
    expect(providerUri(uri)).toBe(expected);
  });

  it('is what a host renders into its provider block', () => {
    const json = JSON.parse(Testing.synthScope((scope) => new KvmHost(scope, 'kvm-a1', { host: kvmHost('kvm-a1', { uri: 'qemu+unix:///system?socket=/run/h1/libvirt-sock' }) }))) as {
      provider: { libvirt: Array<{ uri: string }> };
    };
    expect(json.provider.libvirt.map((p) => p.uri)).toEqual(['qemu:///system?socket=/run/h1/libvirt-sock']);
  });
});
