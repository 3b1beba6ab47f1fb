/**
 * The fleet index's proof: for thousands of (RBAC state, caller, kind) cases, what the index
 * lists must be exactly what the caller gets from the cluster itself, read live through
 * Paddock's impersonated client (a cluster-wide list, else a list per namespace, else a get per
 * namespace object), and exactly what SubjectAccessReview allows. The RBAC states are random
 * (`random-rbac.ts`, replay with DIFF_SEED) after a set of edge cases from the Kubernetes RBAC
 * documentation. Besides lists, the evaluator's decision for random single requests (named
 * gets, subresources, wildcards) must equal the SubjectAccessReview's. A mismatch fails.
 */
import { expect } from 'chai';
import { Agent, request } from 'undici';
import { createObject, deleteObject } from '../../../kubesim/api/object-service.js';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { DatasourceClusterRegistry } from '../../../src/datasources/index.js';
import { SharedInformers } from '../../../src/datasources/informers/index.js';
import { createKubeApi } from '../../../src/datasources/kube-api/index.js';
import type { Identity } from '../../../src/domain/identity.js';
import { isKubeApiError, type KubeApi, type KubeResource } from '../../../src/domain/kube-api.js';
import {
  ClusterRbac,
  FleetIndexService,
  RBAC_KINDS,
  RbacEvaluator,
} from '../../../src/fleet-index/index.js';
import { AesGcmSecretBox } from '../../../src/identity/index.js';
import { R } from '../../../src/resolvers/cluster/kube-resources.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';
import {
  GROUPS,
  pick,
  type RbacObject,
  randomCaller,
  randomState,
  rng,
  USERS,
} from './random-rbac.js';

const CLUSTER = 'diff';
const SEED = Number(process.env.DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.DIFF_ROUNDS ?? 50);
const CALLERS_PER_ROUND = 8;
const DECISIONS_PER_CALLER = 6;
const KINDS: KubeResource[] = [
  R.pods,
  R.deployments,
  R.configMaps,
  R.services,
  R.nodes,
  R.namespaces,
];
const G = 'rbac.authorization.k8s.io';
const RANDOM_LABEL = 'diff.paddock.io/random';

interface Caller {
  readonly userId: string;
  readonly groups: string[];
}

const identityOf = (c: Caller): Identity => ({
  userId: c.userId,
  username: c.userId,
  displayName: c.userId,
  provider: 'local',
  principalIds: [`local://${c.userId}`, ...c.groups],
  groupPrincipalIds: c.groups,
  tokenId: 't',
  tokenKind: 'api-key',
});

const describeCaller = (c: Caller) => `${c.userId}[${c.groups.join(',')}]`;

