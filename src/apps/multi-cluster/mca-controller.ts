/**
 * Reconciles every multi-cluster app to its spec, on one replica at a time (registered on the
 * controller host). Each pass reads every target's release as the owner, marks what is in
 * sync, drifted or missing, and rolls the rest out in batches with the app's strategy, running
 * Helm with a short-lived credential of the owner. A disabled or deleted owner, or one who may
 * no longer install in a target, suspends the app with that reason: the controller never acts
 * beyond the owner's current rights.
 */
import type { Identity } from '../../domain/identity.js';
import type { KubeApi } from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import type { TargetRef } from '../../domain/multi-cluster-apps.js';
import type { Collection, Unsubscribe } from '../../domain/store.js';
import type { UserDirectory, UserView } from '../../domain/user-directory.js';
import { hasErrorCode } from '../../errors/index.js';
import type { AppsAccess } from '../apps-access.js';
import type { ResolvedChart, StoreCatalogService } from '../catalogs/catalog-service.js';
import type { HelmActions } from '../helm/helm-actions.js';
import { CATALOG_LABEL, MULTI_CLUSTER_APP_LABEL } from '../releases/release-codec.js';
import type { ReleaseReader } from '../releases/release-reader.js';
import type { HelmReleaseService } from '../releases/release-service.js';
import {
  type McaRecord,
  type McaStatusRecord,
  type TargetStatus,
  targetKey,
} from './mca-records.js';
import { observeTarget, why } from './observe-target.js';
import { planRollout } from './rollout-plan.js';

export interface McaControllerDeps {
  readonly apps: Collection<McaRecord>;
  readonly statuses: Collection<McaStatusRecord>;
  readonly users: UserDirectory;
  readonly kubeApi: KubeApi;
  readonly reader: ReleaseReader;
  readonly access: AppsAccess;
  readonly catalogs: StoreCatalogService;
  readonly releases: HelmReleaseService;
  readonly actions: HelmActions;
  readonly logger: Logger;
  readonly now?: () => number;
  /** How often every app is looked at again (drift, retries); default 10 s. */
  readonly intervalMs?: number;
  /** How long a failed target waits before the next attempt; default 10 s. */
  readonly retryMs?: number;
  readonly helmTimeoutSeconds?: number;
}

export function ownerIdentity(user: UserView): Identity {
  const groups = user.groups.map((g) => g.id);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    provider: user.provider,
    principalIds: [...user.principalIds, ...groups],
    groupPrincipalIds: groups,
    tokenId: 'multi-cluster-app-controller',
    tokenKind: 'kubeconfig',
  };
}

export class MultiClusterAppController {
  readonly name = 'multi-cluster-apps';
  readonly #d: McaControllerDeps;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #running = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  #abort: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: Unsubscribe | undefined;

  get #observeDeps() {
    return { ...this.#d, now: this.#now };
  }

  constructor(deps: McaControllerDeps) {
    this.#d = deps;
    this.#log = deps.logger.child({ component: 'multi-cluster-apps' });
    this.#now = deps.now ?? Date.now;
  }

