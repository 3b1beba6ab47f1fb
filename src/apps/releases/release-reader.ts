/**
 * Releases read from Helm's own records in each cluster, as the caller: a cluster-wide list of
 * release Secrets when the caller may make one (as `helm list -A`), else one list per project
 * namespace the caller is bound to. Only the newest revision of each release is decoded.
 */
import type {
  ReleaseFilter,
  ReleaseList,
  ReleaseRevision,
  ReleaseView,
} from '../../domain/apps.js';
import type { Identity } from '../../domain/identity.js';
import {
  type CallerNamespaceScope,
  type ClusterFailure,
  isKubeApiError,
  type KubeApi,
  type KubeClient,
  type KubeObject,
  type KubeResource,
} from '../../domain/kube-api.js';
import type { DownstreamNamespace } from '../../domain/rbac-downstream.js';
import { namespaceProject } from '../../rbac/index.js';
import {
  CATALOG_LABEL,
  decodeRelease,
  type HelmRelease,
  MULTI_CLUSTER_APP_LABEL,
  type ReleaseSecretLabels,
  releaseLabelsOf,
  timeOf,
} from './release-codec.js';

export const SECRETS: KubeResource = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
};

export interface ReleaseReaderDeps {
  readonly kubeApi: KubeApi;
  readonly namespaceScope?: CallerNamespaceScope;
  /** Every namespace of a cluster as the manager reads it (for project membership). */
  readonly namespaces?: (clusterId: string) => Promise<readonly DownstreamNamespace[]>;
  /** The clusters the caller may see, in id order. */
  readonly visibleClusters: (caller: Identity) => Promise<readonly string[]>;
  readonly fanOutDeadlineMs?: number;
}

/** One release Secret with its label facts. */
export interface ReleaseSecret {
  readonly secret: KubeObject;
  readonly facts: ReleaseSecretLabels;
}

