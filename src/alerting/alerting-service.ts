/**
 * `AlertingAdmin`: rules, alerts and notifiers behind one authorization check per call, in the
 * `management.paddock.io` group: `clusteralertrules` and `notifiers` at cluster scope,
 * `projectalertrules` at project scope (a cluster's bindings also count in its projects).
 */
import { randomBytes } from 'node:crypto';
import type {
  Alert,
  AlertChange,
  AlertFilter,
  AlertingAdmin,
  AlertRule,
  AlertRuleInput,
  Notifier,
  NotifierDelivery,
  NotifierInput,
  ScopedAccessCheck,
  ToolScope,
} from '../domain/alerting.js';
import type { Identity } from '../domain/identity.js';
import type { Collection, Store } from '../domain/store.js';
import { PaddockError } from '../errors/index.js';
import { alertRulesCollection, alertsCollection } from './alert-records.js';
import { notificationOf } from './group-flush.js';
import { invalid } from './invalid-input.js';
import type { NotifierStore } from './notifier-store.js';
import { deliver, type RetryOptions } from './notifiers/deliver.js';
import { senderFor } from './notifiers/notifier-kinds.js';
import { buildRule } from './rule-input.js';

export interface AlertingServiceOptions {
  readonly store: Store;
  readonly access: ScopedAccessCheck;
  readonly notifiers: NotifierStore;
  /** Whether a cluster is registered. */
  readonly clusterExists: (clusterId: string) => Promise<boolean>;
  /** Whether a project exists in a cluster. */
  readonly projectExists: (clusterId: string, projectId: string) => Promise<boolean>;
  readonly retry?: RetryOptions;
  readonly externalUrl?: () => string;
  readonly now?: () => number;
}

type Verb = 'get' | 'list' | 'create' | 'update' | 'delete';

const ruleResource = (scope: ToolScope) =>
  scope.projectId === undefined ? 'clusteralertrules' : 'projectalertrules';

export class AlertingService implements AlertingAdmin {
  readonly #o: AlertingServiceOptions;
  readonly #rules: Collection<AlertRule>;
  readonly #alerts: Collection<Alert>;
  readonly #now: () => number;

  constructor(options: AlertingServiceOptions) {
    this.#o = options;
    this.#rules = options.store.collection(alertRulesCollection);
    this.#alerts = options.store.collection(alertsCollection);
    this.#now = options.now ?? Date.now;
  }

  // -- rules -------------------------------------------------------------------------------

