/**
 * The state machine of one rule's alerts: a condition newly seen is `pending`; once it has held
 * for the rule's `for` it is `firing`; when it no longer holds a firing alert is `resolved` and a
 * pending one is dropped. Resolved alerts stay a while so their resolution can be notified.
 */
import { createHash } from 'node:crypto';
import type { Alert, AlertRule } from '../domain/alerting.js';
import type { ActiveAlert } from './evaluate/cluster-view.js';

export interface StateChanges {
  /** Every alert of the rule after this step, by fingerprint. */
  readonly alerts: Map<string, Alert>;
  /** Alerts created or changed (to write and announce). */
  readonly changed: Alert[];
  /** Alerts that are gone (to delete). */
  readonly removed: Alert[];
}

/** Alertmanager-style fingerprint: a hash of the rule and the sorted labels. */
export function fingerprintOf(ruleId: string, labels: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(`${ruleId}\u0000${sorted}`).digest('hex').slice(0, 16);
}

/** The labels every alert of a rule carries, then the condition's own. */
export function alertLabels(rule: AlertRule, own: Readonly<Record<string, string>>) {
  return {
    alertname: rule.name,
    rule_id: rule.id,
    cluster: rule.scope.clusterId,
    ...(rule.scope.projectId ? { project: rule.scope.projectId } : {}),
    severity: rule.severity,
    ...own,
  };
}

/** How long a resolved alert is kept: long enough for its group to be flushed. */
export function resolvedRetentionMs(rule: AlertRule): number {
  return Math.max(15 * 60_000, (rule.groupIntervalSeconds * 2 + 60) * 1000);
}

export function stepAlerts(
  rule: AlertRule,
  previous: ReadonlyMap<string, Alert>,
  active: readonly ActiveAlert[] | undefined,
  now: number,
): StateChanges {
  const alerts = new Map<string, Alert>();
  const changed: Alert[] = [];
  const removed: Alert[] = [];
  const muted = rule.mutedUntil !== undefined && rule.mutedUntil > now;
  const forMs = rule.forSeconds * 1000;
  const seen = new Set<string>();
  const put = (next: Alert, before: Alert | undefined) => {
    alerts.set(next.fingerprint, next);
    if (
      before === undefined ||
      before.state !== next.state ||
      before.muted !== next.muted ||
      before.severity !== next.severity ||
      before.ruleName !== next.ruleName
    )
      changed.push(next);
  };
  // `undefined`: the condition could not be evaluated (cache not synced); only time moves.
  for (const a of active ?? []) {
    const labels = alertLabels(rule, a.labels);
    const fingerprint = fingerprintOf(rule.id, labels);
    seen.add(fingerprint);
    const before = previous.get(fingerprint);
    const restart = before === undefined || before.state === 'resolved';
    const activeAt = restart ? now : before.activeAt;
    const firing = now - activeAt >= forMs;
    put(
      {
        fingerprint,
        ruleId: rule.id,
        ruleName: rule.name,
        clusterId: rule.scope.clusterId,
        ...(rule.scope.projectId ? { projectId: rule.scope.projectId } : {}),
        severity: rule.severity,
        state: firing ? 'firing' : 'pending',
        labels,
        summary:
          restart || before.state !== (firing ? 'firing' : 'pending') ? a.summary : before.summary,
        activeAt,
        ...(firing
          ? { firingAt: !restart && before.firingAt !== undefined ? before.firingAt : now }
          : {}),
        muted,
      },
      restart ? undefined : before,
    );
  }
  for (const [fingerprint, before] of previous) {
    if (seen.has(fingerprint)) continue;
    if (active === undefined && before.state !== 'resolved') {
      // Unknown now: a pending alert may still become firing on time alone.
      const firing = before.state === 'firing' || now - before.activeAt >= forMs;
      put(
        {
          ...before,
          state: firing ? 'firing' : 'pending',
          ...(firing && before.firingAt === undefined ? { firingAt: now } : {}),
          muted,
        },
        before,
      );
      continue;
    }
    if (before.state === 'pending') {
      removed.push(before);
    } else if (before.state === 'firing') {
      put({ ...before, state: 'resolved', resolvedAt: now, muted }, before);
    } else if (now - (before.resolvedAt ?? now) > resolvedRetentionMs(rule)) {
      removed.push(before);
    } else {
      put({ ...before, muted }, before);
    }
  }
  return { alerts, changed, removed };
}
