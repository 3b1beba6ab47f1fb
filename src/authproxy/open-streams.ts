import {
  type CredentialEvents,
  type CredentialRevokedEvent,
  narrowedAccess,
  type OpenStreamTracker,
  type StreamCloseCause,
} from '../domain/credential-events.js';
import type { Authenticator, AuthRequest, Identity } from '../domain/identity.js';
import type { Logger } from '../domain/logger.js';
import { hasErrorCode, isPaddockError, UnreachableCaseError } from '../errors/index.js';

interface OpenStream {
  readonly identity: Identity;
  /** The headers authentication looked at, to ask again later. */
  readonly credentials: AuthRequest;
  readonly openedAt: number;
  readonly close: (reason: string, why?: StreamCloseCause) => void;
}

type StreamFilter = (s: OpenStream) => boolean;

interface RecheckRequest {
  all: boolean;
  readonly users: Set<string>;
  readonly streams: Set<OpenStream>;
}

const emptyRequest = (): RecheckRequest => ({ all: false, users: new Set(), streams: new Set() });
const isEmpty = (r: RecheckRequest) => !r.all && r.users.size === 0 && r.streams.size === 0;

export interface OpenStreamsOptions {
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly credentialEvents?: CredentialEvents | undefined;
  /** How often long-lived streams are re-authenticated. */
  readonly recheckIntervalMs?: number | undefined;
  readonly now?: (() => number) | undefined;
  /** What the streams are, for the log line of a closure; default `proxied streams`. */
  readonly label?: string;
}

const CLOSE_REASONS = {
  token: 'credential revoked',
  user: 'user disabled or deleted',
  'sessions-cut': 'signed out everywhere',
} as const;

/** Events kept to catch a stream whose authentication raced its own revocation. */
const RECENT_EVENTS = 256;

/**
 * Every open proxied request, watch and tunnel (or GraphQL WebSocket), by caller. A revoked
 * credential or disabled user must not keep a watch or an exec session it opened while it was
 * valid: revocation events close the caller's streams at once, `recheck` events and a periodic
 * re-authentication (served from the authenticator's cache) catch whatever no event announced,
 * such as an expired key, a provider that no longer admits the user or a lost group.
 */
export class OpenStreams implements OpenStreamTracker {
  readonly #streams = new Set<OpenStream>();
  readonly #options: OpenStreamsOptions;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #label: string;
  #timer: NodeJS.Timeout | undefined;
  /** Re-checks asked for by events, run one after another so none is lost. */
  #queued: RecheckRequest = emptyRequest();
  #draining: Promise<void> | undefined;
  #periodicRunning = false;
  readonly #recent: { readonly at: number; readonly event: CredentialRevokedEvent }[] = [];
  readonly #unsubscribe: (() => void) | undefined;

