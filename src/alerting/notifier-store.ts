/**
 * Notifiers in the store with their secrets sealed by the SecretBox (bound to the notifier and
 * field), their last delivery beside them, and the one place that opens a secret: for sending.
 */
import { randomBytes } from 'node:crypto';
import type { Notifier, NotifierDelivery, NotifierInput, ToolScope } from '../domain/alerting.js';
import { validateSecrets, validateSettings } from '../domain/field-specs.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import {
  type NotifierRecord,
  notifierDeliveriesCollection,
  notifierSecretPlace,
  notifiersCollection,
} from './alert-records.js';
import { invalid } from './invalid-input.js';
import type { SenderTarget } from './notifiers/notification.js';
import { NOTIFIER_KINDS, senderFor } from './notifiers/notifier-kinds.js';

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,62}$/u;

export class NotifierStore {
  readonly #records: Collection<NotifierRecord>;
  readonly #deliveries: Collection<NotifierDelivery>;
  readonly #box: SecretBox;
  readonly #now: () => number;

  constructor(store: Store, box: SecretBox, now: () => number = Date.now) {
    this.#records = store.collection(notifiersCollection);
    this.#deliveries = store.collection(notifierDeliveriesCollection);
    this.#box = box;
    this.#now = now;
  }

  async list(clusterId: string): Promise<Notifier[]> {
    const records = await this.#records.list({ index: 'cluster', value: clusterId });
    return Promise.all(records.map((r) => this.#view(r.value)));
  }

  async record(id: string): Promise<NotifierRecord | undefined> {
    return (await this.#records.get(id))?.value;
  }

  async get(id: string): Promise<Notifier | undefined> {
    const r = await this.record(id);
    return r && this.#view(r);
  }

  async create(scope: ToolScope, input: NotifierInput): Promise<Notifier> {
    const id = `n-${randomBytes(5).toString('hex')}`;
    const record = this.#build(id, scope.clusterId, input, undefined);
    try {
      await this.#records.create(id, record);
    } catch (err) {
      if (hasErrorCode(err, 'CONFLICT'))
        throw invalid(
          'name',
          `a notifier named ${JSON.stringify(input.name)} exists in this cluster`,
        );
      throw err;
    }
    return this.#view(record);
  }

  async update(id: string, input: NotifierInput): Promise<Notifier> {
    const stored = await this.#records.get(id);
    if (stored === undefined) throw notFound(id);
    const record = this.#build(id, stored.value.clusterId, input, stored.value);
    await this.#records.update(id, record, { resourceVersion: stored.resourceVersion });
    return this.#view(record);
  }

  async delete(id: string): Promise<boolean> {
    await this.#deliveries.delete(id);
    return this.#records.delete(id);
  }

  /** Settings and opened secrets, for sending only. Never return this to a caller. */
  target(record: NotifierRecord): SenderTarget {
    const secrets: Record<string, string> = {};
    for (const [field, sealed] of Object.entries(record.sealedSecrets)) {
      secrets[field] = this.#box.open(sealed, notifierSecretPlace(record.id, field));
    }
    return { settings: record.settings, secrets };
  }

  async recordDelivery(id: string, delivery: NotifierDelivery): Promise<void> {
    try {
      await this.#deliveries.update(id, delivery);
    } catch (err) {
      if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
      await this.#deliveries.create(id, delivery).catch((e: unknown) => {
        if (!hasErrorCode(e, 'CONFLICT')) throw e;
        return this.#deliveries.update(id, delivery);
      });
    }
  }

  #build(
    id: string,
    clusterId: string,
    input: NotifierInput,
    before: NotifierRecord | undefined,
  ): NotifierRecord {
    if (typeof input.name !== 'string' || !NAME.test(input.name))
      throw invalid('name', 'must be 1-63 letters, digits, spaces, dots, dashes or underscores');
    if (!NOTIFIER_KINDS.includes(input.kind))
      throw invalid('kind', `must be one of ${NOTIFIER_KINDS.join(', ')}`);
    if (before !== undefined && before.kind !== input.kind)
      throw invalid('kind', 'cannot change; create a new notifier instead');
    const sender = senderFor(input.kind);
    const settings = validateSettings(sender.settings, input.settings ?? {});
    const stored = new Set(Object.keys(before?.sealedSecrets ?? {}));
    const secrets = validateSecrets(sender.secrets, input.secrets, stored);
    const sealedSecrets: Record<string, string> = { ...(before?.sealedSecrets ?? {}) };
    for (const [field, value] of Object.entries(secrets)) {
      sealedSecrets[field] = this.#box.seal(value, notifierSecretPlace(id, field));
    }
    const now = this.#now();
    return {
      id,
      clusterId,
      name: input.name,
      kind: input.kind,
      settings,
      sealedSecrets,
      sendResolved: input.sendResolved ?? before?.sendResolved ?? true,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
  }

  async #view(r: NotifierRecord): Promise<Notifier> {
    const delivery = await this.#deliveries.get(r.id);
    return {
      id: r.id,
      clusterId: r.clusterId,
      name: r.name,
      kind: r.kind,
      settings: r.settings,
      secretFields: Object.keys(r.sealedSecrets).sort(),
      sendResolved: r.sendResolved,
      ...(delivery ? { lastDelivery: delivery.value } : {}),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }
}

function notFound(id: string): PaddockError {
  return new PaddockError('NOT_FOUND', `notifier ${id} not found`, {
    reason: 'notifier_not_found',
  });
}
