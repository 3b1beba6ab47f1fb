/**
 * Which credentials of a `/k8s/` request reach the Authenticator (ADR 0016).
 *
 * A browser attaches Paddock's session cookie to any request for Paddock's origin, including
 * ones another site or a pod's page (relayed through `services/…/proxy`) makes it send. The
 * cookie therefore counts on `/k8s/` only when the request shows it came from Paddock's own
 * pages, which no other origin can fake:
 *
 * 1. `Sec-Fetch-Site`, when present, is `same-origin` (browsers set it and scripts cannot);
 * 2. `Origin`, when present, names Paddock's own host (the request's `Host`);
 * 3. and the request carries `X-Paddock-CSRF` (any non-empty value, `1` by convention): a
 *    custom header, which a cross-origin page can only add after a CORS preflight that Paddock
 *    never grants, and which navigations, forms and `<img>` never carry. A WebSocket or SPDY
 *    upgrade cannot carry custom headers from a browser, so there an `Origin` of Paddock's own
 *    host (rule 2, then required) stands in for it.
 *
 * Otherwise the cookie is dropped: with no `Authorization` either, the request is anonymous and
 * gets 401. `Authorization` (bearer tokens, kubeconfig keys) is never affected; it also wins
 * over a cookie, as everywhere in Paddock.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthRequest } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';

export const CSRF_HEADER = 'x-paddock-csrf';

export interface ProxyRequestHead {
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string | undefined;
  /** A WebSocket/SPDY upgrade (exec, attach, port-forward, WebSocket watch). */
  readonly upgrade: boolean;
}

/** Why a cookie was not accepted, or undefined when it is. */
export function cookieRefusal(head: ProxyRequestHead): string | undefined {
  const h = head.headers;
  const fetchSite = single(h['sec-fetch-site']);
  if (fetchSite !== undefined && fetchSite.toLowerCase() !== 'same-origin') {
    return `Sec-Fetch-Site is ${fetchSite}`;
  }
  const origin = single(h.origin);
  const ownOrigin = origin !== undefined && isOwnOrigin(origin, ownHost(h));
  if (origin !== undefined && !ownOrigin) return 'the Origin is not Paddock';
  if (head.upgrade) return ownOrigin ? undefined : 'an upgrade needs an Origin of Paddock';
  const csrf = single(h[CSRF_HEADER]);
  return csrf !== undefined && csrf.trim() !== '' ? undefined : 'X-Paddock-CSRF is missing';
}

/**
 * The credentials to authenticate: `Authorization` always, the session cookie only under the
 * rule above. Throws UNAUTHENTICATED naming the rule when a cookie was the only credential.
 */
export function proxyCredentials(head: ProxyRequestHead): AuthRequest {
  const { authorization, cookie } = head.headers;
  const base = { headers: { authorization }, remoteAddress: head.remoteAddress };
  if (authorization !== undefined || cookie === undefined) return base;
  const refusal = cookieRefusal(head);
  if (refusal === undefined) {
    return { headers: { authorization, cookie }, remoteAddress: head.remoteAddress };
  }
  throw new PaddockError(
    'UNAUTHENTICATED',
    `the session cookie is accepted on /k8s/ only from Paddock's own pages (${refusal}); use a bearer token`,
    { reason: 'cookie_not_accepted' },
  );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function ownHost(h: IncomingHttpHeaders): string | undefined {
  return single(h.host) ?? single(h[':authority'] as string | string[] | undefined);
}

/** Origin `scheme://host[:port]` against the Host the request was sent to (`null` never is). */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const defaultPort = url.protocol === 'https:' ? ':443' : ':80';
  const want = host.toLowerCase();
  return url.host === (want.endsWith(defaultPort) ? want.slice(0, -defaultPort.length) : want);
}
