/**
 * Which client headers reach a cluster, and which Paddock adds. Everything that could change
 * who the cluster thinks is calling (credentials, impersonation, front-proxy and forwarding
 * headers) is removed from the client's request; Paddock's own lines are added afterwards, so
 * no client trick (`Connection: Authorization`, repeated or oddly cased names) can remove them.
 */
import type { Identity } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';
import { extraHeaderName, impersonationHeaders } from '../rbac/impersonation-headers.js';

export { extraHeaderName, impersonationHeaders };

/** Header name (lowercase) → value; arrays become one line per element. */
export type OutgoingHeaders = Record<string, string | string[]>;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  // Node answers `Expect: 100-continue` itself; forwarding it would stall the upstream.
  'expect',
  'host',
]);

// Headers a client may not remove by naming them in `Connection`: they frame the body.
const FRAMING = new Set(['content-length', 'content-type', 'content-encoding']);

/** True for any header that could carry identity or provenance to the API server. */
export function isIdentityHeader(lowerName: string): boolean {
  const name = lowerName.replaceAll('_', '-');
  return (
    name === 'authorization' ||
    name.includes('impersonate') ||
    name.startsWith('x-remote-') ||
    name.startsWith('x-forwarded-') ||
    name === 'forwarded' ||
    name === 'x-real-ip' ||
    name === 'x-client-ip' ||
    // Paddock's session cookie is a credential; the Kubernetes API uses no cookies.
    name === 'cookie'
  );
}

/**
 * Copies the client's headers (from `rawHeaders`, so repeated lines stay separate) minus
 * identity, forwarding and hop-by-hop headers, and minus every header named in `Connection`.
 */
export function scrubRequestHeaders(rawHeaders: readonly string[]): OutgoingHeaders {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const t = token.trim().toLowerCase();
      if (t !== '' && !FRAMING.has(t)) named.add(t);
    }
  }
  const out: OutgoingHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name) || isIdentityHeader(name)) continue;
    const value = rawHeaders[i + 1]!;
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return out;
}

/** The full header set for the upstream request. */
export function upstreamHeaders(
  rawHeaders: readonly string[],
  identity: Identity,
  impersonatorToken: string,
  host: string,
): OutgoingHeaders {
  return withImpersonation(rawHeaders, impersonationHeaders(identity, impersonatorToken), host);
}

/** The full header set for the upstream request, from impersonation lines built beforehand. */
export function withImpersonation(
  rawHeaders: readonly string[],
  impersonation: OutgoingHeaders,
  host: string,
): OutgoingHeaders {
  return { host, ...scrubRequestHeaders(rawHeaders), ...impersonation };
}

// Frozen impersonation sets (ImpersonationMemo's) are shared by all requests of a caller, so
// the identity lines they expect are worked out once; others could change between calls.
const wantedOfFrozen = new WeakMap<OutgoingHeaders, ReadonlyMap<string, readonly string[]>>();

function wantedLines(expected: OutgoingHeaders): ReadonlyMap<string, readonly string[]> {
  const cached = wantedOfFrozen.get(expected);
  if (cached !== undefined) return cached;
  const wanted = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(expected)) {
    if (isIdentityHeader(name)) wanted.set(name, Array.isArray(value) ? value : [value]);
  }
  if (Object.isFrozen(expected)) wantedOfFrozen.set(expected, wanted);
  return wanted;
}

/**
 * `assertOutgoingHeaders` for a header record built by `withImpersonation`: when every
 * identity header in it is the very value Paddock put there (same reference) and there are as
 * many as Paddock sets, the full comparison cannot fail, so it is skipped.
 */
export function assertOutgoingRecord(headers: OutgoingHeaders, expected: OutgoingHeaders): void {
  const wanted = wantedLines(expected);
  let identityHeaders = 0;
  let sameValues = true;
  for (const name in headers) {
    if (!isIdentityHeader(name)) continue;
    identityHeaders += 1;
    if (headers[name] !== expected[name]) sameValues = false;
  }
  if (sameValues && identityHeaders === wanted.size) return;
  assertOutgoingHeaders(Object.entries(headers), expected);
}

/**
 * Fail-closed check of what is about to be sent: exactly Paddock's credential and
 * impersonation lines, and no forwarding or front-proxy header. Throws `INTERNAL` with reason
 * `header_leak` otherwise; the caller answers 500 and logs it.
 */
export function assertOutgoingHeaders(
  entries: Iterable<readonly [string, string | readonly string[] | number | undefined]>,
  expected: OutgoingHeaders,
): void {
  const seen = new Map<string, string[]>();
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (!isIdentityHeader(name)) continue;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    seen.set(name, [...(seen.get(name) ?? []), ...values]);
  }
  const wanted = wantedLines(expected);
  const same =
    seen.size === wanted.size &&
    [...wanted].every(([name, values]) => {
      const got = seen.get(name);
      return (
        got !== undefined && got.length === values.length && got.every((v, i) => v === values[i])
      );
    });
  if (!same) {
    throw new PaddockError('INTERNAL', 'outgoing identity headers do not match the impersonation', {
      reason: 'header_leak',
      details: { headers: [...seen.keys()] },
    });
  }
}
