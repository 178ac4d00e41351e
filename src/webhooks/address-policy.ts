import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go (SSRF rules, PEERS.md). Link-local addresses (169.254/16, where
 * cloud metadata lives, and fe80::/10) and addresses that are never a receiver
 * (unspecified, multicast, reserved) are refused always; loopback and private networks
 * unless WEBHOOK_ALLOW_PRIVATE. Checked on the literal at registration and on every address
 * a name resolves to at every delivery attempt (DNS can change after registration).
 */
export type AddressKind = 'public' | 'private' | 'loopback' | 'link-local' | 'reserved';

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
// AWS's IPv6 metadata endpoint sits in the private fc00::/7 range: refuse it like its IPv4 twin.
LINK_LOCAL.addAddress('fd00:ec2::254', 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

const RESERVED = new BlockList();
RESERVED.addSubnet('0.0.0.0', 8, 'ipv4');
RESERVED.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
RESERVED.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, broadcast
RESERVED.addAddress('::', 'ipv6');
RESERVED.addSubnet('ff00::', 8, 'ipv6'); // multicast

/** IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address: bare, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function classifyAddress(address: string): AddressKind | null {
  const ip = unmapped(address);
  if (!ip) return null;
  if (LINK_LOCAL.check(ip.address, ip.family)) return 'link-local';
  if (RESERVED.check(ip.address, ip.family)) return 'reserved';
  if (LOOPBACK.check(ip.address, ip.family)) return 'loopback';
  if (PRIVATE.check(ip.address, ip.family)) return 'private';
  return 'public';
}

/** Why an address may not receive webhooks, or null when it may. */
export function refusal(address: string, allowPrivate: boolean): string | null {
  const kind = classifyAddress(address);
  if (kind === null) return `${address} is not an IP address`;
  if (kind === 'public') return null;
  if ((kind === 'private' || kind === 'loopback') && allowPrivate) return null;
  return `${address} is a ${kind} address`;
}

export function isIpLiteral(host: string): boolean {
  return unmapped(host) !== null;
}
