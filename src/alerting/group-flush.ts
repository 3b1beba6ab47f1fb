/**
 * Sends one planned group flush to each of the rule's notifiers. Per notifier, the hash of what
 * it was last sent is kept with the group, so a replica that takes over after a crash skips the
 * notifiers that already have this exact notification.
 */
import { createHash } from 'node:crypto';
import type { Alert, AlertRule } from '../domain/alerting.js';
import type { Logger } from '../domain/logger.js';
import type { AlertGroupRecord } from './alert-records.js';
import type { GroupFlush } from './group-plan.js';
import type { NotifierStore } from './notifier-store.js';
import { deliver, type RetryOptions } from './notifiers/deliver.js';
import { type GroupNotification, type NotifiedAlert, ZERO_TIME } from './notifiers/notification.js';
import { senderFor } from './notifiers/notifier-kinds.js';

export interface FlushContext {
  readonly notifiers: NotifierStore;
  readonly logger: Logger;
  readonly retry: RetryOptions;
  readonly externalUrl: () => string;
  readonly now: () => number;
}

export function notifiedAlert(a: Alert): NotifiedAlert {
  return {
    status: a.state === 'resolved' ? 'resolved' : 'firing',
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: { summary: a.summary },
    startsAt: new Date(a.firingAt ?? a.activeAt).toISOString(),
    endsAt: a.resolvedAt === undefined ? ZERO_TIME : new Date(a.resolvedAt).toISOString(),
  };
}

function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (first === undefined) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)),
  );
}

export function notificationOf(
  rule: AlertRule,
  flush: Pick<GroupFlush, 'key' | 'groupLabels' | 'firing' | 'resolved'>,
  receiver: string,
  externalUrl: string,
  test = false,
): GroupNotification {
  const alerts = [...flush.firing, ...flush.resolved].map(notifiedAlert);
  return {
    groupKey: flush.key,
    status: flush.firing.length > 0 ? 'firing' : 'resolved',
    receiver,
    ruleName: rule.name,
    clusterId: rule.scope.clusterId,
    severity: rule.severity,
    groupLabels: flush.groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    alerts,
    externalUrl,
    test,
  };
}

export function contentHash(flush: Pick<GroupFlush, 'firing' | 'resolved'>): string {
  const text = [
    ...flush.firing.map((a) => `f:${a.fingerprint}`),
    ...flush.resolved.map((a) => `r:${a.fingerprint}`),
  ].join(',');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Delivers the flush; returns the per-notifier `sent` map to store with the group. */
export async function flushGroup(
  ctx: FlushContext,
  rule: AlertRule,
  flush: GroupFlush,
  group: AlertGroupRecord | undefined,
  onSent: (sent: AlertGroupRecord['sent']) => Promise<void>,
): Promise<AlertGroupRecord['sent']> {
  const hash = contentHash(flush);
  const sent: Record<string, { hash: string; at: number }> = { ...(group?.sent ?? {}) };
  const onlyResolved = flush.firing.length === 0;
  for (const id of rule.notifierIds) {
    const previous = sent[id];
    if (previous?.hash === hash && ctx.now() - previous.at < rule.repeatIntervalSeconds * 1000) {
      continue;
    }
    const record = await ctx.notifiers.record(id);
    if (record === undefined || record.clusterId !== rule.scope.clusterId) continue;
    if (onlyResolved && !record.sendResolved) continue;
    const sender = senderFor(record.kind);
    let target: ReturnType<NotifierStore['target']>;
    try {
      target = ctx.notifiers.target(record);
    } catch (err) {
      ctx.logger.error({ err, notifierId: id }, 'alerting: cannot open the notifier secrets');
      continue;
    }
    const notification = notificationOf(rule, flush, record.name, ctx.externalUrl());
    const delivery = await deliver(sender, notification, target, ctx.retry);
    await ctx.notifiers.recordDelivery(id, delivery).catch((err: unknown) => {
      ctx.logger.warn({ err, notifierId: id }, 'alerting: cannot record a delivery');
    });
    if (delivery.ok) {
      sent[id] = { hash, at: delivery.at };
      await onSent({ ...sent });
    } else {
      ctx.logger.warn(
        { notifierId: id, ruleId: rule.id, message: delivery.message, attempts: delivery.attempts },
        'alerting: notification failed',
      );
    }
  }
  return sent;
}
