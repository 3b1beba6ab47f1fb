import type { CredentialEvents } from '../domain/credential-events.js';
import type { Authenticator, AuthRequest, Identity } from '../domain/identity.js';
import type { Logger } from '../domain/logger.js';
import { hasErrorCode } from '../errors/index.js';

interface OpenStream {
  readonly identity: Identity;
  /** The headers authentication looked at, to ask again later. */
  readonly credentials: AuthRequest;
  readonly openedAt: number;
  readonly close: (reason: string) => void;
}

export interface OpenStreamsOptions {
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly credentialEvents?: CredentialEvents;
  /** How often long-lived streams are re-authenticated. */
  readonly recheckIntervalMs?: number;
  readonly now?: () => number;
}

/**
 * Every open proxied request, watch and tunnel, by caller. A revoked credential or disabled
 * user must not keep a watch or an exec session it opened while it was valid: revocation
 * events close the caller's streams at once, and a periodic re-authentication (served from the
 * authenticator's cache) catches whatever no event announced, such as an expired key.
 */
export class OpenStreams {
  readonly #streams = new Set<OpenStream>();
  readonly #options: OpenStreamsOptions;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  readonly #unsubscribe: (() => void) | undefined;

  constructor(options: OpenStreamsOptions) {
    this.#options = options;
    this.#intervalMs = options.recheckIntervalMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = options.credentialEvents?.onRevoked((event) => {
      this.closeWhere(
        (s) =>
          event.kind === 'token'
            ? s.identity.tokenId === event.tokenId
            : s.identity.userId === event.userId,
        event.kind === 'token' ? 'credential revoked' : 'user disabled',
      );
    });
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Tracks one stream until the returned function is called. */
  add(identity: Identity, credentials: AuthRequest, close: (reason: string) => void): () => void {
    const entry: OpenStream = { identity, credentials, openedAt: this.#now(), close };
    this.#streams.add(entry);
    this.#schedule();
    return () => {
      this.#streams.delete(entry);
      if (this.#streams.size === 0) this.#stopTimer();
    };
  }

  /** Closes every stream matching `predicate`; returns how many. */
  closeWhere(predicate: (s: { identity: Identity }) => boolean, reason: string): number {
    let closed = 0;
    for (const s of [...this.#streams]) {
      if (!predicate(s)) continue;
      this.#streams.delete(s);
      closed += 1;
      s.close(reason);
    }
    if (closed > 0) {
      this.#options.logger.info({ closed, reason }, 'closed proxied streams of a revoked caller');
    }
    return closed;
  }

  /** Re-authenticates streams older than the interval; closes those whose credential died. */
  async recheck(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const cutoff = this.#now() - this.#intervalMs;
      // One authentication per credential, however many streams it holds open.
      const byToken = new Map<string, OpenStream[]>();
      for (const s of this.#streams) {
        if (s.openedAt > cutoff) continue;
        const list = byToken.get(s.identity.tokenId) ?? [];
        list.push(s);
        byToken.set(s.identity.tokenId, list);
      }
      await Promise.all(
        [...byToken.values()].map(async (streams) => {
          const first = streams[0]!;
          try {
            const again = await this.#options.authenticator.authenticate(first.credentials);
            if (again.userId === first.identity.userId) return;
          } catch (err) {
            // Only a definite "no" ends streams; a store outage must not cut every watch.
            if (!hasErrorCode(err, 'UNAUTHENTICATED') && !hasErrorCode(err, 'FORBIDDEN')) return;
          }
          const victims = new Set(streams);
          this.closeWhere((s) => victims.has(s as OpenStream), 'credential no longer valid');
        }),
      );
    } finally {
      this.#checking = false;
    }
  }

  close(): void {
    this.#stopTimer();
    this.#unsubscribe?.();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.recheck(), this.#intervalMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
