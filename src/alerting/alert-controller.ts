/**
 * The alerting controller (one replica at a time, through the ControllerHost's lease): follows
 * the informer kinds its rules need in each cluster, evaluates a cluster's rules when its
 * objects change, advances alert states on a short tick (`for`), and flushes notification
 * groups. Alerts and groups live in the store, so a replica taking over resumes where the
 * last one stopped instead of notifying everything again.
 */
import type { Registry } from 'prom-client';
import type { Alert, AlertRule } from '../domain/alerting.js';
import type { ClusterHealth, ClusterSummary } from '../domain/cluster.js';
import type { ClusterInformers, InformedKind } from '../domain/cluster-informers.js';
import type { Logger } from '../domain/logger.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import { namespaceProject } from '../rbac/project-label.js';
import { type AlertMetrics, createAlertMetrics } from './alert-metrics.js';
import {
  type AlertGroupRecord,
  alertGroupsCollection,
  alertRulesCollection,
  alertsCollection,
} from './alert-records.js';
import { stepAlerts } from './alert-states.js';
import { type ActiveAlert, type ClusterView, KINDS_NEEDED } from './evaluate/cluster-view.js';
import { evaluateCondition, isTimeDependent } from './evaluate/evaluate-condition.js';
import { RestartTracker } from './evaluate/restart-tracker.js';
import { flushGroup } from './group-flush.js';
import { planGroups } from './group-plan.js';
import type { NotifierStore } from './notifier-store.js';
import type { RetryOptions } from './notifiers/deliver.js';

export interface AlertControllerOptions {
  readonly store: Store;
  readonly informers: ClusterInformers;
  readonly clusters: { list(): Promise<ClusterSummary[]> };
  readonly notifiers: NotifierStore;
  readonly logger: Logger;
  readonly metricsRegistry?: Registry;
  /** State machine and group timing resolution; default 250 ms. */
  readonly tickMs?: number;
  /** How often time-dependent conditions and cluster health are read again; default 2 s. */
  readonly refreshMs?: number;
  readonly retry?: RetryOptions;
  readonly externalUrl?: () => string;
  readonly now?: () => number;
}

export class AlertController {
  readonly name = 'alerting';
  readonly #o: AlertControllerOptions;
  readonly #now: () => number;
  readonly #rules: Collection<AlertRule>;
  readonly #alertRecords: Collection<Alert>;
  readonly #groupRecords: Collection<AlertGroupRecord>;
  readonly #metrics: AlertMetrics | undefined;
  readonly #tracker = new RestartTracker();
  readonly #ruleById = new Map<string, AlertRule>();
  readonly #alerts = new Map<string, Map<string, Alert>>();
  readonly #groups = new Map<string, AlertGroupRecord>();
  readonly #active = new Map<string, readonly ActiveAlert[] | undefined>();
  readonly #subscriptions = new Map<string, () => void>();
  readonly #health = new Map<string, ClusterHealth>();
  readonly #dirty = new Set<string>();
  readonly #flushing = new Set<string>();
  readonly #writes = new Map<string, Promise<void>>();
  #evaluating: NodeJS.Timeout | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastRefresh = 0;
  #unwatchRules: (() => void) | undefined;
  #running = false;
  #inFlight = new Set<Promise<unknown>>();

  constructor(options: AlertControllerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#rules = options.store.collection(alertRulesCollection);
    this.#alertRecords = options.store.collection(alertsCollection);
    this.#groupRecords = options.store.collection(alertGroupsCollection);
    this.#metrics = options.metricsRegistry && createAlertMetrics(options.metricsRegistry);
  }

  async start(): Promise<void> {
    try {
      await this.#start();
    } catch (err) {
      // A store that failed mid-start leaves nothing running behind.
      await this.stop();
      throw err;
    }
  }

