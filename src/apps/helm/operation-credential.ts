/**
 * Short-lived credentials for one Helm run: a kubeconfig token of the user the run acts for,
 * scoped to the one cluster, expiring shortly after the run's own deadline and never after the
 * credential it derives from. It is revoked when the run ends, and at once (with the run
 * aborted) when its parent credential is revoked or the user is disabled: derived credentials
 * never outlive their parent.
 */
import type { ApiKeyManager } from '../../domain/api-key-manager.js';
import type { CredentialEvents } from '../../domain/credential-events.js';
import type { Logger } from '../../domain/logger.js';
import { PaddockError } from '../../errors/index.js';

export interface CredentialRequest {
  readonly userId: string;
  readonly clusterId: string;
  /** What the run is, shown in the user's key list while it exists. */
  readonly purpose: string;
  readonly ttlMs: number;
  /** The caller's own credential: its id (for revocation) and its expiry. */
  readonly parentTokenId?: string;
  readonly parentExpiresAt?: number;
}

export interface DerivedCredential {
  readonly token: string;
  readonly keyId: string;
  readonly expiresAt: number;
  /** Aborts when the parent credential or the user stops working. */
  readonly revoked: AbortSignal;
  /** Revokes the credential; safe to call more than once. */
  release(): Promise<void>;
}

/** Shortest remaining life of a parent credential worth starting a run with. */
const MIN_PARENT_LIFE_MS = 15_000;

export class OperationCredentials {
  readonly #apiKeys: ApiKeyManager;
  readonly #events: CredentialEvents | undefined;
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(deps: {
    apiKeys: ApiKeyManager;
    events?: CredentialEvents;
    logger: Logger;
    now?: () => number;
  }) {
    this.#apiKeys = deps.apiKeys;
    this.#events = deps.events;
    this.#log = deps.logger;
    this.#now = deps.now ?? Date.now;
  }

  async mint(req: CredentialRequest): Promise<DerivedCredential> {
    const now = this.#now();
    let expiresAt = now + req.ttlMs;
    if (req.parentExpiresAt !== undefined) {
      if (req.parentExpiresAt - now < MIN_PARENT_LIFE_MS) {
        throw new PaddockError(
          'UNAUTHENTICATED',
          'your credential expires too soon to start this operation; sign in again',
          {
            reason: 'token_expiring',
          },
        );
      }
      expiresAt = Math.min(expiresAt, req.parentExpiresAt);
    }
    const created = await this.#apiKeys.create({
      userId: req.userId,
      kind: 'kubeconfig',
      description: req.purpose.slice(0, 256),
      expiresAt,
      clusterId: req.clusterId,
    });
    const keyId = created.key.keyId;
    const abort = new AbortController();
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      stop?.();
      await this.#apiKeys.revoke(keyId).catch((err: unknown) => {
        // It expires within minutes anyway; log so an operator sees a store problem.
        this.#log.warn({ err, keyId }, 'revoking an operation credential failed');
      });
    };
    const stop = this.#events?.onRevoked((event) => {
      const parentGone =
        (event.kind === 'token' &&
          req.parentTokenId !== undefined &&
          event.tokenId === req.parentTokenId) ||
        (event.kind === 'user' && event.userId === req.userId);
      if (!parentGone || abort.signal.aborted) return;
      abort.abort(
        new PaddockError(
          'UNAUTHENTICATED',
          'the credential this operation acted with was revoked',
          {
            reason: 'token_revoked',
          },
        ),
      );
      void release();
    });
    return { token: created.token, keyId, expiresAt, revoked: abort.signal, release };
  }
}
