import { PaddockError } from '../errors/index.js';

/** The route prefix the proxy serves. */
export const PROXY_PREFIX = '/k8s/clusters/';

const CLUSTER_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A validated proxy request target. */
export interface ProxyTarget {
  readonly clusterId: string;
  /** The path below the cluster, starting with `/`, exactly as received (still encoded). */
  readonly path: string;
  /** The query string without `?`, as received; empty when absent. */
  readonly query: string;
}

/**
 * Splits `/k8s/clusters/{id}/<rest>?<query>` and refuses anything that could be read as a
 * different path by a later hop: dot segments (plain or percent-encoded), encoded slashes or
 * backslashes, empty segments, control characters and double encoding. The rest is forwarded
 * byte for byte, so what was checked is what the cluster sees.
 */
export function parseProxyTarget(rawUrl: string): ProxyTarget {
  if (!rawUrl.startsWith(PROXY_PREFIX)) throw badPath('not a proxy path');
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);
  if (rawPath.includes('\\')) throw badPath('backslash in path');
  if (rawPath.includes('//')) throw badPath('empty path segment');
  if (query.includes('#')) throw badPath('fragment in request target');

  const afterPrefix = rawPath.slice(PROXY_PREFIX.length);
  const slash = afterPrefix.indexOf('/');
  const clusterId = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
  const path = slash === -1 ? '/' : afterPrefix.slice(slash);
  if (!CLUSTER_ID.test(clusterId)) {
    throw new PaddockError('NOT_FOUND', 'cluster not found', { reason: 'cluster_not_found' });
  }

  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(path)) throw badPath('control character in path');
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    // A trailing slash (`/apis/`) is harmless; an empty segment anywhere else is not.
    if (segment === '' && i !== segments.length - 1) throw badPath('empty path segment');
    if (segment === '.' || segment === '..') throw badPath('dot segment in path');
    // Without '%' a segment is its own decoding: nothing more to check.
    if (segment.includes('%')) checkEncodedSegment(segment);
  }
  return { clusterId, path, query };
}

function checkEncodedSegment(segment: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw badPath('malformed percent-encoding');
  }
  if (decoded === '.' || decoded === '..') throw badPath('dot segment in path');
  if (/[/\\]/.test(decoded)) throw badPath('encoded slash or backslash in path');
  // Kubernetes names never contain '%'; one left after decoding means double encoding.
  if (decoded.includes('%')) throw badPath('double percent-encoding in path');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(decoded)) throw badPath('control character in path');
}

function badPath(why: string): PaddockError {
  return new PaddockError('BAD_REQUEST', `invalid proxy path: ${why}`, { reason: 'invalid_path' });
}
