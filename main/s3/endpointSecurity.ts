import net from 'node:net';

/** Addresses whose traffic never leaves this computer. */
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Private and link-local networks (RFC 1918, 6598, 3927, 4193, 4291): a LAN, not the internet. */
const PRIVATE = new net.BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/**
 * How an endpoint's traffic travels: https; http that stays on this computer; http across a
 * private network, which anyone on it can read; or http across the internet.
 */
export type EndpointTransport = 'https' | 'loopback-http' | 'private-http' | 'public-http';

export function endpointTransport(endpoint: string): EndpointTransport {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:') return 'https';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback-http';
  const family = net.isIP(host);
  // Multicast DNS and home network names resolve only on the local network.
  if (family === 0) {
    return host.endsWith('.local') || host.endsWith('.home.arpa') ? 'private-http' : 'public-http';
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(host, type)) return 'loopback-http';
  return PRIVATE.check(host, type) ? 'private-http' : 'public-http';
}

/** An endpoint that would send keys and files unencrypted where this is not allowed. */
export class UnencryptedEndpointError extends Error {}

/**
 * Plain http carries the signed requests, session token and every file readable on the way:
 * refused across the internet; on a private network only once the user acknowledged it.
 */
export function assertEndpointTransport(endpoint: string, unencryptedAcknowledged: boolean): void {
  const transport = endpointTransport(endpoint);
  if (transport === 'public-http') {
    throw new UnencryptedEndpointError(
      `${endpoint} uses plain http over the internet, which would expose your keys and files: use https (for a self-signed server, add its CA certificate).`,
    );
  }
  if (transport === 'private-http' && !unencryptedAcknowledged) {
    throw new UnencryptedEndpointError(
      `${endpoint} uses plain http: anyone on that network can read your keys and files. Use https, or confirm "Allow unencrypted http" for this connection.`,
    );
  }
}
