// One simulated cluster: its storage, resource registry, credentials, controllers and faults.

import { randomBytes, randomUUID } from 'node:crypto';
import { createObject } from '../api/object-service.js';
import { ResourceRegistry } from '../api/registry.js';
import type { ResourceType } from '../api/resources.js';
import { typeKey } from '../api/resources.js';
import { WatchRegistry } from '../api/watch.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../auth/bootstrap-policy.js';
import { StoreRbacSource } from '../auth/rbac-source.js';
import { TokenSigner } from '../auth/service-account-tokens.js';
import { MASTERS, serviceAccountUsername, type UserInfo } from '../auth/user.js';
import {
  aggregateClusterRoles,
  collectGarbage,
  finishControllerFinalizers,
  onNamespaceWritten,
  onSecretWritten,
} from '../controllers/core-controllers.js';
import { onCrdDeleted, onCrdWritten } from '../controllers/crds.js';
import { syncDaemonSet } from '../controllers/daemonsets.js';
import { ownerOf, syncDeployment, syncReplicaSet } from '../controllers/deployments.js';
import { onServiceDeleted, syncNamespaceEndpoints } from '../controllers/endpoints.js';
import { syncJob } from '../controllers/jobs.js';
import { onPodWritten } from '../controllers/kubelet.js';
import { onServiceWritten } from '../controllers/service-load-balancer.js';
import { syncStatefulSet } from '../controllers/statefulsets.js';
import { FaultState } from '../faults/faults.js';
import { ObjectStore } from '../storage/object-store.js';
import type { KubeObject } from '../storage/types.js';
import type { ClusterContext, ClusterHooks } from './context.js';

export type AnonymousMode = 'disabled' | 'health' | 'enabled';

export interface Timings {
  podStartMs: number;
  podDeleteMs: number;
  namespaceDeleteMs: number;
  bookmarkMs: number;
  logLineMs: number;
}

export interface StaticUser {
  token: string;
  username: string;
  groups: string[];
}

export interface SimClusterOptions {
  name: string;
  caPem: string;
  kubeVersion?: string;
  adminToken?: string;
  /** static users: name -> groups (a token is generated unless given) */
  users?: Record<string, { groups?: string[]; token?: string }>;
  /** "namespace/name" service accounts created with long-lived secret tokens */
  serviceAccounts?: string[];
  anonymous?: AnonymousMode;
  timings?: Partial<Timings>;
  now?: () => Date;
  random?: () => number;
  historySize?: number;
}

const DEFAULT_TIMINGS: Timings = {
  podStartMs: 50,
  podDeleteMs: 50,
  namespaceDeleteMs: 50,
  bookmarkMs: 60_000,
  logLineMs: 1000,
};

export class SimCluster implements ClusterContext {
  readonly name: string;
  readonly store: ObjectStore;
  readonly registry = new ResourceRegistry();
  readonly caPem: string;
  readonly kubeVersion: string;
  readonly signer = new TokenSigner();
  readonly rbac: StoreRbacSource;
  readonly faults: FaultState;
  readonly watches = new WatchRegistry();
  readonly staticTokens = new Map<string, UserInfo>();
  readonly users: Record<string, StaticUser> = {};
  readonly adminToken: string;
  readonly anonymous: AnonymousMode;
  readonly timings: Timings;
  hooks: ClusterHooks;
  private readonly clock: () => Date;
  private readonly rand: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private ipCounter = 1;
  private podIpCounter = 1;
  private nodePortCounter = 30000;
  private aggregating = false;
  private readonly pendingSyncs = new Map<string, () => void>();
  private stopped = false;