  async #start(): Promise<void> {
    this.#running = true;
    this.#unwatchRules = this.#rules.watch((event) => {
      if (!this.#running) return;
      if (event.type === 'deleted' || event.value === undefined) this.#dropRule(event.id);
      else this.#putRule(event.value);
    });
    for (const r of await this.#rules.list()) this.#ruleById.set(r.id, r.value);
    for (const r of await this.#alertRecords.list()) {
      if (!this.#ruleById.has(r.value.ruleId)) {
        void this.#alertRecords.delete(r.id).catch(() => undefined);
        continue;
      }
      this.#alertsOf(r.value.ruleId).set(r.id, r.value);
    }
    for (const g of await this.#groupRecords.list()) this.#groups.set(g.id, g.value);
    await this.#refreshHealth();
    this.#resubscribe();
    for (const rule of this.#ruleById.values()) this.#dirty.add(rule.scope.clusterId);
    this.#evaluateDirty();
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.#tick().finally(() => {
          if (this.#running) loop();
        });
      }, this.#o.tickMs ?? 250);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    clearTimeout(this.#evaluating);
    this.#unwatchRules?.();
    for (const stop of this.#subscriptions.values()) stop();
    this.#subscriptions.clear();
    await Promise.allSettled([...this.#inFlight, ...this.#writes.values()]);
    this.#ruleById.clear();
    this.#alerts.clear();
    this.#groups.clear();
    this.#active.clear();
  }

  /** Alerts held in memory now (tests, metrics). */
  alerts(): Alert[] {
    return [...this.#alerts.values()].flatMap((m) => [...m.values()]);
  }

  // -- rules -------------------------------------------------------------------------------

  #putRule(rule: AlertRule): void {
    const before = this.#ruleById.get(rule.id);
    this.#ruleById.set(rule.id, rule);
    if (!rule.enabled) {
      this.#clearRule(rule.id);
    } else if (
      before === undefined ||
      JSON.stringify(before.condition) !== JSON.stringify(rule.condition) ||
      before.name !== rule.name ||
      before.severity !== rule.severity ||
      !before.enabled
    ) {
      this.#active.delete(rule.id);
    }
    this.#resubscribe();
    this.#markDirty(rule.scope.clusterId);
  }

  #dropRule(id: string): void {
    this.#ruleById.delete(id);
    this.#clearRule(id);
    this.#resubscribe();
  }

  #clearRule(id: string): void {
    this.#active.delete(id);
    for (const alert of this.#alerts.get(id)?.values() ?? []) this.#write(alert, true);
    this.#alerts.delete(id);
    for (const [key, group] of this.#groups) {
      if (group.ruleId !== id) continue;
      this.#groups.delete(key);
      void this.#groupRecords.delete(key).catch(() => undefined);
    }
  }

  #alertsOf(ruleId: string): Map<string, Alert> {
    let map = this.#alerts.get(ruleId);
    if (map === undefined) {
      map = new Map();
      this.#alerts.set(ruleId, map);
    }
    return map;
  }

  // -- informers ---------------------------------------------------------------------------

  #resubscribe(): void {
    if (!this.#running) return;
    const wanted = new Set<string>();
    for (const rule of this.#ruleById.values()) {
      if (!rule.enabled) continue;
      const kinds: InformedKind[] = [...KINDS_NEEDED[rule.condition.kind]];
      if (rule.scope.projectId !== undefined) kinds.push('namespaces');
      for (const kind of kinds) wanted.add(`${rule.scope.clusterId}\u0000${kind}`);
    }
    for (const [key, stop] of this.#subscriptions) {
      if (!wanted.has(key)) {
        stop();
        this.#subscriptions.delete(key);
      }
    }
    for (const key of wanted) {
      if (this.#subscriptions.has(key)) continue;
      const [clusterId, kind] = key.split('\u0000') as [string, InformedKind];
      this.#subscriptions.set(
        key,
        this.#o.informers.subscribe(clusterId, kind, (event) => {
          // Replayed ADDED events of a late subscription and steady changes alike.
          if (event.type !== 'STALE') this.#markDirty(clusterId);
        }),
      );
    }
  }

  #markDirty(clusterId: string): void {
    this.#dirty.add(clusterId);
    if (this.#evaluating !== undefined || !this.#running) return;
    // Coalesce a burst of watch events into one evaluation.
    this.#evaluating = setTimeout(() => {
      this.#evaluating = undefined;
      this.#evaluateDirty();
    }, 20);
  }

  #evaluateDirty(): void {
    const clusters = [...this.#dirty];
    this.#dirty.clear();
    const now = this.#now();
    for (const rule of this.#ruleById.values()) {
      if (!rule.enabled || !clusters.includes(rule.scope.clusterId)) continue;
      this.#active.set(rule.id, this.#evaluate(rule, now));
      this.#advance(rule, now);
    }
  }

  #evaluate(rule: AlertRule, now: number): readonly ActiveAlert[] | undefined {
    const clusterId = rule.scope.clusterId;
    const kinds = [...KINDS_NEEDED[rule.condition.kind]];
    if (rule.scope.projectId !== undefined) kinds.push('namespaces');
    if (kinds.some((k) => !this.#o.informers.synced(clusterId, k))) return undefined;
    if (rule.condition.kind === 'clusterUnhealthy' && !this.#health.has(clusterId))
      return undefined;
    const informers = this.#o.informers;
    let projects: Map<string, string> | undefined;
    const view: ClusterView = {
      clusterId,
      now,
      health: this.#health.get(clusterId),
      list: (kind) => informers.list(clusterId, kind),
      projectOf: (namespace) => {
        if (projects === undefined) {
          projects = new Map();
          for (const ns of informers.list(clusterId, 'namespaces')) {
            const ref = namespaceProject({
              labels: ns.metadata.labels ?? {},
              annotations: ns.metadata.annotations ?? {},
            });
            if (ref?.clusterId === clusterId) projects.set(ns.metadata.name ?? '', ref.projectId);
          }
        }
        return projects.get(namespace);
      },
    };
    try {
      return evaluateCondition(rule, view, this.#tracker);
    } catch (err) {
      this.#o.logger.warn({ err, ruleId: rule.id }, 'alerting: evaluation failed');
      return undefined;
    }
  }

  // -- state and groups --------------------------------------------------------------------

  async #tick(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastRefresh >= (this.#o.refreshMs ?? 2_000)) {
      this.#lastRefresh = now;
      await this.#refreshHealth();
      for (const rule of this.#ruleById.values()) {
        if (rule.enabled && (isTimeDependent(rule) || rule.condition.kind === 'clusterUnhealthy'))
          this.#dirty.add(rule.scope.clusterId);
      }
      if (this.#dirty.size > 0) this.#evaluateDirty();
    }
    for (const rule of this.#ruleById.values()) if (rule.enabled) this.#advance(rule, now);
    this.#metrics?.set(this.alerts());
  }

  async #refreshHealth(): Promise<void> {
    try {
      for (const c of await this.#o.clusters.list()) this.#health.set(c.id, c.health);
    } catch (err) {
      this.#o.logger.debug({ err }, 'alerting: cannot read cluster health');
    }
  }

  #advance(rule: AlertRule, now: number): void {
    const previous = this.#alertsOf(rule.id);
    const step = stepAlerts(rule, previous, this.#active.get(rule.id), now);
    this.#alerts.set(rule.id, step.alerts);
    for (const alert of step.changed) this.#write(alert, false);
    for (const alert of step.removed) this.#write(alert, true);
    const groups = new Map([...this.#groups].filter(([, g]) => g.ruleId === rule.id));
    const members = [...step.alerts.values()].filter((a) => a.state !== 'pending');
    const plan = planGroups(rule, members, groups, now, this.#flushing);
    for (const group of plan.created) {
      this.#groups.set(group.key, group);
      this.#saveGroup(group);
    }
    for (const key of plan.deleted) {
      this.#groups.delete(key);
      void this.#groupRecords.delete(key).catch(() => undefined);
    }
    for (const flush of plan.flushes) {
      const before = this.#groups.get(flush.key);
      this.#flushing.add(flush.key);
      if (flush.after) this.#groups.set(flush.key, { ...flush.after, sent: before?.sent ?? {} });
      else this.#groups.delete(flush.key);
      const work = flushGroup(
        {
          notifiers: this.#o.notifiers,
          logger: this.#o.logger,
          retry: this.#o.retry ?? {},
          externalUrl: this.#o.externalUrl ?? (() => ''),
          now: this.#now,
        },
        rule,
        flush,
        before,
        async (sent) => {
          // Saved after each notifier, so a takeover mid-flush skips those already done.
          if (before !== undefined) await this.#putGroup({ ...before, sent });
        },
      )
        .then(async (sent) => {
          if (flush.after) {
            const next = { ...flush.after, sent };
            if (this.#running) this.#groups.set(flush.key, next);
            await this.#putGroup(next);
          } else {
            await this.#groupRecords.delete(flush.key).catch(() => undefined);
          }
        })
        .catch((err: unknown) => {
          this.#o.logger.error({ err, group: flush.key }, 'alerting: group flush failed');
        })
        .finally(() => {
          this.#flushing.delete(flush.key);
          this.#inFlight.delete(work);
        });
      this.#inFlight.add(work);
    }
  }

  #saveGroup(group: AlertGroupRecord): void {
    void this.#putGroup(group).catch((err: unknown) =>
      this.#o.logger.warn({ err, group: group.key }, 'alerting: cannot store a group'),
    );
  }

  async #putGroup(group: AlertGroupRecord): Promise<void> {
    try {
      await this.#groupRecords.update(group.key, group);
    } catch (err) {
      if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
      await this.#groupRecords.create(group.key, group).catch(async (e: unknown) => {
        if (!hasErrorCode(e, 'CONFLICT')) throw e;
        await this.#groupRecords.update(group.key, group);
      });
    }
  }

  /** Writes (or deletes) one alert; writes of one fingerprint stay in order. */
  #write(alert: Alert, remove: boolean): void {
    const id = alert.fingerprint;
    const previous = this.#writes.get(id) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        if (remove) {
          await this.#alertRecords.delete(id);
          return;
        }
        try {
          await this.#alertRecords.update(id, alert);
        } catch (err) {
          if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
          await this.#alertRecords.create(id, alert);
        }
      })
      .catch((err: unknown) => {
        this.#o.logger.warn({ err, fingerprint: id }, 'alerting: cannot store an alert');
      })
      .finally(() => {
        if (this.#writes.get(id) === next) this.#writes.delete(id);
      });
    this.#writes.set(id, next);
  }
}
