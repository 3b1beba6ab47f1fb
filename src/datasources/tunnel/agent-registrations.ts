/**
 * The registry's side of agent clusters (ADR 0017): each has a registration secret, sealed in
 * its record and rotatable; an agent proves it holds the secret, then reports the API server's
 * in-cluster address, CA and the two account tokens, which complete a pending import or
 * replace what changed. Holding the secret is thus the right to set where the cluster's
 * traffic goes inside the cluster, so only those who may complete the import (its creator,
 * or whoever may `update` the cluster) ever see it: in the manifest, or from a rotation.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../domain/secret-box.js';
import type { Collection, StoredRecord } from '../../domain/store.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import { validateCa, validateEndpoint, validateToken } from '../cluster-input.js';
import { type ClusterRecord, credentialPlace, isPendingRecord } from '../cluster-records.js';
import { type AgentRegistration, formatAgentToken } from './tunnel-protocol.js';

export interface AgentRegistrationsOptions {
  readonly clusters: Collection<ClusterRecord>;
  readonly secretBox: SecretBox;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** A fresh secret (base64url); defaults to 32 random bytes. */
  readonly newSecret?: () => string;
}

/** What a registration did to the record. */
export interface RegistrationOutcome {
  /** The import was pending and is now complete. */
  readonly completed: boolean;
  /** The endpoint, CA or tokens changed (always true for a completion). */
  readonly changed: boolean;
}

// Compared against when the cluster is unknown, so that case costs the same as a wrong secret.
const DUMMY_DIGEST = createHash('sha256').update('no such agent cluster').digest();

export class AgentRegistrations {
  readonly #o: AgentRegistrationsOptions;
  readonly #newSecret: () => string;

  constructor(options: AgentRegistrationsOptions) {
    this.#o = options;
    this.#newSecret = options.newSecret ?? (() => randomBytes(32).toString('base64url'));
  }