  constructor(options: OpenStreamsOptions) {
    this.#options = options;
    this.#intervalMs = options.recheckIntervalMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#label = options.label ?? 'proxied streams';
    this.#unsubscribe = options.credentialEvents?.onRevoked((event) => this.#onEvent(event));
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Tracks one stream until the returned function is called. */
  add(
    identity: Identity,
    credentials: AuthRequest,
    close: (reason: string, why?: StreamCloseCause) => void,
  ): () => void {
    const entry: OpenStream = { identity, credentials, openedAt: this.#now(), close };
    this.#streams.add(entry);
    this.#schedule();
    // An event that arrived while this stream was being authenticated may concern it: ask
    // again (the event emptied the authenticator's cache, so the answer is fresh).
    const cutoff = this.#now() - this.#intervalMs;
    if (this.#recent.some((r) => r.at >= cutoff && concerns(r.event, identity))) {
      this.#request({ stream: entry });
    }
    return () => {
      this.#streams.delete(entry);
      if (this.#streams.size === 0) this.#stopTimer();
    };
  }

  /** Closes every stream matching `predicate`; returns how many. */
  closeWhere(predicate: (s: { identity: Identity }) => boolean, reason: string): number {
    const closed: OpenStream[] = [];
    for (const s of [...this.#streams]) {
      if (!predicate(s)) continue;
      this.#streams.delete(s);
      closed.push(s);
      s.close(reason, 'revoked');
    }
    this.#logClosed(closed, reason);
    return closed.length;
  }

  /**
   * Ends every stream cleanly because Paddock is stopping (watches end their answer, tunnels
   * their connection, WebSockets say "going away"), so clients reconnect to another replica.
   */
  endAll(reason = 'server shutting down'): number {
    const all = [...this.#streams];
    this.#streams.clear();
    this.#stopTimer();
    for (const s of all) s.close(reason, 'shutdown');
    if (all.length > 0) {
      this.#options.logger.info(
        { closed: all.length, streams: this.#label },
        `ended ${this.#label}`,
      );
    }
    return all.length;
  }

  /** Re-authenticates streams older than the interval; closes those whose credential died. */
  async recheck(): Promise<void> {
    if (this.#periodicRunning) return;
    this.#periodicRunning = true;
    try {
      const cutoff = this.#now() - this.#intervalMs;
      await this.#check((s) => s.openedAt <= cutoff);
    } finally {
      this.#periodicRunning = false;
    }
  }

  /** Resolves once the re-checks asked for by events so far are done (for tests). */
  async settled(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  close(): void {
    this.#stopTimer();
    this.#unsubscribe?.();
  }

  #onEvent(event: CredentialRevokedEvent): void {
    this.#recent.push({ at: this.#now(), event });
    if (this.#recent.length > RECENT_EVENTS) this.#recent.shift();
    if (event.kind === 'recheck') {
      this.#request(event.userId === undefined ? { all: true } : { userId: event.userId });
      return;
    }
    this.closeWhere((s) => concerns(event, s.identity), CLOSE_REASONS[event.kind]);
  }

  #request(what: { all: true } | { userId: string } | { stream: OpenStream }): void {
    const queued = this.#queued;
    if ('all' in what) queued.all = true;
    else if ('userId' in what) queued.users.add(what.userId);
    else queued.streams.add(what.stream);
    this.#startDrain();
  }

  #startDrain(): void {
    if (this.#draining !== undefined) return;
    // Deferred: the authenticator drops its cached identities on the same change delivery,
    // possibly in a listener that runs after this one.
    this.#draining = Promise.resolve()
      .then(() => this.#drain())
      .catch((err: unknown) => {
        this.#options.logger.warn({ err }, `re-checking ${this.#label} failed`);
      })
      .finally(() => {
        this.#draining = undefined;
        if (!isEmpty(this.#queued)) this.#startDrain();
      });
  }

  async #drain(): Promise<void> {
    // Requests are merged, so a burst of events (a group refresh of every user) costs one
    // pass over the streams, not one per event.
    while (!isEmpty(this.#queued)) {
      const { all, users, streams } = this.#queued;
      this.#queued = emptyRequest();
      await this.#check((s) => all || users.has(s.identity.userId) || streams.has(s));
    }
  }

  async #check(filter: StreamFilter): Promise<void> {
    // One authentication per credential, however many streams it holds open.
    const byToken = new Map<string, OpenStream[]>();
    for (const s of this.#streams) {
      if (!filter(s)) continue;
      const list = byToken.get(s.identity.tokenId) ?? [];
      list.push(s);
      byToken.set(s.identity.tokenId, list);
    }
    await Promise.all(
      [...byToken.values()].map(async (streams) => {
        const reason = await this.#whyInvalid(streams[0]!);
        if (reason === undefined) return;
        const victims = new Set<OpenStream>(streams);
        this.closeWhere((s) => victims.has(s as OpenStream), reason);
      }),
    );
  }

  /** Why the stream's credential no longer carries what it was opened with, if it does not. */
  async #whyInvalid(stream: OpenStream): Promise<string | undefined> {
    let again: Identity;
    try {
      again = await this.#options.authenticator.authenticate(stream.credentials);
    } catch (err) {
      // Only a definite "no" ends streams; a store outage must not cut every watch.
      if (!hasErrorCode(err, 'UNAUTHENTICATED') && !hasErrorCode(err, 'FORBIDDEN')) {
        return undefined;
      }
      const why = isPaddockError(err) ? err.reason : undefined;
      return `credential no longer valid${why === undefined ? '' : ` (${why})`}`;
    }
    if (again.expiresAt !== undefined && again.expiresAt <= this.#now()) {
      return 'credential expired';
    }
    return narrowedAccess(stream.identity, again);
  }

  #logClosed(closed: readonly OpenStream[], reason: string): void {
    // One line per user; the token itself is never logged.
    const byUser = new Map<string, OpenStream[]>();
    for (const s of closed) {
      byUser.set(s.identity.userId, [...(byUser.get(s.identity.userId) ?? []), s]);
    }
    for (const [userId, streams] of byUser) {
      this.#options.logger.info(
        {
          userId,
          tokenKind: streams[0]!.identity.tokenKind,
          closed: streams.length,
          reason,
          streams: this.#label,
        },
        `closed ${this.#label} of a caller whose credential stopped working`,
      );
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.recheck().catch((err: unknown) => {
        this.#options.logger.warn({ err }, `re-checking ${this.#label} failed`);
      });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Whether an event may concern a stream opened as `identity`. */
function concerns(event: CredentialRevokedEvent, identity: Identity): boolean {
  switch (event.kind) {
    case 'token':
      return identity.tokenId === event.tokenId;
    case 'user':
      return identity.userId === event.userId;
    case 'sessions-cut':
      return (
        identity.userId === event.userId &&
        identity.tokenKind === 'session' &&
        (identity.issuedAt ?? Number.NEGATIVE_INFINITY) < event.issuedBefore
      );
    case 'recheck':
      return event.userId === undefined || identity.userId === event.userId;
    default:
      throw new UnreachableCaseError(event);
  }
}
