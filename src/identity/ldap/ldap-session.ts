import {
  type Entry,
  type Filter,
  InvalidCredentialsError,
  InvalidDNSyntaxError,
  NoSuchObjectError,
} from 'ldapts';
import { isPaddockError, PaddockError } from '../../errors/index.js';
import type { LdapProviderConfig } from './ldap-config.js';
import { connectLdap, type LdapConnection, type LdapConnectOptions } from './ldap-connection.js';

export interface LdapSearch {
  readonly base: string;
  readonly filter: string | Filter;
  readonly scope?: 'base' | 'one' | 'sub';
  readonly attributes: readonly string[];
  /** Attributes returned as bytes, e.g. objectGUID. */
  readonly binaryAttributes?: readonly string[];
  /** Stop after this many entries (the rest of the pages are not fetched). */
  readonly limit?: number;
}

/**
 * One connection bound as the service account, for the few operations a provider needs. Searches
 * are always paged (RFC 2696) so that server size limits never truncate a result silently.
 */
export class LdapSession {
  constructor(
    private readonly connection: LdapConnection,
    private readonly pageSize: number,
  ) {}

  /** Entries matching the search; an absent (or malformed) base yields none. */
  async search(search: LdapSearch): Promise<Entry[]> {
    const binary = search.binaryAttributes ?? [];
    const entries: Entry[] = [];
    const limit = search.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return entries;
    const pages = this.connection.client.searchPaginated(search.base, {
      scope: search.scope ?? 'sub',
      filter: search.filter,
      attributes: [...search.attributes],
      // ldapts compares these with the server's spelling of the name, so give both usual ones.
      explicitBufferAttributes: [...binary, ...binary.map((b) => b.toLowerCase())],
      paged: { pageSize: Math.min(this.pageSize, limit) },
    });
    try {
      for await (const page of pages) {
        for (const entry of page.searchEntries) {
          entries.push(entry);
          if (entries.length >= limit) return entries;
        }
      }
    } catch (err) {
      if (err instanceof NoSuchObjectError || err instanceof InvalidDNSyntaxError) return entries;
      throw err;
    }
    return entries;
  }

  /**
   * Checks a password with a bind as `dn`, then binds as the service account again so the session
   * can go on reading. Never called with an empty password: RFC 4513 §5.1.2 makes that an
   * unauthenticated bind, which many servers accept as a "successful" anonymous login.
   */
  async verifyPassword(dn: string, password: string): Promise<boolean> {
    if (password === '') return false;
    try {
      await this.connection.client.bind(dn, password);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return false;
      throw err;
    }
    await this.connection.rebindServiceAccount();
    return true;
  }
}

/**
 * Runs `work` on a fresh connection (with failover) and always closes it. Errors other than
 * PaddockErrors become `UPSTREAM_TIMEOUT` or `UPSTREAM_UNAVAILABLE`, so a directory problem is
 * never mistaken for bad credentials.
 */
export async function withLdapSession<T>(
  config: LdapProviderConfig,
  options: LdapConnectOptions,
  work: (session: LdapSession) => Promise<T>,
): Promise<T> {
  const connection = await connectLdap(config, options);
  try {
    return await work(new LdapSession(connection, config.pageSize));
  } catch (err) {
    if (isPaddockError(err)) throw err;
    if (err instanceof Error && /timed out/i.test(err.message)) {
      throw new PaddockError('UPSTREAM_TIMEOUT', 'directory server did not answer in time', {
        reason: 'ldap_timeout',
        cause: err,
      });
    }
    throw new PaddockError('UPSTREAM_UNAVAILABLE', 'directory operation failed', {
      reason: 'ldap_error',
      cause: err,
    });
  } finally {
    await connection.close();
  }
}
