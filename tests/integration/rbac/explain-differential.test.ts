import { expect } from 'chai';
import type { PaddockUser } from '../authproxy/support/paddock-with-kubesim.js';
import { type RbacHarness, startRbacHarness } from './support/rbac-harness.js';

const CLUSTER = 'one';
const G1 = 'openldap_group://cn=shop-devs,ou=groups,dc=example,dc=org';
const G2 = 'github_team://4242';
const G3 = 'oidc_group://auditors';

/** A small seeded PRNG (mulberry32) so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const RESOURCES: [group: string, resource: string, subresource?: string][] = [
  ['', 'pods'],
  ['', 'pods', 'log'],
  ['', 'pods', 'exec'],
  ['', 'secrets'],
  ['', 'configmaps'],
  ['', 'services'],
  ['', 'namespaces'],
  ['', 'nodes'],
  ['', 'persistentvolumes'],
  ['', 'persistentvolumeclaims'],
  ['', 'resourcequotas'],
  ['', 'serviceaccounts'],
  ['apps', 'deployments'],
  ['apps', 'deployments', 'scale'],
  ['apps', 'statefulsets'],
  ['batch', 'jobs'],
  ['networking.k8s.io', 'ingresses'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterroles'],
  ['storage.k8s.io', 'storageclasses'],
  ['authorization.k8s.io', 'selfsubjectaccessreviews'],
];
const NAMESPACES = ['shop', 'shop-b', 'payments', 'monitoring', 'default', ''];
const NAMES = ['', '', 'frontend-config', 'payments-db', 'shop'];
const PATHS = ['/healthz', '/version', '/api', '/metrics', '/apis/apps'];

describe('explainAccess agrees with the downstream SubjectAccessReview', function () {
  this.timeout(300_000);
  let h: RbacHarness;
  const people: { name: string; user: PaddockUser; groups: string[] }[] = [];

  before(async () => {
    h = await startRbacHarness({ resyncIntervalMs: 60_000 });
    const svc = h.access.service;
    const add = async (name: string, groups: string[] = []) => {
      const user = await h.p.addUser(name, { groups });
      people.push({ name, user, groups });
      return `local://${user.userId}`;
    };
    const owner = await add('owner');
    const member = await add('member');
    const projOwner = await add('proj-owner');
    await add('shop-dev', [G1]);
    const viewer = await add('viewer', [G2]);
    const ops = await add('ops');
    const picky = await add('picky');
    await add('auditor', [G3]);
    await add('nobody');

    const shop = await svc.createProject(h.admin, CLUSTER, { name: 'Shop' });
    const pay = await svc.createProject(h.admin, CLUSTER, { name: 'Payments' });
    for (const [ns, p] of [
      ['shop', shop],
      ['payments', pay],
    ] as const) {
      await h.adminKubectl(['label', 'namespace', ns, `paddock.io/project-id=${CLUSTER}_${p.id}`]);
    }
    await h.adminKubectl(['create', 'namespace', 'shop-b']);
    await h.adminKubectl([
      'annotate',
      'namespace',
      'shop-b',
      `paddock.io/project-id=${CLUSTER}:${shop.id}`,
    ]);

    await svc.createRoleTemplate(h.admin, {
      id: 'frontend-config-reader',
      context: 'project',
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['frontend-config'],
          verbs: ['get', 'update'],
        },
      ],
      inherits: ['services-view'],
    });
    await svc.addClusterMember(h.admin, CLUSTER, owner, 'cluster-owner');
    await svc.addClusterMember(h.admin, CLUSTER, member, 'cluster-member');
    await svc.addClusterMember(h.admin, CLUSTER, ops, 'nodes-view');
    await svc.addClusterMember(h.admin, CLUSTER, ops, 'storage-manage');
    await svc.addProjectMember(h.admin, CLUSTER, shop.id, projOwner, 'project-owner');
    await svc.addProjectMember(h.admin, CLUSTER, shop.id, G1, 'project-member');
    await svc.addProjectMember(h.admin, CLUSTER, pay.id, G2, 'read-only');
    await svc.addProjectMember(h.admin, CLUSTER, pay.id, viewer, 'secrets-view');
    await svc.addProjectMember(h.admin, CLUSTER, shop.id, picky, 'frontend-config-reader');
    // Access granted outside Paddock must be explained too.
    const foreign = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: auditors-view }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: "${G3}" }]
`;
    expect((await h.adminKubectl(['apply', '-f', '-'], foreign)).code).to.equal(0);
    const status = await h.sync.sync(CLUSTER);
    expect(status?.errors).to.deep.equal([]);
  });

  after(async () => {
    await h?.stop();
  });

  it("agrees on 600 random (principal, verb, resource, namespace) cases, and so do Paddock's own bindings", async () => {
    const random = prng(20261127);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const disagreements: string[] = [];
    let allowed = 0;
    const cases = Array.from({ length: 600 }, (_, i) => {
      const who = pick(people);
      const verb = pick(VERBS);
      if (i % 25 === 0) return { who, nonResource: true as const, verb: 'get', path: pick(PATHS) };
      const [group, resource, subresource] = pick(RESOURCES);
      return {
        who,
        nonResource: false as const,
        verb,
        group,
        resource,
        subresource,
        namespace: pick(NAMESPACES),
        name: pick(NAMES),
      };
    });
    for (let i = 0; i < cases.length; i += 10) {
      await Promise.all(
        cases.slice(i, i + 10).map(async (c) => {
          const userId = c.who.user.userId;
          const typed = c.nonResource
            ? c.path
            : `${c.resource}${c.group ? `.${c.group}` : ''}${c.subresource ? `/${c.subresource}` : ''}`;
          const explained = await h.access.service.explainAccess(h.admin, {
            principal: userId,
            clusterId: CLUSTER,
            verb: c.verb,
            resource: typed,
            ...(c.nonResource ? {} : { namespace: c.namespace, name: c.name }),
          });
          const sar = c.nonResource
            ? await h.subjectAccessReview(
                userId,
                c.who.groups,
                { verb: c.verb, path: c.path },
                'nonResource',
              )
            : await h.subjectAccessReview(userId, c.who.groups, {
                verb: c.verb,
                group: c.group,
                resource: c.resource,
                subresource: c.subresource ?? '',
                namespace: c.namespace,
                name: c.name,
              });
          if (sar) allowed++;
          // Where only Paddock's objects decide, Paddock's own bindings must say the same:
          // the push-down left the cluster exactly as Paddock intends.
          const foreign = explained.downstreamGrants.some((g) => !g.paddockOwned);
          if (!foreign && sar !== explained.allowedByPaddock) {
            disagreements.push(
              `${c.who.name}: ${explained.request}: SAR ${sar}, Paddock bindings ${explained.allowedByPaddock}`,
            );
          }
          if (sar !== explained.allowed) {
            disagreements.push(
              `${c.who.name}: ${explained.request}: SAR ${sar}, explainAccess ${explained.allowed} (${explained.notes.join('; ')})`,
            );
          }
        }),
      );
    }
    expect(disagreements).to.deep.equal([]);
    // The sample must exercise both answers, not only denials.
    expect(allowed).to.be.above(100);
    expect(cases.length - allowed).to.be.above(100);
  });

  it('names the Paddock binding and the pushed-down RoleBinding that grant an access', async () => {
    const dev = people.find((p) => p.name === 'shop-dev')!;
    const e = await h.access.service.explainAccess(h.admin, {
      principal: dev.user.userId,
      clusterId: CLUSTER,
      verb: 'create',
      resource: 'deployments',
      namespace: 'shop-b',
    });
    expect(e.allowed).to.equal(true);
    expect(e.paddockGrants.map((g) => [g.kind, g.role, g.subject])).to.deep.equal([
      ['projectBinding', 'project-member', `Group ${G1}`],
    ]);
    expect(e.downstreamGrants[0]).to.include({
      kind: 'RoleBinding',
      role: 'ClusterRole/paddock-rt-project-member',
      paddockOwned: true,
    });
  });

  it('says why nothing grants an access', async () => {
    const dev = people.find((p) => p.name === 'shop-dev')!;
    const e = await h.access.service.explainAccess(h.admin, {
      principal: dev.user.userId,
      clusterId: CLUSTER,
      verb: 'create',
      resource: 'deployments',
      namespace: 'monitoring',
    });
    expect(e.allowed).to.equal(false);
    expect(e.notes.join('\n')).to.match(/monitoring belongs to no project/);
  });

  it('points out access granted outside Paddock', async () => {
    const auditor = people.find((p) => p.name === 'auditor')!;
    const e = await h.access.service.explainAccess(h.admin, {
      principal: auditor.user.userId,
      clusterId: CLUSTER,
      verb: 'list',
      resource: 'pods',
      namespace: 'payments',
    });
    expect(e.allowed).to.equal(true);
    expect(e.allowedByPaddock).to.equal(false);
    expect(e.notes.join('\n')).to.match(
      /granted outside Paddock by ClusterRoleBinding auditors-view/,
    );
  });
});