  constructor(opts: SimClusterOptions) {
    this.name = opts.name;
    this.caPem = opts.caPem;
    this.kubeVersion = opts.kubeVersion ?? 'v1.32.4';
    this.clock = opts.now ?? (() => new Date());
    this.rand = opts.random ?? Math.random;
    this.store = new ObjectStore({ historySize: opts.historySize });
    this.rbac = new StoreRbacSource(this.store);
    this.faults = new FaultState(this.rand);
    this.anonymous = opts.anonymous ?? 'health';
    this.timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    this.adminToken = opts.adminToken ?? randomBytes(24).toString('base64url');
    this.staticTokens.set(this.adminToken, {
      username: 'kubernetes-admin',
      groups: [MASTERS, 'kubeadm:cluster-admins'],
      extra: {},
    });
    this.hooks = {
      afterWrite: (t, o, p) => this.afterWrite(t, o, p),
      afterDelete: (t, o) => this.afterDelete(t, o),
    };
    this.bootstrap(opts);
  }

  now(): Date {
    return this.clock();
  }

  newUid(): string {
    return randomUUID();
  }

  random(): number {
    return this.rand();
  }

  later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  allocateClusterIp(): string {
    const n = this.ipCounter++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  allocatePodIp(): string {
    const n = this.podIpCounter++;
    return `10.244.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`;
  }

  allocateNodePort(): number {
    const p = this.nodePortCounter++;
    if (this.nodePortCounter > 32767) this.nodePortCounter = 30000;
    return p;
  }

  type(key: string): ResourceType {
    const t = this.registry.byKey(key);
    if (!t) throw new Error(`unknown resource ${key}`);
    return t;
  }

  /** Writes a finished object (seeds): no defaulting or validation. */
  seed(key: string, obj: KubeObject): KubeObject {
    return createObject(this, this.type(key), obj.metadata.namespace ?? '', obj, { raw: true });
  }

  /** Creates an object through the same path as the API (defaults, validation, controllers). */
  create(key: string, obj: KubeObject): KubeObject {
    return createObject(this, this.type(key), obj.metadata.namespace ?? '', obj);
  }

  get(key: string, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(key, namespace, name);
  }

  list(key: string, namespace?: string): KubeObject[] {
    return this.store.list(key, namespace).map((s) => JSON.parse(s.json) as KubeObject);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.watches.dropAll();
  }

  private afterWrite(t: ResourceType, obj: KubeObject, previous: KubeObject | undefined): void {
    switch (typeKey(t.group, t.resource)) {
      case 'namespaces':
        onNamespaceWritten(this, obj, previous);
        break;
      case 'secrets':
        onSecretWritten(this, this.signer, obj);
        break;
      case 'pods':
        onPodWritten(this, obj, previous);
        this.syncOwner(obj);
        this.syncEndpoints(obj);
        break;
      case 'services':
        this.syncEndpoints(obj);
        onServiceWritten(this, t, obj);
        break;
      case 'deployments.apps':
        this.scheduleSync(`d/${obj.metadata.namespace}/${obj.metadata.name}`, () =>
          syncDeployment(this, obj.metadata.namespace ?? '', obj.metadata.name ?? ''),
        );
        break;
      case 'replicasets.apps':
        this.scheduleSync(`rs/${obj.metadata.namespace}/${obj.metadata.name}`, () =>
          syncReplicaSet(this, obj.metadata.namespace ?? '', obj.metadata.name ?? ''),
        );
        this.syncOwner(obj);
        break;
      case 'clusterroles.rbac.authorization.k8s.io':
        if (!this.aggregating) {
          this.aggregating = true;
          try {
            aggregateClusterRoles(this);
          } finally {
            this.aggregating = false;
          }
        }
        break;
      case 'customresourcedefinitions.apiextensions.k8s.io':
        onCrdWritten(this, obj, t);
        break;
      case 'statefulsets.apps':
      case 'daemonsets.apps':
      case 'jobs.batch':
        this.syncWorkload(t.kind, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
        break;
      case 'nodes':
        for (const ds of this.store.list('daemonsets.apps'))
          this.syncWorkload('DaemonSet', ds.namespace, ds.name);
        break;
      default:
        break;
    }
    finishControllerFinalizers(this, t, obj);
  }

  private afterDelete(t: ResourceType, obj: KubeObject): void {
    if (t.resource === 'customresourcedefinitions') onCrdDeleted(this, obj);
    if (t.resource === 'services' && t.group === '') onServiceDeleted(this, obj);
    if (t.resource === 'pods' && t.group === '') this.syncEndpoints(obj);
    collectGarbage(this, obj);
    this.syncOwner(obj);
  }

  /** Coalesces controller passes: many writes in one tick give one sync per object. */
  private scheduleSync(key: string, fn: () => void): void {
    if (this.pendingSyncs.has(key)) return;
    this.pendingSyncs.set(key, fn);
    if (this.pendingSyncs.size === 1) {
      this.later(0, () => {
        const work = [...this.pendingSyncs.values()];
        this.pendingSyncs.clear();
        for (const f of work) f();
      });
    }
  }

  private syncEndpoints(obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    this.scheduleSync(`ep/${ns}`, () => syncNamespaceEndpoints(this, ns));
  }

  private syncWorkload(kind: string, ns: string, name: string): void {
    const sync = { StatefulSet: syncStatefulSet, DaemonSet: syncDaemonSet, Job: syncJob }[kind];
    if (sync) this.scheduleSync(`${kind}/${ns}/${name}`, () => sync(this, ns, name));
  }

  private syncOwner(obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    for (const r of obj.metadata.ownerReferences ?? [])
      if (r.controller) this.syncWorkload(r.kind, ns, r.name);
    const rs = ownerOf(obj, 'ReplicaSet');
    if (rs) this.scheduleSync(`rs/${ns}/${rs}`, () => syncReplicaSet(this, ns, rs));
    const d = ownerOf(obj, 'Deployment');
    if (d) this.scheduleSync(`d/${ns}/${d}`, () => syncDeployment(this, ns, d));
  }

  private bootstrap(opts: SimClusterOptions): void {
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      this.create('namespaces', { metadata: { name: ns } });
    }
    for (const r of bootstrapClusterRoles())
      this.create('clusterroles.rbac.authorization.k8s.io', r);
    for (const b of bootstrapClusterRoleBindings())
      this.create('clusterrolebindings.rbac.authorization.k8s.io', b);
    this.create('services', {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        type: 'ClusterIP',
      },
    });
    for (const [name, u] of Object.entries(opts.users ?? {})) {
      const token = u.token ?? randomBytes(24).toString('base64url');
      const groups = u.groups ?? [];
      this.staticTokens.set(token, { username: name, groups, extra: {} });
      this.users[name] = { token, username: name, groups };
    }
    for (const ref of opts.serviceAccounts ?? []) this.addServiceAccount(ref);
  }

  /** Creates namespace/serviceaccount with a long-lived token secret; returns the token. */
  addServiceAccount(ref: string): string {
    const [ns = 'default', name = ref] = ref.includes('/') ? ref.split('/') : ['default', ref];
    if (!this.store.get('namespaces', '', ns))
      this.create('namespaces', { metadata: { name: ns } });
    let sa = this.store.get('serviceaccounts', ns, name);
    if (!sa) sa = this.create('serviceaccounts', { metadata: { name, namespace: ns } });
    const secretName = `${name}-token`;
    if (!this.store.get('secrets', ns, secretName)) {
      this.create('secrets', {
        metadata: {
          name: secretName,
          namespace: ns,
          annotations: { 'kubernetes.io/service-account.name': name },
        },
        type: 'kubernetes.io/service-account-token',
      });
    }
    const secret = this.store.get('secrets', ns, secretName);
    const data = (secret?.data ?? {}) as Record<string, string>;
    const token = Buffer.from(data.token ?? '', 'base64').toString('utf8');
    const username = serviceAccountUsername(ns, name);
    this.users[`${ns}/${name}`] = {
      token,
      username,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
    };
    return token;
  }
}
