/**
 * Alertmanager's grouping, as a pure plan: a rule's alerts are grouped by rule, cluster and the
 * rule's `groupBy` labels. A new group waits `groupWait` before its first notification; after a
 * notification, changes (new firing or resolved alerts) go out after `groupInterval`, and an
 * unchanged firing group is repeated after `repeatInterval`. A muted rule sends nothing.
 */
import type { Alert, AlertRule } from '../domain/alerting.js';
import type { AlertGroupRecord } from './alert-records.js';

export interface GroupFlush {
  readonly key: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly firing: readonly Alert[];
  /** Alerts that were notified firing and have resolved since. */
  readonly resolved: readonly Alert[];
  /** The group as it will be stored after a successful flush; undefined: delete it. */
  readonly after: AlertGroupRecord | undefined;
}

export interface GroupPlan {
  readonly flushes: GroupFlush[];
  /** Groups first seen now (to store, so the wait survives a failover). */
  readonly created: AlertGroupRecord[];
  /** Groups with nothing left to notify. */
  readonly deleted: string[];
}

export function groupLabelsOf(rule: AlertRule, alert: Alert): Record<string, string> {
  const labels: Record<string, string> = { alertname: rule.name, cluster: rule.scope.clusterId };
  for (const name of rule.groupBy) labels[name] = alert.labels[name] ?? '';
  return labels;
}

export function groupKeyOf(rule: AlertRule, labels: Readonly<Record<string, string>>): string {
  const extra = rule.groupBy.map((n) => `${n}=${labels[n] ?? ''}`).join(',');
  return `${rule.id}/${rule.scope.clusterId}${extra ? `/${extra}` : ''}`;
}

export function planGroups(
  rule: AlertRule,
  alerts: Iterable<Alert>,
  groups: ReadonlyMap<string, AlertGroupRecord>,
  now: number,
  /** Groups being flushed now: left alone until their flush ends. */
  busy: ReadonlySet<string> = new Set(),
): GroupPlan {
  const byKey = new Map<string, { labels: Record<string, string>; alerts: Alert[] }>();
  for (const alert of alerts) {
    const labels = groupLabelsOf(rule, alert);
    const key = groupKeyOf(rule, labels);
    const entry = byKey.get(key) ?? { labels, alerts: [] };
    entry.alerts.push(alert);
    byKey.set(key, entry);
  }
  const flushes: GroupFlush[] = [];
  const created: AlertGroupRecord[] = [];
  const deleted: string[] = [];
  const muted = rule.mutedUntil !== undefined && rule.mutedUntil > now;
  for (const key of groups.keys()) if (!byKey.has(key) && !busy.has(key)) deleted.push(key);
  for (const [key, { labels, alerts: members }] of byKey) {
    if (busy.has(key)) continue;
    const firing = members.filter((a) => a.state === 'firing').sort(byFingerprint);
    let group = groups.get(key);
    const notified = new Set(group?.notifiedFiring ?? []);
    const resolved = members.filter((a) => a.state === 'resolved' && notified.has(a.fingerprint));
    if (firing.length === 0 && resolved.length === 0) {
      if (group !== undefined) deleted.push(key);
      continue;
    }
    if (group === undefined) {
      group = {
        key,
        ruleId: rule.id,
        clusterId: rule.scope.clusterId,
        firstSeenAt: now,
        notifiedFiring: [],
        sent: {},
      };
      created.push(group);
    }
    if (muted) continue;
    const firingPrints = firing.map((a) => a.fingerprint);
    const changed =
      resolved.length > 0 || firingPrints.join(',') !== [...group.notifiedFiring].join(',');
    let due: number;
    if (group.lastFlushAt === undefined) due = group.firstSeenAt + rule.groupWaitSeconds * 1000;
    else if (changed) due = group.lastFlushAt + rule.groupIntervalSeconds * 1000;
    else if (firing.length > 0) due = group.lastFlushAt + rule.repeatIntervalSeconds * 1000;
    else continue;
    if (now < due) continue;
    flushes.push({
      key,
      groupLabels: labels,
      firing,
      resolved,
      after:
        firing.length === 0
          ? undefined
          : { ...group, lastFlushAt: now, notifiedFiring: firingPrints },
    });
  }
  return { flushes, created, deleted };
}

function byFingerprint(a: Alert, b: Alert): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}