/** Edge cases from https://kubernetes.io/docs/reference/access-authn-authz/rbac/ */
function edgeCases(): { name: string; objects: RbacObject[] }[] {
  const labels = { [RANDOM_LABEL]: 'true' };
  const cr = (name: string, rules: unknown[], extra: Record<string, unknown> = {}): RbacObject => {
    const { labels: own, ...rest } = extra as { labels?: Record<string, string> };
    return {
      type: `clusterroles.${G}` as RbacObject['type'],
      body: { ...rest, metadata: { name, labels: { ...labels, ...own } }, rules },
    };
  };
  const rb = (
    name: string,
    ns: string,
    kind: string,
    role: string,
    subjects: unknown[],
  ): RbacObject => ({
    type: `rolebindings.${G}` as RbacObject['type'],
    body: {
      metadata: { name, namespace: ns, labels },
      roleRef: { apiGroup: G, kind, name: role },
      subjects,
    },
  });
  const crb = (name: string, role: string, subjects: unknown[]): RbacObject => ({
    type: `clusterrolebindings.${G}` as RbacObject['type'],
    body: {
      metadata: { name, labels },
      roleRef: { apiGroup: G, kind: 'ClusterRole', name: role },
      subjects,
    },
  });
  const user = (name: string) => ({ kind: 'User', name, apiGroup: G });
  const group = (name: string) => ({ kind: 'Group', name, apiGroup: G });
  return [
    {
      name: 'a RoleBinding of the view ClusterRole grants one namespace',
      objects: [rb('e1', 'shop', 'ClusterRole', 'view', [user('u-1')])],
    },
    {
      name: 'a ClusterRoleBinding of view to system:authenticated grants everyone everywhere',
      objects: [crb('e2', 'view', [group('system:authenticated')])],
    },
    {
      name: 'resourceNames limit get; a list is refused, unless the rule names ""',
      objects: [
        cr('e3-named', [
          {
            apiGroups: [''],
            resources: ['pods'],
            resourceNames: ['frontend'],
            verbs: ['get', 'list'],
          },
        ]),
        cr('e3-empty', [
          { apiGroups: [''], resources: ['configmaps'], resourceNames: [''], verbs: ['list'] },
        ]),
        crb('e3a', 'e3-named', [user('u-1')]),
        rb('e3b', 'payments', 'ClusterRole', 'e3-empty', [user('u-1')]),
      ],
    },
    {
      name: 'an aggregated ClusterRole carries the rules of the roles its selector picks',
      objects: [
        cr('e4-part', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }], {
          labels: { 'diff.paddock.io/agg-a': 'true' },
        }),
        cr('e4-agg', [], {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { 'diff.paddock.io/agg-a': 'true' } }],
          },
        }),
        crb('e4', 'e4-agg', [group('g-1')]),
      ],
    },
    {
      name: '"*" resources in the core group reach pods, nodes and namespaces but not apps',
      objects: [
        cr('e5', [{ apiGroups: [''], resources: ['*'], verbs: ['list'] }]),
        crb('e5', 'e5', [user('u-2')]),
      ],
    },
    {
      name: 'a subresource rule does not allow the resource itself',
      objects: [
        cr('e6', [{ apiGroups: [''], resources: ['pods/log', '*/status'], verbs: ['*'] }]),
        crb('e6', 'e6', [user('u-1')]),
      ],
    },
    {
      name: 'bindings to missing roles grant nothing; a Role binds only in its namespace',
      objects: [
        rb('e7a', 'shop', 'Role', 'nowhere', [user('u-1')]),
        crb('e7b', 'nowhere', [user('u-1')]),
        {
          type: `roles.${G}` as RbacObject['type'],
          body: {
            metadata: { name: 'e7', namespace: 'monitoring', labels },
            rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
          },
        },
        rb('e7c', 'monitoring', 'Role', 'e7', [group('g-2')]),
        rb('e7d', 'shop', 'Role', 'e7', [group('g-2')]),
      ],
    },
    {
      name: 'service account subjects and unauthenticated groups do not match a user',
      objects: [
        crb('e8', 'view', [
          { kind: 'ServiceAccount', name: 'default', namespace: 'default' },
          group('system:unauthenticated'),
          group('system:serviceaccounts'),
        ]),
      ],
    },
    {
      name: 'get-only access to a namespace shows that namespace object alone',
      objects: [
        cr('e9', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }]),
        rb('e9', 'payments', 'ClusterRole', 'e9', [user('u-3')]),
      ],
    },
  ];
}