  start(signal: AbortSignal): void {
    const abort = new AbortController();
    this.#abort = abort;
    signal.addEventListener('abort', () => abort.abort(), { once: true });
    this.#unwatch = this.#d.apps.watch((e) => this.#kick(e.id));
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.kickAll().finally(() => {
          if (!abort.signal.aborted) loop();
        });
      }, this.#d.intervalMs ?? 10_000);
      this.#timer.unref();
    };
    loop();
    void this.kickAll();
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    clearTimeout(this.#timer);
    this.#unwatch?.();
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Looks at every app now (also what the timer does). */
  async kickAll(): Promise<void> {
    try {
      for (const r of await this.#d.apps.list()) this.#kick(r.id);
    } catch (err) {
      this.#log.warn({ err }, 'listing multi-cluster apps failed');
    }
  }

  #kick(appId: string): void {
    const signal = this.#abort?.signal;
    if (signal === undefined || signal.aborted) return;
    if (this.#running.has(appId)) {
      this.#again.add(appId);
      return;
    }
    const run = this.#reconcileById(appId, signal)
      .catch((err: unknown) =>
        this.#log.error({ err, appId }, 'multi-cluster app reconcile failed'),
      )
      .finally(() => {
        this.#running.delete(appId);
        if (this.#again.delete(appId)) this.#kick(appId);
      });
    this.#running.set(appId, run);
  }

  async #reconcileById(appId: string, signal: AbortSignal): Promise<void> {
    const app = (await this.#d.apps.get(appId))?.value;
    if (app === undefined) {
      await this.#d.statuses.delete(appId);
      return;
    }
    await this.reconcile(app, signal);
  }

  async #status(appId: string): Promise<McaStatusRecord> {
    return (
      (await this.#d.statuses.get(appId))?.value ?? {
        appId,
        state: 'active',
        targets: {},
        updatedAt: this.#now(),
      }
    );
  }

  async #writeStatus(next: McaStatusRecord): Promise<void> {
    const value = { ...next, updatedAt: this.#now() };
    try {
      await this.#d.statuses.update(next.appId, value);
    } catch (err) {
      if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
      await this.#d.statuses.create(next.appId, value).catch((e: unknown) => {
        if (!hasErrorCode(e, 'CONFLICT')) throw e;
      });
    }
  }

  /** One pass over one app. */
  async reconcile(app: McaRecord, signal: AbortSignal): Promise<void> {
    let status = await this.#status(app.id);
    const owner = await this.#d.users.get(app.ownerId);
    if (owner === undefined || !owner.enabled) {
      const stateMessage = `owner ${app.ownerId} is ${owner === undefined ? 'deleted' : 'disabled'}; reconciliation stopped`;
      if (status.state !== 'suspended' || status.stateMessage !== stateMessage) {
        await this.#writeStatus({ ...status, state: 'suspended', stateMessage });
      }
      return;
    }
    const identity = ownerIdentity(owner);
    const uninstalled = await this.#uninstall(
      app,
      identity,
      app.deleting ? [...app.targets, ...app.removing] : app.removing,
      signal,
    );
    if (app.deleting) {
      if (uninstalled.length === app.targets.length + app.removing.length) {
        await this.#d.apps.delete(app.id).catch(() => false);
        await this.#d.statuses.delete(app.id);
      }
      return;
    }
    if (uninstalled.length > 0) await this.#forgetRemoved(app, uninstalled);

    let chart: ResolvedChart;
    try {
      chart = await this.#d.catalogs.resolve(identity, app.catalogId, app.chart, app.version);
    } catch (err) {
      const targets: Record<string, TargetStatus> = {};
      for (const t of app.targets) {
        targets[targetKey(t)] = {
          state: 'failed',
          message: `chart ${app.chart} ${app.version}: ${why(err)}`,
          updatedAt: this.#now(),
        };
      }
      await this.#writeStatus({ ...status, state: 'active', targets });
      return;
    }
    const observed = await Promise.all(
      app.targets.map((t) => observeTarget(this.#observeDeps, app, identity, chart, t, status)),
    );
    const denied = observed.find((o) => o.denied !== undefined);
    const targets: Record<string, TargetStatus> = {};
    for (const o of observed) targets[o.key] = o.status;
    if (denied !== undefined) {
      await this.#writeStatus({
        ...status,
        state: 'suspended',
        stateMessage: `owner ${owner.username} may no longer install in ${denied.key}: reconciliation stopped`,
        targets,
      });
      return;
    }
    status = { appId: app.id, state: 'active', targets, updatedAt: this.#now() };
    await this.#writeStatus(status);

    const batches = planRollout(observed, {
      batchSize: app.rollout.batchSize,
      now: this.#now(),
      retryMs: this.#d.retryMs ?? 10_000,
    });
    const byKey = new Map(observed.map((o) => [o.key, o]));
    for (let i = 0; i < batches.length && !signal.aborted; i++) {
      const batch = batches[i] ?? [];
      for (const key of batch) {
        targets[key] = {
          ...targets[key]!,
          state: 'deploying',
          message: `deploying ${app.chart} ${app.version}`,
          updatedAt: this.#now(),
        };
      }
      await this.#writeStatus({ ...status, targets });
      const results = await Promise.all(
        batch.map(async (key) => {
          const o = byKey.get(key)!;
          const outcome = await this.#d.actions
            .run(
              { userId: owner.id },
              { clusterId: o.spec.clusterId, namespace: o.spec.namespace, name: app.name },
              {
                kind: 'upgrade-install',
                archive: chart.archive.archive,
                values: o.values ?? {},
                labels: { [CATALOG_LABEL]: app.catalogId, [MULTI_CLUSTER_APP_LABEL]: app.id },
                wait: true,
                timeoutSeconds: this.#d.helmTimeoutSeconds ?? 300,
              },
              { signal, purpose: `multi-cluster app ${app.name} in ${key}` },
            )
            .catch((err: unknown) => ({ ok: false, error: why(err) }));
          targets[key] = outcome.ok
            ? {
                state: 'deployed',
                chartVersion: app.version,
                specRevision: app.specRevision,
                ...(o.state === 'drifted'
                  ? { message: `restored after drift; ${o.status.message ?? ''}` }
                  : {}),
                updatedAt: this.#now(),
              }
            : { state: 'failed', message: outcome.error ?? 'helm failed', updatedAt: this.#now() };
          return outcome.ok;
        }),
      );
      const later = batches.slice(i + 1).flat();
      const failedKey = batch[results.indexOf(false)];
      if (failedKey !== undefined && app.rollout.stopOnFailure) {
        for (const key of later) {
          targets[key] = {
            ...targets[key]!,
            state: 'pending',
            message: `rollout stopped: ${failedKey} failed`,
            updatedAt: this.#now(),
          };
        }
        await this.#writeStatus({ ...status, targets });
        return;
      }
      await this.#writeStatus({ ...status, targets });
      if (later.length > 0 && app.rollout.pauseSeconds > 0) {
        await sleep(app.rollout.pauseSeconds * 1000, signal);
      }
    }
  }

  /** Uninstalls the release from each target; answers those where it is gone. */
  async #uninstall(
    app: McaRecord,
    identity: Identity,
    targets: readonly TargetRef[],
    signal: AbortSignal,
  ): Promise<TargetRef[]> {
    const gone: TargetRef[] = [];
    for (const t of targets) {
      if (signal.aborted) break;
      try {
        const client = this.#d.kubeApi.forCaller(identity);
        const revisions = await this.#d.reader.revisions(
          client,
          t.clusterId,
          t.namespace,
          app.name,
        );
        if (revisions.length === 0) {
          gone.push(t);
          continue;
        }
        const outcome = await this.#d.actions.run(
          { userId: identity.userId },
          { clusterId: t.clusterId, namespace: t.namespace, name: app.name },
          { kind: 'uninstall', wait: true, timeoutSeconds: this.#d.helmTimeoutSeconds ?? 300 },
          { signal, purpose: `multi-cluster app ${app.name}: uninstall from ${targetKey(t)}` },
        );
        if (outcome.ok) gone.push(t);
        else
          this.#log.warn(
            { appId: app.id, target: targetKey(t), error: outcome.error },
            'uninstall failed',
          );
      } catch (err) {
        this.#log.warn({ appId: app.id, target: targetKey(t), err: why(err) }, 'uninstall failed');
      }
    }
    return gone;
  }

  async #forgetRemoved(app: McaRecord, gone: readonly TargetRef[]): Promise<void> {
    const keys = new Set(gone.map(targetKey));
    const current = await this.#d.apps.get(app.id);
    if (current === undefined) return;
    await this.#d.apps
      .update(
        app.id,
        {
          ...current.value,
          removing: current.value.removing.filter((t) => !keys.has(targetKey(t))),
        },
        { resourceVersion: current.resourceVersion },
      )
      .catch((err: unknown) => {
        // An edit raced; the next pass finds those releases gone again.
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
