/** What alerting keeps in the store: rules, alerts, notification groups and notifiers. */
import type { Alert, AlertRule, NotifierDelivery, NotifierKind } from '../domain/alerting.js';
import type { CollectionSpec } from '../domain/store.js';

export const alertRulesCollection: CollectionSpec<AlertRule> = {
  name: 'alert-rules',
  indexes: { cluster: { key: (r) => r.scope.clusterId } },
};

/** One alert per fingerprint, written on every state change (not on every evaluation). */
export const alertsCollection: CollectionSpec<Alert> = {
  name: 'alerts',
  indexes: {
    rule: { key: (a) => a.ruleId },
    cluster: { key: (a) => a.clusterId },
  },
};

/**
 * The dispatcher's memory of one group: when it was last flushed and what each notifier was
 * last sent, so a replica taking over neither repeats nor forgets a notification.
 */
export interface AlertGroupRecord {
  readonly key: string;
  readonly ruleId: string;
  readonly clusterId: string;
  /** When the group's first firing alert was seen (group-wait counts from here). */
  readonly firstSeenAt: number;
  readonly lastFlushAt?: number;
  /** Firing fingerprints of the last flush, sorted. */
  readonly notifiedFiring: readonly string[];
  /** Per notifier: hash of the content last delivered and when. */
  readonly sent: Readonly<Record<string, { readonly hash: string; readonly at: number }>>;
}

export const alertGroupsCollection: CollectionSpec<AlertGroupRecord> = {
  name: 'alert-groups',
  indexes: { rule: { key: (g) => g.ruleId } },
};

export interface NotifierRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly name: string;
  readonly kind: NotifierKind;
  readonly settings: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Field -> value sealed by the SecretBox, bound to `notifier:<id>/<field>`. */
  readonly sealedSecrets: Readonly<Record<string, string>>;
  readonly sendResolved: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const notifiersCollection: CollectionSpec<NotifierRecord> = {
  name: 'notifiers',
  indexes: {
    cluster: { key: (n) => n.clusterId },
    name: { key: (n) => `${n.clusterId}/${n.name}`, unique: true },
  },
};

export const notifierDeliveriesCollection: CollectionSpec<NotifierDelivery> = {
  name: 'notifier-deliveries',
};

export const alertingCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  alertRulesCollection,
  alertsCollection,
  alertGroupsCollection,
  notifiersCollection,
  notifierDeliveriesCollection,
] as CollectionSpec<unknown>[];

/** Where a notifier secret is sealed, so a sealed value cannot be moved to another field. */
export const notifierSecretPlace = (id: string, field: string) => `notifier:${id}/${field}`;
