/**
 * Opaque cursors of cross-cluster lists. Order is cluster id, then the object's storage key
 * (`<namespace>/<name>` or `<name>`, compared as strings like etcd does). A cursor holds the
 * last item's cluster and key (the keyset that guarantees nothing repeats), plus where that
 * item was in the downstream's chunked list (`continue` token and offset), so the next page
 * resumes with one bounded request instead of re-reading the cluster.
 */
import { PaddockError } from '../../errors/index.js';

export interface KubeCursor {
  /** Cluster id of the last item shown. */
  readonly c: string;
  /** Its storage key. */
  readonly k: string;
  /** The namespace segment it was read from (`''`: one cluster-wide list). */
  readonly g: string;
  /** `continue` token of the chunk it came in; absent for the first chunk. */
  readonly t?: string;
  /** Raw items of that chunk up to and including it. */
  readonly s: number;
}

export function encodeKubeCursor(cursor: KubeCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeKubeCursor(text: string): KubeCursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as KubeCursor;
    if (
      typeof c.c === 'string' &&
      typeof c.k === 'string' &&
      typeof c.g === 'string' &&
      (c.t === undefined || typeof c.t === 'string') &&
      Number.isInteger(c.s) &&
      c.s >= 0
    ) {
      return c;
    }
  } catch {
    // falls through
  }
  throw new PaddockError('VALIDATION_FAILED', 'invalid cursor', { reason: 'invalid_cursor' });
}

/** The storage key objects are ordered by within a cluster. */
export function storageKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
