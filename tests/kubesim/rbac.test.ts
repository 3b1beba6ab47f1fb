// RBAC and authentication behaviour, with expected outcomes taken from the Kubernetes docs:
//   https://kubernetes.io/docs/reference/access-authn-authz/rbac/
//   https://kubernetes.io/docs/reference/access-authn-authz/authentication/
//   https://kubernetes.io/docs/reference/access-authn-authz/authorization/

import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { api, type ClusterRef } from './http-client.js';

describe('kubesim RBAC and authentication', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterRef & { adminToken: string; users: Record<string, { token: string }> };
  let kubectl: Kubectl;
  const admin = () => ({ token: c.adminToken });
  const alice = () => ({ token: c.users.alice?.token ?? '' });

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const first = sim.clusters[0];
    if (!first) throw new Error('no cluster');
    c = first;
    kubectl = new Kubectl(first);
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  const create = async (path: string, body: unknown) => {
    const r = await api(c, 'POST', path, { ...admin(), body });
    expect(r.status, r.text).to.equal(201);
  };

  it('answers a request without credentials with the 401 Unauthorized Status (authentication docs)', async () => {
    const r = await api(c, 'GET', '/api/v1/namespaces');
    expect(r.status).to.equal(401);
    expect(r.json()).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await api(c, 'GET', '/api', { token: 'bogus' })).status).to.equal(401);
  });

  it('lets system:unauthenticated read /healthz and /version through system:public-info-viewer', async () => {
    expect((await api(c, 'GET', '/healthz')).text).to.equal('ok');
    expect((await api(c, 'GET', '/version')).status).to.equal(200);
  });

  it('forbids a user without bindings with the apiserver wording (authorization docs)', async () => {
    const r = await api(c, 'GET', '/api/v1/namespaces/shop/pods', alice());
    expect(r.status).to.equal(403);
    expect(r.json()).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "shop"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
    const n = await api(c, 'GET', '/apis/apps/v1/namespaces/shop/deployments/frontend', alice());
    expect(n.json().message).to.equal(
      'deployments.apps "frontend" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "shop"',
    );
  });

  it('grants the view ClusterRole through a RoleBinding only in that namespace, without Secrets (RBAC docs: user-facing roles)', async () => {
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings', {
      metadata: { name: 'alice-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
    });
    expect((await api(c, 'GET', '/api/v1/namespaces/shop/pods', alice())).status).to.equal(200);
    expect((await api(c, 'GET', '/api/v1/namespaces/payments/pods', alice())).status).to.equal(403);
    expect((await api(c, 'GET', '/api/v1/namespaces/shop/secrets', alice())).status).to.equal(403);
    expect((await api(c, 'GET', '/api/v1/namespaces/shop/pods/x/log', alice())).status).to.equal(
      404,
    );
    const del = await api(
      c,
      'DELETE',
      '/api/v1/namespaces/shop/configmaps/frontend-config',
      alice(),
    );
    expect(del.status).to.equal(403);
  });

  it('limits a rule with resourceNames to the named objects, so list is refused (RBAC docs: referring to resources)', async () => {
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/payments/roles', {
      metadata: { name: 'one-configmap' },
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['payments-settings'],
          verbs: ['get'],
        },
      ],
    });
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings', {
      metadata: { name: 'alice-one-configmap' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'one-configmap' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    expect(
      (await api(c, 'GET', '/api/v1/namespaces/payments/configmaps/payments-settings', alice()))
        .status,
    ).to.equal(200);
    expect(
      (await api(c, 'GET', '/api/v1/namespaces/payments/configmaps/kube-root-ca.crt', alice()))
        .status,
    ).to.equal(403);
    expect(
      (await api(c, 'GET', '/api/v1/namespaces/payments/configmaps', alice())).status,
    ).to.equal(403);
    // A list narrowed to the name by fieldSelector is authorized for that name, as RequestInfo does.
    const narrowed = await api(
      c,
      'GET',
      '/api/v1/namespaces/payments/configmaps?fieldSelector=metadata.name%3Dpayments-settings',
      alice(),
    );
    expect(narrowed.status).to.equal(403);
  });

  it('compares resourceNames with the request name as it is, so a rule naming "" allows a list (ResourceNameMatches)', async () => {
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/roles', {
      metadata: { name: 'unnamed-only' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: [''], verbs: ['list'] }],
    });
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/rolebindings', {
      metadata: { name: 'alice-unnamed-only' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'unnamed-only' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    expect(
      (await api(c, 'GET', '/api/v1/namespaces/monitoring/configmaps', alice())).status,
    ).to.equal(200);
    const named = await api(
      c,
      'GET',
      '/api/v1/namespaces/monitoring/configmaps?fieldSelector=metadata.name%3Dkube-root-ca.crt',
      alice(),
    );
    expect(named.status).to.equal(403);
  });

  it('matches subresources only when named, and */subresource wildcards (RBAC docs: referring to resources)', async () => {
    await create('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'log-reader' },
      rules: [{ apiGroups: [''], resources: ['*/log'], verbs: ['get'] }],
    });
    await create('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'bob-log-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'log-reader' },
      subjects: [{ kind: 'Group', name: 'developers' }],
    });
    const bob = { token: c.users.bob?.token ?? '' };
    const pods = await api(c, 'GET', '/api/v1/namespaces/shop/pods', admin());
    const name =
      (pods.json().items as { metadata: { name: string; labels: Record<string, string> } }[]).find(
        (p) => p.metadata.labels.app === 'frontend',
      )?.metadata.name ?? '';
    const log = await api(
      c,
      'GET',
      `/api/v1/namespaces/shop/pods/${name}/log?container=frontend&tailLines=1`,
      bob,
    );
    expect(log.status, log.text).to.equal(200);
    expect((await api(c, 'GET', `/api/v1/namespaces/shop/pods/${name}`, bob)).status).to.equal(403);
  });

  it('appends RBAC errors for bindings whose role is missing to the 403 message', async () => {
    await create('/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/rolebindings', {
      metadata: { name: 'dangling' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'does-not-exist',
      },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    const r = await api(c, 'GET', '/api/v1/namespaces/monitoring/pods', alice());
    expect(r.json().message).to.equal(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "monitoring": RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    );
  });

  it('aggregates admin/edit/view rules from labelled ClusterRoles (RBAC docs: aggregated ClusterRoles)', async () => {
    await create('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: {
        name: 'widgets-view',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
      },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    });
    const view = await api(
      c,
      'GET',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/view',
      admin(),
    );
    expect(JSON.stringify(view.json().rules)).to.include('widgets');
    const adminRole = await api(
      c,
      'GET',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin',
      admin(),
    );
    expect(JSON.stringify(adminRole.json().rules)).to.include('widgets');
  });

  it('answers kubectl auth can-i for the caller, with --as and --as-group (authorization docs: checking API access)', async () => {
    expect(
      (
        await kubectl.run(['auth', 'can-i', 'list', 'pods', '-n', 'shop', '--as', 'alice'])
      ).stdout.trim(),
    ).to.equal('yes');
    const no = await kubectl.run([
      'auth',
      'can-i',
      'list',
      'secrets',
      '-n',
      'shop',
      '--as',
      'alice',
    ]);
    expect(no.stdout.trim()).to.equal('no');
    expect(no.code).to.equal(1);
    const grp = await kubectl.run([
      'auth',
      'can-i',
      'get',
      'pods',
      '--subresource=log',
      '-n',
      'shop',
      '--as',
      'carol',
      '--as-group',
      'developers',
    ]);
    expect(grp.stdout.trim()).to.equal('yes');
    const own = await kubectl.as('alice', ['auth', 'can-i', 'get', 'configmaps', '-n', 'shop']);
    expect(own.stdout.trim()).to.equal('yes');
    const list = await kubectl.as('alice', ['auth', 'can-i', '--list', '-n', 'shop']);
    expect(list.stdout).to.match(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  });

  it('shows the caller in kubectl auth whoami, including impersonated groups', async () => {
    const me = await kubectl.as('alice', ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(me.stdout).status.userInfo).to.deep.equal({
      username: 'alice',
      groups: ['system:authenticated'],
    });
    const as = await kubectl.run([
      'auth',
      'whoami',
      '--as',
      'dave',
      '--as-group',
      'ops,team',
      '-o',
      'json',
    ]);
    expect(JSON.parse(as.stdout).status.userInfo).to.deep.equal({
      username: 'dave',
      groups: ['ops,team', 'system:authenticated'],
    });
  });

  it('evaluates SubjectAccessReview for another user and requires a user or group', async () => {
    const body = (spec: unknown) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec,
    });
    const r = await api(c, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      ...admin(),
      body: body({
        user: 'alice',
        resourceAttributes: { namespace: 'shop', verb: 'list', resource: 'pods' },
      }),
    });
    expect(r.status).to.equal(201);
    expect(r.json().status).to.deep.equal({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "alice-view/shop" of ClusterRole "view" to User "alice"',
    });
    const bad = await api(c, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      ...admin(),
      body: body({ resourceAttributes: { verb: 'list', resource: 'pods' } }),
    });
    expect(bad.status).to.equal(422);
  });

  it('issues TokenRequest tokens that authenticate as the service account and pass TokenReview', async () => {
    const tr = await api(c, 'POST', '/api/v1/namespaces/shop/serviceaccounts/default/token', {
      ...admin(),
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    });
    expect(tr.status, tr.text).to.equal(201);
    const token = (tr.json().status as { token: string }).token;
    const who = await api(c, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      token,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    const info = (who.json().status as { userInfo: { username: string; groups: string[] } })
      .userInfo;
    expect(info.username).to.equal('system:serviceaccount:shop:default');
    expect(info.groups).to.deep.equal([
      'system:serviceaccounts',
      'system:serviceaccounts:shop',
      'system:authenticated',
    ]);
    const review = await api(c, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      ...admin(),
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    expect((review.json().status as { authenticated: boolean }).authenticated).to.equal(true);
    const kt = await kubectl.run(['create', 'token', 'default', '-n', 'shop']);
    expect(kt.code, kt.stderr).to.equal(0);
    expect(kt.stdout.trim().split('.')).to.have.length(3);
  });
});
