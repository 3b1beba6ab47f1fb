/**
 * The `OutboundGuard` over two settings (allowed and denied networks) and the system resolver.
 * A name is resolved once per dial, every address it resolves to is checked, and the socket is
 * handed only checked addresses through `lookup`: nothing resolves the name again between the
 * check and the connect (no DNS-rebinding gap). IP literals never reach `lookup` (Node skips
 * it), so they are checked before the dial (`resolve`, `allowsAddress`).
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import {
  DEFAULT_OUTBOUND_DENIED_NETWORKS,
  type NetworkRange,
  type OutboundAddress,
  type OutboundGuard,
  parseNetworkList,
  SETTING_OUTBOUND_ALLOWED_NETWORKS,
  SETTING_OUTBOUND_DENIED_NETWORKS,
  UNREACHABLE_ENDPOINT_MESSAGE,
} from '../domain/outbound-guard.js';
import { PaddockError } from '../errors/index.js';

/** The two settings' current text. */
export interface OutboundNetworks {
  readonly allowed: string;
  readonly denied: string;
}

export interface OutboundGuardOptions {
  /** Reads the settings; a failed read keeps the networks read last. */
  readonly networks: () => Promise<OutboundNetworks>;
  /** All addresses of a name; defaults to the system resolver (`/etc/hosts`, DNS). */
  readonly resolveName?: (host: string) => Promise<readonly LookupAddress[]>;
  readonly onReadError?: (err: unknown) => void;
}

interface Policy {
  readonly key: string;
  readonly allowed: BlockList | undefined;
  readonly denied: BlockList;
}

export function createOutboundGuard(options: OutboundGuardOptions): OutboundGuard {
  const resolveName =
    options.resolveName ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  let current = compile({ allowed: '', denied: DEFAULT_OUTBOUND_DENIED_NETWORKS });

  const read = async (): Promise<Policy> => {
    try {
      const networks = await options.networks();
      const key = JSON.stringify([networks.allowed, networks.denied]);
      if (key !== current.key) current = compile(networks);
    } catch (err) {
      options.onReadError?.(err);
    }
    return current;
  };

  const resolve = async (host: string): Promise<OutboundAddress[]> => {
    const bare = host.replace(/^\[|\]$/g, '');
    const policy = await read();
    let addresses: OutboundAddress[];
    if (isIP(bare) !== 0) {
      addresses = [{ address: bare, family: isIP(bare) as 4 | 6 }];
    } else {
      try {
        addresses = (await resolveName(bare)).map((a) => ({
          address: a.address,
          family: a.family === 6 ? 6 : 4,
        }));
      } catch (err) {
        throw new PaddockError('UPSTREAM_UNAVAILABLE', UNREACHABLE_ENDPOINT_MESSAGE, {
          reason: 'endpoint_unreachable',
          cause: err,
        });
      }
      if (addresses.length === 0) {
        throw new PaddockError('UPSTREAM_UNAVAILABLE', UNREACHABLE_ENDPOINT_MESSAGE, {
          reason: 'endpoint_unreachable',
        });
      }
    }
    // Every address must pass: a name that resolves to one allowed and one denied address
    // would otherwise reach the denied one whenever the resolver reorders its answer.
    if (!addresses.every((a) => allows(policy, a.address))) throw denied(host);
    return addresses;
  };

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const family = familyOf(lookupOptions.family);
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (first === undefined) {
          const err = Object.assign(new Error(`no IPv${family} address for ${hostname}`), {
            code: 'ENOTFOUND',
          });
          callback(err, '', 0);
        } else if (lookupOptions.all === true) {
          // The `all` form of the callback (autoSelectFamily asks for it).
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: unknown) => {
        // The socket layer reads `code`; a denied address is an unreachable one to it.
        const failure = Object.assign(err instanceof Error ? err : new Error(String(err)), {
          code: 'EOUTBOUNDDENIED',
        });
        callback(failure, '', 0);
      },
    );
  };

  return {
    resolve,
    lookup,
    allowsAddress: (address) => allows(current, address.replace(/^\[|\]$/g, '')),
    async refresh() {
      const before = current.key;
      return (await read()).key !== before;
    },
  };
}

function compile(networks: OutboundNetworks): Policy {
  const key = JSON.stringify([networks.allowed, networks.denied]);
  const allowedRanges = parseNetworkList(networks.allowed, SETTING_OUTBOUND_ALLOWED_NETWORKS);
  return {
    key,
    allowed: allowedRanges.length === 0 ? undefined : blockListOf(allowedRanges),
    denied: blockListOf(parseNetworkList(networks.denied, SETTING_OUTBOUND_DENIED_NETWORKS)),
  };
}

function blockListOf(ranges: readonly NetworkRange[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

function allows(policy: Policy, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // BlockList matches IPv4-mapped IPv6 (::ffff:169.254.169.254) against IPv4 ranges too.
  if (policy.denied.check(address, type)) return false;
  return policy.allowed === undefined || policy.allowed.check(address, type);
}

function familyOf(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function denied(host: string): PaddockError {
  return new PaddockError(
    'FORBIDDEN',
    `${host} is in a network Paddock may not connect to for users (settings ${SETTING_OUTBOUND_DENIED_NETWORKS} and ${SETTING_OUTBOUND_ALLOWED_NETWORKS})`,
    { reason: 'outbound_denied' },
  );
}
