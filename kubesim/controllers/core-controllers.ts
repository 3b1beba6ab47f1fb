// Stand-ins for the kube-controller-manager loops clients notice: per-namespace defaults
// (default ServiceAccount, kube-root-ca.crt), namespace termination, the service-account token
// controller, the garbage collector and ClusterRole aggregation.

import { createObject, deleteObject, purgeObject, updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import { typeKey } from '../api/resources.js';
import type { TokenSigner } from '../auth/service-account-tokens.js';
import type { ClusterContext } from '../server/context.js';
import { fromLabelSelectorObject, matchLabels } from '../storage/selectors.js';
import { asArray, asObject, asString, type KubeObject } from '../storage/types.js';

function find(ctx: ClusterContext, key: string): ResourceType {
  const t = ctx.registry.byKey(key);
  if (!t) throw new Error(`unknown resource ${key}`);
  return t;
}

function quiet(fn: () => void): void {
  try {
    fn();
  } catch {
    // Controllers race with clients exactly as real ones do; a conflict just means "done".
  }
}

export function onNamespaceWritten(
  ctx: ClusterContext,
  ns: KubeObject,
  previous: KubeObject | undefined,
): void {
  const name = ns.metadata.name ?? '';
  if (!previous) {
    quiet(() =>
      createObject(ctx, find(ctx, 'serviceaccounts'), name, { metadata: { name: 'default' } }),
    );
    quiet(() =>
      createObject(ctx, find(ctx, 'configmaps'), name, {
        metadata: {
          name: 'kube-root-ca.crt',
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': ctx.caPem },
      }),
    );
    return;
  }
  if (ns.metadata.deletionTimestamp && !previous.metadata.deletionTimestamp) {
    ctx.later(ctx.timings.namespaceDeleteMs, () => {
      for (const t of ctx.registry.all()) {
        if (!t.namespaced || t.virtual) continue;
        for (const s of ctx.store.list(typeKey(t.group, t.resource), name))
          purgeObject(ctx, t, name, s.name);
      }
      purgeObject(ctx, find(ctx, 'namespaces'), '', name);
    });
  }
}

/** Fills kubernetes.io/service-account-token secrets like the token controller. */
export function onSecretWritten(
  ctx: ClusterContext,
  signer: TokenSigner,
  secret: KubeObject,
): void {
  if (secret.type !== 'kubernetes.io/service-account-token') return;
  const data = asObject(secret.data);
  if (data.token) return;
  const ns = secret.metadata.namespace ?? '';
  const saName = secret.metadata.annotations?.['kubernetes.io/service-account.name'] ?? '';
  const sa = ctx.store.get('serviceaccounts', ns, saName);
  if (!sa) return;
  const token = signer.legacy(ns, saName, sa.metadata.uid ?? '', secret.metadata.name ?? '');
  const next: KubeObject = {
    ...secret,
    metadata: {
      ...secret.metadata,
      annotations: {
        ...secret.metadata.annotations,
        'kubernetes.io/service-account.uid': sa.metadata.uid ?? '',
      },
    },
    data: {
      ...data,
      'ca.crt': Buffer.from(ctx.caPem).toString('base64'),
      namespace: Buffer.from(ns).toString('base64'),
      token: Buffer.from(token).toString('base64'),
    },
  };
  quiet(() =>
    updateObject(ctx, find(ctx, 'secrets'), ns, secret.metadata.name ?? '', next, { raw: true }),
  );
}

/** Background cascading deletion of dependents (ownerReferences) of a removed object. */
export function collectGarbage(ctx: ClusterContext, removed: KubeObject): void {
  const uid = removed.metadata.uid;
  if (!uid) return;
  const orphan = (removed.metadata.finalizers ?? []).includes('orphan');
  ctx.later(0, () => handleDependents(ctx, uid, orphan));
}

/** Orphans (drops the owner reference) or deletes every dependent of the owner `uid`. */
function handleDependents(ctx: ClusterContext, uid: string, orphan: boolean): void {
  for (const t of ctx.registry.all()) {
    if (t.virtual) continue;
    const key = typeKey(t.group, t.resource);
    for (const s of ctx.store.list(key)) {
      if (!s.json.includes(uid)) continue;
      const obj = JSON.parse(s.json) as KubeObject;
      const refs = obj.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      if (orphan) {
        const rest = refs.filter((r) => r.uid !== uid);
        const next = {
          ...obj,
          metadata: { ...obj.metadata, ownerReferences: rest.length ? rest : undefined },
        };
        quiet(() => updateObject(ctx, t, s.namespace, s.name, next, { raw: true }));
      } else {
        quiet(() => deleteObject(ctx, t, s.namespace, s.name, { propagationPolicy: 'Background' }));
      }
    }
  }
}

/** Finishes deletions that wait on controller-owned finalizers (foregroundDeletion, orphan). */
export function finishControllerFinalizers(
  ctx: ClusterContext,
  t: ResourceType,
  obj: KubeObject,
): void {
  const fins = obj.metadata.finalizers ?? [];
  if (!obj.metadata.deletionTimestamp) return;
  const handled: string[] = fins.filter((f) => f === 'foregroundDeletion' || f === 'orphan');
  if (handled.length === 0) return;
  ctx.later(0, () => {
    const current = ctx.store.get(
      typeKey(t.group, t.resource),
      obj.metadata.namespace ?? '',
      obj.metadata.name ?? '',
    );
    if (!current?.metadata.uid) return;
    // Like the garbage collector: dependents are orphaned (or deleted) before the finalizer
    // goes, so nobody sees the owner gone while its dependents still point at it.
    handleDependents(ctx, current.metadata.uid, handled.includes('orphan'));
    const rest = (current.metadata.finalizers ?? []).filter((f) => !handled.includes(f));
    const next = { ...current, metadata: { ...current.metadata, finalizers: rest } };
    quiet(() =>
      updateObject(ctx, t, current.metadata.namespace ?? '', current.metadata.name ?? '', next, {
        raw: true,
      }),
    );
  });
}

/** Recomputes the rules of aggregated ClusterRoles (admin/edit/view and custom ones). */
export function aggregateClusterRoles(ctx: ClusterContext): void {
  const t = find(ctx, 'clusterroles.rbac.authorization.k8s.io');
  const key = typeKey(t.group, t.resource);
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    const roles = ctx.store.list(key).map((s) => JSON.parse(s.json) as KubeObject);
    for (const role of roles) {
      const selectors = asArray(asObject(role.aggregationRule).clusterRoleSelectors);
      if (selectors.length === 0) continue;
      const rules: unknown[] = [];
      const seen = new Set<string>();
      for (const sel of selectors) {
        const reqs = fromLabelSelectorObject(sel);
        for (const other of roles) {
          if (other.metadata.name === role.metadata.name) continue;
          if (!matchLabels(reqs, other.metadata.labels)) continue;
          for (const r of asArray(other.rules)) {
            const k = JSON.stringify(r);
            if (!seen.has(k)) {
              seen.add(k);
              rules.push(r);
            }
          }
        }
      }
      if (JSON.stringify(rules) === JSON.stringify(role.rules ?? [])) continue;
      changed = true;
      quiet(() =>
        updateObject(ctx, t, '', asString(role.metadata.name), { ...role, rules }, { raw: true }),
      );
    }
    if (!changed) return;
  }
}
