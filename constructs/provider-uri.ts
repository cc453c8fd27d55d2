/**
 * The libvirt URI as provider v0.9.7 takes it. Its dialer accepts the transports ssh, sshcmd, tcp and tls
 * and, with no transport and no host, the local Unix socket (`?socket=` or the system socket); an explicit
 * `+unix` is "unsupported transport: unix" (dmacvicar/terraform-provider-libvirt v0.9.7,
 * internal/libvirt/dialers/factory.go, NewDialerFromURI). virsh and libvirt read `qemu:///system` and
 * `qemu+unix:///system` alike (a local URI's default transport is unix), so a host written either way —
 * `hyperplan import --from qemu+unix:///system?socket=…` writes it as given — reaches the same socket.
 */
const LOCAL_UNIX = /^([a-z]+)\+unix:\/\/\//;

export function providerUri(uri: string): string {
  return uri.replace(LOCAL_UNIX, '$1:///');
}