export function toReleaseView(
  clusterId: string,
  release: HelmRelease,
  facts: ReleaseSecretLabels,
  projectId: string | undefined,
): ReleaseView {
  const meta = release.chart.metadata;
  const firstDeployedAt = timeOf(release.info.first_deployed);
  const updatedAt = timeOf(release.info.last_deployed);
  const catalogId = facts.labels[CATALOG_LABEL];
  const mca = facts.labels[MULTI_CLUSTER_APP_LABEL];
  return {
    clusterId,
    namespace: release.namespace,
    ...(projectId === undefined ? {} : { projectId }),
    name: release.name,
    revision: release.version,
    status: release.info.status ?? facts.status,
    chartName: meta.name,
    chartVersion: meta.version,
    ...(meta.appVersion ? { appVersion: meta.appVersion } : {}),
    description: release.info.description ?? '',
    ...(firstDeployedAt === undefined ? {} : { firstDeployedAt }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
    values: release.config ?? {},
    ...(catalogId ? { catalogId } : {}),
    ...(mca ? { multiClusterAppId: mca } : {}),
  };
}

export function toRevision(release: HelmRelease, facts: ReleaseSecretLabels): ReleaseRevision {
  const updatedAt = timeOf(release.info.last_deployed);
  return {
    revision: release.version,
    status: release.info.status ?? facts.status,
    chartVersion: release.chart.metadata.version,
    ...(release.chart.metadata.appVersion ? { appVersion: release.chart.metadata.appVersion } : {}),
    description: release.info.description ?? '',
    ...(updatedAt === undefined ? {} : { updatedAt }),
  };
}

export class ReleaseReader {
  readonly #d: ReleaseReaderDeps;

  constructor(deps: ReleaseReaderDeps) {
    this.#d = deps;
  }

  visibleClusterIds(caller: Identity): Promise<readonly string[]> {
    return this.#d.visibleClusters(caller);
  }

  async projectOf(clusterId: string, namespace: string): Promise<string | undefined> {
    if (this.#d.namespaces === undefined) return undefined;
    const ns = (await this.#d.namespaces(clusterId).catch(() => [])).find(
      (n) => n.name === namespace,
    );
    const ref = ns === undefined ? undefined : namespaceProject(ns);
    return ref?.clusterId === clusterId ? `${ref.clusterId}:${ref.projectId}` : undefined;
  }

  /** Every revision Secret of one release, newest first; empty when there is none. */
  async revisions(
    client: KubeClient,
    clusterId: string,
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<ReleaseSecret[]> {
    const list = await client.list(clusterId, SECRETS, {
      namespace,
      labelSelector: `owner=helm,name=${name}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return list.items
      .flatMap((secret) => {
        const facts = releaseLabelsOf(secret);
        return facts === undefined ? [] : [{ secret, facts }];
      })
      .sort((a, b) => b.facts.revision - a.facts.revision);
  }

  async list(caller: Identity, filter: ReleaseFilter = {}): Promise<ReleaseList> {
    let clusters = await this.#d.visibleClusters(caller);
    const projectRefs = filter.projectIds?.map((p) => {
      const colon = p.lastIndexOf(':');
      return { clusterId: p.slice(0, colon), projectId: p };
    });
    if (filter.clusterIds !== undefined)
      clusters = clusters.filter((c) => filter.clusterIds?.includes(c));
    if (projectRefs !== undefined)
      clusters = clusters.filter((c) => projectRefs.some((p) => p.clusterId === c));
    const client = this.#d.kubeApi.forCaller(caller);
    const result = await client.fanOut(
      clusters,
      async (clusterId, signal) => {
        const secrets = await this.#releaseSecrets(
          caller,
          client,
          clusterId,
          filter.namespaces,
          signal,
        );
        const newest = new Map<string, ReleaseSecret>();
        for (const s of secrets) {
          const key = `${s.facts.namespace}/${s.facts.name}`;
          const seen = newest.get(key);
          if (seen === undefined || seen.facts.revision < s.facts.revision) newest.set(key, s);
        }
        const views: ReleaseView[] = [];
        for (const s of newest.values()) {
          // `helm uninstall --keep-history` leaves an uninstalled record; helm list hides it too.
          if (s.facts.status === 'uninstalled') continue;
          const projectId = await this.projectOf(clusterId, s.facts.namespace);
          if (projectRefs !== undefined && !projectRefs.some((p) => p.projectId === projectId))
            continue;
          try {
            views.push(toReleaseView(clusterId, decodeRelease(s.secret), s.facts, projectId));
          } catch {
            // An unreadable record shows as what its labels say, never failing the list.
            views.push({
              clusterId,
              namespace: s.facts.namespace,
              ...(projectId === undefined ? {} : { projectId }),
              name: s.facts.name,
              revision: s.facts.revision,
              status: s.facts.status,
              chartName: '',
              chartVersion: '',
              description: 'the release record cannot be decoded',
              values: {},
            });
          }
        }
        return views;
      },
      this.#d.fanOutDeadlineMs === undefined ? {} : { deadlineMs: this.#d.fanOutDeadlineMs },
    );
    const items = result.items
      .flatMap((r) => r.value)
      .sort((a, b) =>
        `${a.clusterId}/${a.namespace}/${a.name}`.localeCompare(
          `${b.clusterId}/${b.namespace}/${b.name}`,
        ),
      );
    return { items, clusterErrors: result.clusterErrors as ClusterFailure[] };
  }

  async #releaseSecrets(
    caller: Identity,
    client: KubeClient,
    clusterId: string,
    namespaces: readonly string[] | undefined,
    signal: AbortSignal,
  ): Promise<ReleaseSecret[]> {
    const read = async (namespace: string | undefined) =>
      (
        await client.list(clusterId, SECRETS, {
          ...(namespace === undefined ? {} : { namespace }),
          labelSelector: 'owner=helm',
          signal,
        })
      ).items.flatMap((secret) => {
        const facts = releaseLabelsOf(secret);
        return facts === undefined ? [] : [{ secret, facts }];
      });
    const perNamespace = async (names: readonly string[]) => {
      const out: ReleaseSecret[] = [];
      for (const ns of names) {
        try {
          out.push(...(await read(ns)));
        } catch (err) {
          // A namespace whose Secrets the caller may not read has no releases it may see.
          if (!(isKubeApiError(err) && err.kubeCode === 'FORBIDDEN')) throw err;
        }
      }
      return out;
    };
    if (namespaces !== undefined) return perNamespace(namespaces);
    try {
      return await read(undefined);
    } catch (err) {
      if (
        !(isKubeApiError(err) && err.kubeCode === 'FORBIDDEN') ||
        this.#d.namespaceScope === undefined
      ) {
        throw err;
      }
    }
    const scoped = await this.#d.namespaceScope.namespacesOf(caller, clusterId);
    return perNamespace(scoped.map((n) => n.name));
  }
}