  async rules(caller: Identity, scope: ToolScope): Promise<AlertRule[]> {
    await this.#require(caller, 'list', ruleResource(scope), scope);
    const all = await this.#rules.list({ index: 'cluster', value: scope.clusterId });
    return all
      .map((r) => r.value)
      .filter((r) => r.scope.projectId === scope.projectId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async rule(caller: Identity, id: string): Promise<AlertRule> {
    const rule = await this.#ruleOrNotFound(id);
    await this.#require(caller, 'get', ruleResource(rule.scope), rule.scope);
    return rule;
  }

  async createRule(caller: Identity, scope: ToolScope, input: AlertRuleInput): Promise<AlertRule> {
    await this.#require(caller, 'create', ruleResource(scope), scope);
    await this.#scopeExists(scope);
    const id = `ar-${randomBytes(5).toString('hex')}`;
    const rule = buildRule(id, scope, input, undefined, this.#now());
    await this.#checkNotifiers(rule);
    await this.#rules.create(id, rule);
    return rule;
  }

  async updateRule(caller: Identity, id: string, input: AlertRuleInput): Promise<AlertRule> {
    const stored = await this.#rules.get(id);
    if (stored === undefined) throw ruleNotFound(id);
    const scope = stored.value.scope;
    await this.#require(caller, 'update', ruleResource(scope), scope);
    const rule = buildRule(id, scope, input, stored.value, this.#now());
    await this.#checkNotifiers(rule);
    await this.#rules.update(id, rule, { resourceVersion: stored.resourceVersion });
    return rule;
  }

  async deleteRule(caller: Identity, id: string): Promise<boolean> {
    const stored = await this.#rules.get(id);
    if (stored === undefined) return false;
    await this.#require(caller, 'delete', ruleResource(stored.value.scope), stored.value.scope);
    return this.#rules.delete(id);
  }

  async muteRule(caller: Identity, id: string, until: number | null): Promise<AlertRule> {
    const stored = await this.#rules.get(id);
    if (stored === undefined) throw ruleNotFound(id);
    const scope = stored.value.scope;
    await this.#require(caller, 'update', ruleResource(scope), scope);
    if (until !== null && (!Number.isFinite(until) || until <= this.#now()))
      throw invalid('until', 'must be a time in the future');
    const { mutedUntil: _old, ...rest } = stored.value;
    const rule: AlertRule = {
      ...rest,
      ...(until === null ? {} : { mutedUntil: until }),
      updatedAt: this.#now(),
    };
    await this.#rules.update(id, rule, { resourceVersion: stored.resourceVersion });
    return rule;
  }

  // -- alerts ------------------------------------------------------------------------------

  async alerts(caller: Identity, filter: AlertFilter): Promise<Alert[]> {
    if (filter.projectId !== undefined && filter.clusterId === undefined)
      throw invalid('projectId', 'needs clusterId');
    const records =
      filter.clusterId === undefined
        ? await this.#alerts.list()
        : await this.#alerts.list({ index: 'cluster', value: filter.clusterId });
    const visible = this.#visibility(caller);
    const out: Alert[] = [];
    for (const { value } of records) {
      if (matches(value, filter) && (await visible(value))) out.push(value);
    }
    return out.sort(
      (a, b) => b.activeAt - a.activeAt || a.fingerprint.localeCompare(b.fingerprint),
    );
  }

  async watchAlerts(
    caller: Identity,
    filter: AlertFilter,
    listener: (change: AlertChange) => void,
  ): Promise<() => void> {
    if (filter.clusterId !== undefined) {
      const scope = {
        clusterId: filter.clusterId,
        ...(filter.projectId ? { projectId: filter.projectId } : {}),
      };
      if (!(await this.#canSeeAlertsIn(caller, scope))) throw forbidden('list', 'alerts', scope);
    }
    // Visibility is asked again per change, so a removed binding stops the events.
    return this.#alerts.watch((event) => {
      const alert = event.value;
      if (alert === undefined || !matches(alert, filter)) return;
      void this.#canSeeAlertsIn(caller, scopeOf(alert)).then(
        (ok) => {
          if (ok) listener({ type: event.type === 'deleted' ? 'removed' : 'updated', alert });
        },
        () => undefined,
      );
    });
  }

  // -- notifiers ---------------------------------------------------------------------------

  async notifiers(caller: Identity, clusterId: string, projectId?: string): Promise<Notifier[]> {
    const scope = { clusterId, ...(projectId ? { projectId } : {}) };
    await this.#require(caller, 'list', 'notifiers', scope);
    return (await this.#o.notifiers.list(clusterId)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async createNotifier(
    caller: Identity,
    clusterId: string,
    input: NotifierInput,
  ): Promise<Notifier> {
    const scope = { clusterId };
    await this.#require(caller, 'create', 'notifiers', scope);
    await this.#scopeExists(scope);
    return this.#o.notifiers.create(scope, input);
  }

  async updateNotifier(caller: Identity, id: string, input: NotifierInput): Promise<Notifier> {
    const record = await this.#notifierOrNotFound(id);
    await this.#require(caller, 'update', 'notifiers', { clusterId: record.clusterId });
    return this.#o.notifiers.update(id, input);
  }

  async deleteNotifier(caller: Identity, id: string): Promise<boolean> {
    const record = await this.#o.notifiers.record(id);
    if (record === undefined) return false;
    await this.#require(caller, 'delete', 'notifiers', { clusterId: record.clusterId });
    const users = (await this.#rules.list({ index: 'cluster', value: record.clusterId }))
      .map((r) => r.value)
      .filter((r) => r.notifierIds.includes(id));
    if (users.length > 0) {
      throw new PaddockError(
        'CONFLICT',
        `notifier ${id} is used by alert rule(s) ${users.map((r) => r.name).join(', ')}; remove it from them first`,
        { reason: 'in_use' },
      );
    }
    return this.#o.notifiers.delete(id);
  }

  async testNotifier(caller: Identity, id: string): Promise<NotifierDelivery> {
    const record = await this.#notifierOrNotFound(id);
    await this.#require(caller, 'update', 'notifiers', { clusterId: record.clusterId });
    const now = this.#now();
    const alert: Alert = {
      fingerprint: 'test000000000000',
      ruleId: 'test',
      ruleName: 'Paddock test notification',
      clusterId: record.clusterId,
      severity: 'info',
      state: 'firing',
      labels: { alertname: 'PaddockTest', cluster: record.clusterId, severity: 'info' },
      summary: `a test notification from Paddock to ${record.name}`,
      activeAt: now,
      firingAt: now,
      muted: false,
    };
    const rule = {
      name: 'Paddock test notification',
      scope: { clusterId: record.clusterId },
      severity: 'info',
    } as AlertRule;
    const notification = notificationOf(
      rule,
      {
        key: `test/${record.clusterId}`,
        groupLabels: { alertname: 'PaddockTest' },
        firing: [alert],
        resolved: [],
      },
      record.name,
      this.#o.externalUrl?.() ?? '',
      true,
    );
    const delivery = await deliver(
      senderFor(record.kind),
      notification,
      this.#o.notifiers.target(record),
      { ...this.#o.retry, attempts: 1 },
    );
    await this.#o.notifiers.recordDelivery(id, delivery);
    return delivery;
  }

  // -- helpers -----------------------------------------------------------------------------

  async #require(caller: Identity, verb: Verb, resource: string, scope: ToolScope): Promise<void> {
    if (!(await this.#o.access.allowsIn(caller, { verb, resource }, scope)))
      throw forbidden(verb, resource, scope);
  }

  #canSeeAlertsIn(caller: Identity, scope: ToolScope): Promise<boolean> {
    return this.#o.access.allowsIn(caller, { verb: 'list', resource: ruleResource(scope) }, scope);
  }

  #visibility(caller: Identity): (alert: Alert) => Promise<boolean> {
    const memo = new Map<string, Promise<boolean>>();
    return (alert) => {
      const scope = scopeOf(alert);
      const key = `${scope.clusterId}/${scope.projectId ?? ''}`;
      let answer = memo.get(key);
      if (answer === undefined) {
        answer = this.#canSeeAlertsIn(caller, scope);
        memo.set(key, answer);
      }
      return answer;
    };
  }

  async #scopeExists(scope: ToolScope): Promise<void> {
    if (!(await this.#o.clusterExists(scope.clusterId))) {
      throw new PaddockError('NOT_FOUND', `cluster ${scope.clusterId} not found`, {
        reason: 'cluster_not_found',
      });
    }
    if (
      scope.projectId !== undefined &&
      !(await this.#o.projectExists(scope.clusterId, scope.projectId))
    ) {
      throw new PaddockError(
        'NOT_FOUND',
        `project ${scope.clusterId}:${scope.projectId} not found`,
        {
          reason: 'project_not_found',
        },
      );
    }
  }

  async #checkNotifiers(rule: AlertRule): Promise<void> {
    for (const id of rule.notifierIds) {
      const record = await this.#o.notifiers.record(id);
      if (record === undefined || record.clusterId !== rule.scope.clusterId)
        throw invalid(
          'notifierIds',
          `notifier ${id} is not a notifier of cluster ${rule.scope.clusterId}`,
        );
    }
  }

  async #ruleOrNotFound(id: string): Promise<AlertRule> {
    const stored = await this.#rules.get(id);
    if (stored === undefined) throw ruleNotFound(id);
    return stored.value;
  }

  async #notifierOrNotFound(id: string) {
    const record = await this.#o.notifiers.record(id);
    if (record === undefined)
      throw new PaddockError('NOT_FOUND', `notifier ${id} not found`, {
        reason: 'notifier_not_found',
      });
    return record;
  }
}

function scopeOf(alert: Alert): ToolScope {
  return { clusterId: alert.clusterId, ...(alert.projectId ? { projectId: alert.projectId } : {}) };
}

function matches(alert: Alert, filter: AlertFilter): boolean {
  if (filter.clusterId !== undefined && alert.clusterId !== filter.clusterId) return false;
  if (filter.projectId !== undefined && alert.projectId !== filter.projectId) return false;
  if (filter.states !== undefined && !filter.states.includes(alert.state)) return false;
  return true;
}

function ruleNotFound(id: string): PaddockError {
  return new PaddockError('NOT_FOUND', `alert rule ${id} not found`, {
    reason: 'alert_rule_not_found',
  });
}

function forbidden(verb: string, resource: string, scope: ToolScope): PaddockError {
  const where =
    scope.projectId === undefined
      ? `in cluster ${scope.clusterId}`
      : `in project ${scope.clusterId}:${scope.projectId}`;
  return new PaddockError('FORBIDDEN', `you may not ${verb} ${resource} ${where}`, {
    reason: 'missing_permission',
    details: { verb, resource },
  });
}