  /** The fields that make a new record an agent cluster, with a fresh sealed secret. */
  agentFields(clusterId: string): Pick<ClusterRecord, 'transport' | 'agentSecret'> {
    return { transport: 'agent', agentSecret: this.#seal(clusterId, this.#newSecret()) };
  }

  /** The token the cluster's agent presents (`pdkagent_<id>_<secret>`). Never log it. */
  token(record: ClusterRecord): string {
    return formatAgentToken(record.id, this.#secretOf(record));
  }

  /** SHA-256 (hex) of the record's current secret; sessions made with another are stale. */
  digestOf(record: ClusterRecord): string | undefined {
    if (record.transport !== 'agent' || record.agentSecret === undefined) return undefined;
    return digest(this.#secretOf(record)).toString('hex');
  }

  /**
   * The digest of `secret` when it is the current secret of agent cluster `clusterId`;
   * undefined otherwise (unknown cluster, not an agent cluster, wrong or rotated-away secret),
   * always after a constant-time comparison.
   */
  async verify(clusterId: string, secret: string): Promise<string | undefined> {
    const stored = await this.#o.clusters.get(clusterId);
    const presented = digest(secret);
    const current =
      stored?.value.transport === 'agent' && stored.value.agentSecret !== undefined
        ? digest(this.#secretOf(stored.value))
        : DUMMY_DIGEST;
    const same = timingSafeEqual(presented, current) && current !== DUMMY_DIGEST;
    return same ? presented.toString('hex') : undefined;
  }

  /**
   * Records what a connected agent reported: completes a pending import, or replaces the
   * endpoint, CA and tokens when they changed (the cluster's tokens were rotated), and always
   * notes when the agent was seen and its version. Refuses a secret rotated away meanwhile.
   */
  async register(
    clusterId: string,
    secretDigest: string,
    registration: AgentRegistration,
  ): Promise<RegistrationOutcome> {
    const endpoint = validateEndpoint(registration.apiServer);
    const caPem = validateCa(registration.caPem);
    const impersonatorToken = validateToken(registration.impersonatorToken, 'impersonatorToken');
    const managerToken = validateToken(registration.managerToken, 'managerToken');
    const tlsServerName = registration.tlsServerName;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.#current(clusterId, secretDigest);
      const record = stored.value;
      const now = this.#o.now();
      const agent = { lastSeenAt: now, version: registration.agentVersion };
      const pending = isPendingRecord(record);
      const same =
        !pending &&
        record.endpoint === endpoint &&
        record.caPem === caPem &&
        record.tlsServerName === tlsServerName &&
        !record.dangerouslySkipTlsVerify &&
        this.#opens(record, 'impersonatorToken') === impersonatorToken &&
        this.#opens(record, 'managerToken') === managerToken;
      const box = this.#o.secretBox;
      const next: ClusterRecord = same
        ? { ...record, agent }
        : {
            ...record,
            endpoint,
            caPem,
            tlsServerName,
            dangerouslySkipTlsVerify: false,
            impersonatorToken: box.seal(
              impersonatorToken,
              credentialPlace(clusterId, 'impersonatorToken'),
            ),
            managerToken: box.seal(managerToken, credentialPlace(clusterId, 'managerToken')),
            updatedAt: now,
            agent,
          };
      try {
        await this.#o.clusters.update(clusterId, next, { resourceVersion: stored.resourceVersion });
        return { completed: pending, changed: !same };
      } catch (err) {
        // A health probe (or another agent replica) wrote the record meanwhile: again.
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
      }
    }
  }

  /** A new secret for an agent cluster; sessions made with the old one are closed. */
  async rotate(clusterId: string): Promise<ClusterRecord> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.#o.clusters.get(clusterId);
      if (stored === undefined) {
        throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
          reason: 'cluster_not_found',
        });
      }
      if (stored.value.transport !== 'agent') throw notAgentCluster(clusterId);
      const next: ClusterRecord = {
        ...stored.value,
        agentSecret: this.#seal(clusterId, this.#newSecret()),
        updatedAt: this.#o.now(),
      };
      try {
        const written = await this.#o.clusters.update(clusterId, next, {
          resourceVersion: stored.resourceVersion,
        });
        return written.value;
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
      }
    }
  }

  async #current(clusterId: string, secretDigest: string): Promise<StoredRecord<ClusterRecord>> {
    const stored = await this.#o.clusters.get(clusterId);
    if (stored === undefined || this.digestOf(stored.value) !== secretDigest) {
      throw new PaddockError('UNAUTHENTICATED', 'the registration secret is no longer valid', {
        reason: 'agent_secret_rotated',
      });
    }
    return stored;
  }

  #opens(record: ClusterRecord, field: 'impersonatorToken' | 'managerToken'): string | undefined {
    const sealed = record[field];
    return sealed === undefined
      ? undefined
      : this.#o.secretBox.open(sealed, credentialPlace(record.id, field));
  }

  #seal(clusterId: string, secret: string): string {
    return this.#o.secretBox.seal(secret, credentialPlace(clusterId, 'agentSecret'));
  }

  #secretOf(record: ClusterRecord): string {
    if (record.agentSecret === undefined) throw notAgentCluster(record.id);
    return this.#o.secretBox.open(record.agentSecret, credentialPlace(record.id, 'agentSecret'));
  }
}

/** CONFLICT (`not_agent_cluster`): the operation is only for clusters reached by an agent. */
export function notAgentCluster(clusterId: string): PaddockError {
  return new PaddockError(
    'CONFLICT',
    `cluster ${clusterId} is not reached through an agent; it has no registration secret`,
    { reason: 'not_agent_cluster' },
  );
}

/** CONFLICT (`agent_cluster`): its agent reports endpoint and tokens, nobody else does. */
export function agentCluster(clusterId: string): PaddockError {
  return new PaddockError(
    'CONFLICT',
    `cluster ${clusterId} is reached through its agent, which reports its endpoint and tokens; ` +
      'rotate its registration secret instead',
    { reason: 'agent_cluster' },
  );
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