describe('fleet index differential test: index answers equal live lists and SubjectAccessReview', function () {
  this.timeout(1_200_000);
  let sim: Kubesim;
  let registry: DatasourceClusterRegistry;
  let informers: SharedInformers;
  let index: FleetIndexService;
  let kubeApi: KubeApi;
  let evaluator: RbacEvaluator;
  let dispatcher: Agent;
  let url: string;
  let adminToken: string;
  let namespaces: string[] = [];
  let round = 0;
  const stats = { cases: 0, decisions: 0, lists: 0 };

  before(async () => {
    sim = await startKubesim({ clusters: [CLUSTER], seed: 'demo', adminPort: false });
    const c = sim.clusters[0]!;
    url = c.url;
    adminToken = c.adminToken;
    dispatcher = new Agent({ connect: { ca: c.caPem }, connections: 32 });
    registry = new DatasourceClusterRegistry({
      store: new MemoryStore(),
      secretBox: new AesGcmSecretBox(Buffer.alloc(32, 5)),
      logger: createTestLogger(),
    });
    // The admin can impersonate: it is both of Paddock's accounts here.
    await registry.importDirect({
      id: CLUSTER,
      name: CLUSTER,
      endpoint: c.url,
      caPem: c.caPem,
      impersonatorToken: c.adminToken,
      managerToken: c.adminToken,
    });
    informers = new SharedInformers({
      clusters: registry,
      logger: createTestLogger(),
      retryMs: 50,
    });
    index = new FleetIndexService({
      informers,
      clusters: registry,
      logger: createTestLogger(),
      refreshMs: 500,
    });
    await index.start();
    kubeApi = createKubeApi({ connections: registry });
    // The evaluator alone, fed by the same informers, for single decisions.
    const rbac = new ClusterRbac();
    for (const kind of RBAC_KINDS) {
      informers.subscribe(CLUSTER, kind, (e) => {
        if (e.object && (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED'))
          rbac.apply(kind, e.type, e.object);
      });
    }
    evaluator = new RbacEvaluator(rbac);
    namespaces = sim
      .cluster(CLUSTER)
      .list('namespaces')
      .map((n) => n.metadata.name ?? '');
    await waitFor('the index', () => (index.clusterStatus(CLUSTER)?.synced ? true : undefined), {
      timeoutMs: 30_000,
    });
  });

  after(async () => {
    console.log(
      `      differential: seed ${SEED}, ${stats.cases} list cases (${stats.lists} live reads), ${stats.decisions} single decisions`,
    );
    await index?.stop();
    await informers?.stop();
    await registry?.stop();
    await dispatcher?.close();
    await sim?.stop();
  });

  /** Replaces the random RBAC objects with `objects`, then waits until the index saw it all. */
  async function apply(objects: readonly RbacObject[]): Promise<void> {
    const s = sim.cluster(CLUSTER).sim;
    for (const type of [
      `clusterrolebindings.${G}`,
      `rolebindings.${G}`,
      `roles.${G}`,
      `clusterroles.${G}`,
    ]) {
      for (const o of s.list(type)) {
        if (
          o.metadata.labels?.[RANDOM_LABEL] !== 'true' &&
          !o.metadata.name?.startsWith('diff-barrier')
        )
          continue;
        deleteObject(s, s.type(type), o.metadata.namespace ?? '', o.metadata.name ?? '');
      }
    }
    for (const o of objects) {
      try {
        createObject(s, s.type(o.type), o.body.metadata.namespace ?? '', structuredClone(o.body));
      } catch {
        // An object the API server refuses (validation) is simply not part of the state.
      }
    }
    // Events of one kind arrive in order: once each kind's barrier is in, so is the rest.
    round++;
    const barrier = `diff-barrier-${round}`;
    createObject(s, s.type(`clusterroles.${G}`), '', { metadata: { name: barrier } });
    createObject(s, s.type(`roles.${G}`), 'default', { metadata: { name: barrier } });
    createObject(s, s.type(`clusterrolebindings.${G}`), '', {
      metadata: { name: barrier },
      roleRef: { apiGroup: G, kind: 'ClusterRole', name: barrier },
    });
    createObject(s, s.type(`rolebindings.${G}`), 'default', {
      metadata: { name: barrier },
      roleRef: { apiGroup: G, kind: 'Role', name: barrier },
    });
    await waitFor(
      'the index to see the barrier',
      () =>
        RBAC_KINDS.every((k) => informers.list(CLUSTER, k).some((o) => o.metadata.name === barrier))
          ? true
          : undefined,
      { timeoutMs: 10_000, intervalMs: 5 },
    );
  }

  async function sar(caller: Caller, attrs: Record<string, string>): Promise<boolean> {
    const res = await request(`${url}/apis/authorization.k8s.io/v1/subjectaccessreviews`, {
      method: 'POST',
      dispatcher,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: caller.userId,
          groups: [...caller.groups, 'system:authenticated'],
          resourceAttributes: attrs,
        },
      }),
    });
    const body = (await res.body.json()) as { status?: { allowed?: boolean } };
    if (res.statusCode !== 201) throw new Error(`SubjectAccessReview answered ${res.statusCode}`);
    return body.status?.allowed === true;
  }

  const idsOf = (items: readonly { metadata: { namespace?: string; name?: string } }[]) =>
    items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`).sort();

  /** What the caller sees of a kind, read from kubesim as the caller. */
  async function liveView(caller: Caller, resource: KubeResource): Promise<string[]> {
    const kube = kubeApi.forCaller(identityOf(caller));
    const forbidden = (err: unknown) => isKubeApiError(err) && err.kubeCode === 'FORBIDDEN';
    stats.lists++;
    try {
      return idsOf((await kube.list(CLUSTER, resource)).items);
    } catch (err) {
      if (!forbidden(err)) throw err;
    }
    if (resource.resource === 'namespaces') {
      const got = await Promise.all(
        namespaces.map((ns) =>
          kube.get(CLUSTER, resource, undefined, ns).then(
            (o) => [o],
            (err) => (forbidden(err) ? [] : Promise.reject(err)),
          ),
        ),
      );
      stats.lists += namespaces.length;
      return idsOf(got.flat());
    }
    if (!resource.namespaced) return [];
    const per = await Promise.all(
      namespaces.map((ns) =>
        kube.list(CLUSTER, resource, { namespace: ns }).then(
          (l) => l.items,
          (err) => (forbidden(err) ? [] : Promise.reject(err)),
        ),
      ),
    );
    stats.lists += namespaces.length;
    return idsOf(per.flat());
  }

  /** What SubjectAccessReview says the caller may list, applied to the cluster's objects. */
  async function reviewedView(caller: Caller, resource: KubeResource): Promise<string[]> {
    const all = idsOf(
      sim
        .cluster(CLUSTER)
        .list(resource.group ? `${resource.resource}.${resource.group}` : resource.resource),
    );
    const base = { verb: 'list', group: resource.group, resource: resource.resource };
    if (await sar(caller, base)) return all;
    if (resource.resource === 'namespaces') {
      const allowed = await Promise.all(
        namespaces.map((ns) =>
          sar(caller, { verb: 'get', group: '', resource: 'namespaces', name: ns, namespace: ns }),
        ),
      );
      return all.filter((id) => allowed[namespaces.indexOf(id.slice(1))]);
    }
    if (!resource.namespaced) return [];
    const allowed = new Set<string>();
    await Promise.all(
      namespaces.map(async (ns) => {
        if (await sar(caller, { ...base, namespace: ns })) allowed.add(ns);
      }),
    );
    return all.filter((id) => allowed.has(id.slice(0, id.indexOf('/'))));
  }

  async function indexView(caller: Caller, resource: KubeResource): Promise<string[]> {
    const answer = await index.list(
      identityOf(caller),
      {
        resource,
        clusterIds: [CLUSTER],
        filter: {},
        order: { field: 'CLUSTER', descending: false },
        first: 500,
      },
      async () => {
        throw new Error('the index read live although it should decide');
      },
    );
    expect(answer.sources.map((s) => s.source)).to.deep.equal(['INDEX']);
    expect(answer.hasNextPage).to.equal(false);
    expect(answer.facets().clusters.reduce((n, c) => n + c.count, 0)).to.equal(answer.items.length);
    return idsOf(answer.items.map((i) => i.object));
  }

  async function check(label: string, callers: readonly Caller[], r: () => number): Promise<void> {
    for (const caller of callers) {
      for (const resource of KINDS) {
        const [fromIndex, live, reviewed] = await Promise.all([
          indexView(caller, resource),
          liveView(caller, resource),
          reviewedView(caller, resource),
        ]);
        const where = `${label}: ${describeCaller(caller)} listing ${resource.resource} (seed ${SEED})`;
        expect(live, `live vs SubjectAccessReview, ${where}`).to.deep.equal(reviewed);
        expect(fromIndex, `index vs live, ${where}`).to.deep.equal(live);
        stats.cases++;
      }
      for (let i = 0; i < DECISIONS_PER_CALLER; i++) {
        const [resource, subresource] = pick(r, [
          'pods',
          'pods/log',
          'pods/status',
          'deployments',
          'deployments/scale',
          'nodes',
          'configmaps',
          'namespaces',
        ]).split('/') as [string, string | undefined];
        const attrs = {
          verb: pick(r, ['get', 'list', 'watch', 'create', 'delete', 'patch']),
          group: resource === 'deployments' ? pick(r, ['apps', 'extensions']) : '',
          resource,
          ...(subresource ? { subresource } : {}),
          name: pick(r, ['', '', 'frontend', 'shop', 'payments']),
          namespace: resource === 'nodes' ? '' : pick(r, ['', ...namespaces]),
        };
        const expected = await sar(caller, attrs);
        const user = { name: caller.userId, groups: [...caller.groups, 'system:authenticated'] };
        const got = evaluator.authorize(user, { ...attrs, apiGroup: attrs.group }).allowed;
        expect(
          got,
          `decision ${JSON.stringify(attrs)}, ${label}: ${describeCaller(caller)} (seed ${SEED})`,
        ).to.equal(expected);
        stats.decisions++;
      }
    }
  }

  const everyCaller: Caller[] = [
    ...USERS.map((userId) => ({ userId, groups: [] })),
    ...GROUPS.map((g) => ({ userId: 'u-nobody', groups: [g] })),
    { userId: 'u-1', groups: [...GROUPS] },
  ];

  for (const edge of edgeCases()) {
    it(`agrees on an edge case: ${edge.name}`, async () => {
      await apply(edge.objects);
      await check(edge.name, everyCaller, rng(SEED));
    });
  }

  it(`agrees on ${ROUNDS} random RBAC states × ${CALLERS_PER_ROUND} callers × ${KINDS.length} kinds`, async () => {
    const r = rng(SEED);
    const names = ['frontend', 'api', 'shop', 'payments', 'kube-root-ca.crt'];
    for (let n = 0; n < ROUNDS; n++) {
      const state = randomState(r, namespaces, names);
      await apply(state);
      const callers = Array.from({ length: CALLERS_PER_ROUND }, () => randomCaller(r));
      await check(`round ${n}`, callers, r);
    }
    expect(stats.cases).to.be.at.least(ROUNDS * CALLERS_PER_ROUND * KINDS.length);
  });
});
