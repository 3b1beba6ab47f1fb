/**
 * The push-down's mechanics for any set of Paddock-owned objects (`ObjectSetSync`): list what
 * carries the set's labels, create what is missing, replace what drifted from the desired
 * fields (compared as a subset, so API-server defaults are no drift), delete what is no longer
 * wanted. Objects of a set are never touched by the RBAC pass and the reverse.
 */
import type { KubeObject } from '../../domain/kube-api.js';
import {
  OBJECT_SET_LABEL,
  type ObjectSetOutcome,
  type ObjectSetSpec,
  type ObjectSetSync,
} from '../../domain/object-set.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import { OWNED_LABEL } from '../../rbac/index.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { ManagerClient } from './manager-client.js';

/** The kinds a set may hold, where they live in the API. */
const KINDS: Record<string, { base: string; plural: string; namespaced: boolean }> = {
  Namespace: { base: '/api/v1', plural: 'namespaces', namespaced: false },
  ServiceAccount: { base: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  ConfigMap: { base: '/api/v1', plural: 'configmaps', namespaced: true },
  Secret: { base: '/api/v1', plural: 'secrets', namespaced: true },
  Service: { base: '/api/v1', plural: 'services', namespaced: true },
  ClusterRole: {
    base: '/apis/rbac.authorization.k8s.io/v1',
    plural: 'clusterroles',
    namespaced: false,
  },
  ClusterRoleBinding: {
    base: '/apis/rbac.authorization.k8s.io/v1',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  DaemonSet: { base: '/apis/apps/v1', plural: 'daemonsets', namespaced: true },
  Deployment: { base: '/apis/apps/v1', plural: 'deployments', namespaced: true },
};
/** Deleted in this order (workloads before what they use), created in the reverse. */
const DELETE_ORDER = [
  'DaemonSet',
  'Deployment',
  'Service',
  'ClusterRoleBinding',
  'ClusterRole',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Namespace',
];

function path(kind: string, namespace?: string, name?: string): string {
  const k = KINDS[kind];
  if (k === undefined) throw new Error(`object sets cannot hold ${kind}`);
  const base =
    k.namespaced && namespace !== undefined
      ? `${k.base}/namespaces/${encodeURIComponent(namespace)}/${k.plural}`
      : `${k.base}/${k.plural}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

/** Every field of `want` is in `have` with the same value (`have` may carry more). */
export function containsFields(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return (
      Array.isArray(have) &&
      want.length === have.length &&
      want.every((w, i) => containsFields(w, have[i]))
    );
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want).every(([k, v]) =>
      containsFields(v, (have as Record<string, unknown>)[k]),
    );
  }
  return want === have;
}

function sameContent(want: KubeObject, have: KubeObject): boolean {
  const { metadata, apiVersion: _a, kind: _k, ...body } = want;
  return (
    containsFields(metadata.labels ?? {}, have.metadata.labels ?? {}) &&
    containsFields(metadata.annotations ?? {}, have.metadata.annotations ?? {}) &&
    containsFields(body, have)
  );
}

export interface ObjectSetPushOptions {
  readonly connection: (clusterId: string) => Promise<ManagerConnection | undefined>;
  readonly timeoutMs?: number;
}

export class ObjectSetPush implements ObjectSetSync {
  readonly #o: ObjectSetPushOptions;

  constructor(options: ObjectSetPushOptions) {
    this.#o = options;
  }

  async apply(
    clusterId: string,
    spec: ObjectSetSpec,
    objects: readonly KubeObject[],
  ): Promise<ObjectSetOutcome> {
    const set = spec.name;
    for (const o of objects) {
      if (!spec.kinds.includes(o.kind ?? ''))
        throw new Error(`set ${set} does not hold ${o.kind}; declare it in the set's kinds`);
      if (KINDS[o.kind ?? '']?.namespaced && o.metadata.namespace !== spec.namespace)
        throw new Error(
          `set ${set} keeps its objects in ${spec.namespace}, not ${o.metadata.namespace}`,
        );
    }
    const connection = await this.#o.connection(clusterId);
    if (connection === undefined) {
      throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found or not imported`, {
        reason: 'cluster_not_found',
      });
    }
    const client = new ManagerClient(connection, { timeoutMs: this.#o.timeoutMs ?? 10_000 });
    const selector = `${OWNED_LABEL}=true,${OBJECT_SET_LABEL}=${set}`;
    const desired = objects.map((o) => labelled(o, set));
    const changes: ObjectSetOutcome['changes'][number][] = [];
    const failures: string[] = [];
    const attempt = async (
      change: ObjectSetOutcome['changes'][number],
      write: () => Promise<void>,
    ) => {
      try {
        await write();
        changes.push(change);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    };
    const kinds = DELETE_ORDER.filter((k) => spec.kinds.includes(k));
    const live = new Map<string, KubeObject>();
    for (const kind of kinds) {
      // Only where the set lives: the manager may not list every namespace's secrets.
      const list = await client.list<KubeObject>(path(kind, spec.namespace), selector);
      for (const o of list.items) live.set(keyOf(kind, o), { ...o, kind });
    }
    for (const kind of [...kinds].reverse()) {
      for (const want of desired.filter((o) => o.kind === kind)) {
        const key = keyOf(kind, want);
        const have = live.get(key);
        live.delete(key);
        const ns = want.metadata.namespace;
        const change = { kind, name: want.metadata.name ?? '', ...(ns ? { namespace: ns } : {}) };
        if (have === undefined) {
          await attempt({ ...change, action: 'create' }, () => create(client, kind, want));
        } else if (!sameContent(want, have)) {
          await attempt({ ...change, action: 'update' }, () =>
            client.replace(path(kind, ns, want.metadata.name), {
              ...want,
              metadata: { ...want.metadata, resourceVersion: have.metadata.resourceVersion },
            }),
          );
        }
      }
    }
    for (const kind of kinds) {
      for (const [key, have] of live) {
        if (have.kind !== kind) continue;
        live.delete(key);
        const ns = have.metadata.namespace;
        await attempt(
          {
            kind,
            action: 'delete',
            name: have.metadata.name ?? '',
            ...(ns ? { namespace: ns } : {}),
          },
          () => client.delete(path(kind, ns, have.metadata.name)),
        );
      }
    }
    return { changes, failures };
  }
}

function labelled(o: KubeObject, set: string): KubeObject {
  return {
    ...o,
    metadata: {
      ...o.metadata,
      labels: { ...(o.metadata.labels ?? {}), [OWNED_LABEL]: 'true', [OBJECT_SET_LABEL]: set },
    },
  };
}

const keyOf = (kind: string, o: KubeObject) =>
  `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

async function create(client: ManagerClient, kind: string, o: KubeObject): Promise<void> {
  try {
    await client.create(path(kind, o.metadata.namespace), o);
  } catch (err) {
    if (!hasErrorCode(err, 'CONFLICT')) throw err;
    const existing = await client
      .get<KubeObject>(path(kind, o.metadata.namespace, o.metadata.name))
      .catch(() => undefined);
    if (existing?.metadata.labels?.[OWNED_LABEL] === 'true') return;
    throw new Error(
      `${kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} exists without the ${OWNED_LABEL} label; Paddock leaves it alone`,
    );
  }
}
