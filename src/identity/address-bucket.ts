import { isIPv4, isIPv6 } from 'node:net';

/**
 * A client address as rate limits count it: IPv4-mapped IPv6 as plain IPv4, and IPv6 by its
 * /64 (one host usually owns a whole /64, so counting single addresses would be trivially
 * evaded). Undefined for anything that is not an IP address.
 */
export function addressBucket(address: string): string | undefined {
  const plain = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return undefined;
  const withoutZone = plain.split('%')[0]!;
  const [head = '', tail = ''] = withoutZone.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = withoutZone.includes('::') ? (tail ? tail.split(':') : []) : [];
  const missing = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
