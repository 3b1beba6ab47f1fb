/**
 * Where Paddock may connect when a user names the target (a cluster endpoint to import, an LDAP
 * server to test): an allow list and a deny list of networks, kept as settings. Every address a
 * name resolves to is checked, and the socket dials one of those checked addresses, so a DNS
 * answer that changes between the check and the dial cannot slip past (ADR 0011).
 */
import { isIP, type LookupFunction } from 'node:net';
import { PaddockError } from '../errors/index.js';

/** Networks Paddock may dial for a user; empty = any network not denied. */
export const SETTING_OUTBOUND_ALLOWED_NETWORKS = 'outbound-allowed-networks';
/** Networks Paddock never dials for a user; wins over the allow list. */
export const SETTING_OUTBOUND_DENIED_NETWORKS = 'outbound-denied-networks';

/**
 * Link-local (cloud metadata services live at 169.254.169.254, fd00:ec2::254 and
 * 100.100.100.200), "this host" and multicast. Loopback and the private ranges stay allowed:
 * clusters live there, and the tests and the demo use 127.0.0.1.
 */
export const DEFAULT_OUTBOUND_DENIED_NETWORKS = [
  '0.0.0.0/8',
  '169.254.0.0/16',
  '100.100.100.200/32',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '::/128',
  'fe80::/10',
  'fd00:ec2::254/128',
  'ff00::/8',
].join(', ');

/** What a user-initiated outbound call that failed says, whatever the reason (ADR 0011). */
export const UNREACHABLE_ENDPOINT_MESSAGE = 'cannot reach endpoint';

export interface OutboundAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export interface OutboundGuard {
  /**
   * Resolves `host` (a name or an IP literal) and checks every address with the current
   * settings. FORBIDDEN (reason `outbound_denied`) when any address is not allowed;
   * UPSTREAM_UNAVAILABLE "cannot reach endpoint" when the name does not resolve.
   */
  resolve(host: string): Promise<readonly OutboundAddress[]>;
  /** The same check as a `lookup` for `net`/`tls.connect`: sockets dial only checked addresses. */
  readonly lookup: LookupFunction;
  /** Whether an IP literal is allowed by the settings last read (for synchronous paths). */
  allowsAddress(address: string): boolean;
  /** Re-reads the settings; true when the networks changed since the last read. */
  refresh(): Promise<boolean>;
}

/** One CIDR block of a network list. */
export interface NetworkRange {
  readonly address: string;
  readonly prefix: number;
  readonly family: 4 | 6;
}

/**
 * Parses `10.0.0.0/8, fd00::/8 192.168.1.7` (commas or spaces; a bare address is a single
 * host). VALIDATION_FAILED naming the bad entry.
 */
export function parseNetworkList(text: string, what: string): NetworkRange[] {
  const ranges: NetworkRange[] = [];
  for (const entry of text.split(/[\s,]+/).filter((e) => e !== '')) {
    const [address = '', prefixText, ...rest] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (
      family === 0 ||
      rest.length > 0 ||
      (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
      prefix > max
    ) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `${what}: ${entry} is not an IP address or CIDR block`,
        { reason: 'invalid_setting', details: { name: what } },
      );
    }
    ranges.push({ address, prefix, family: family as 4 | 6 });
  }
  return ranges;
}

/** The canonical text of a network list (what the setting stores). */
export function formatNetworkList(ranges: readonly NetworkRange[]): string {
  return ranges.map((r) => `${r.address}/${r.prefix}`).join(', ');
}
