// Impersonation exactly as kube-apiserver does it. Expected outcomes from the Kubernetes docs,
// https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
// ("Impersonate-Group: A group name. Can be provided multiple times.", "Impersonate-Extra-( extra
// name ): ... extra names are case insensitive ... percent-encoded", the "impersonate" verb on
// users, groups, serviceaccounts, uids and userextras/<name>), and from the apiserver source.

import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { api, type ClusterRef } from './http-client.js';

const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const REVIEW = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
const LDAP_GROUP = 'openldap_group://cn=devs,ou=groups,dc=example,dc=org';

describe('kubesim impersonation', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterRef & { adminToken: string };
  let impersonator: string;
  let limited: string;

  before(async () => {
    sim = await startKubesim({
      clusters: 1,
      adminPort: false,
      serviceAccounts: ['paddock-system/impersonator', 'paddock-system/limited'],
    });
    const first = sim.clusters[0];
    if (!first) throw new Error('no cluster');
    c = first;
    impersonator = first.users['paddock-system/impersonator']?.token ?? '';
    limited = first.users['paddock-system/limited']?.token ?? '';
    const post = async (path: string, body: unknown) => {
      const r = await api(c, 'POST', path, { token: c.adminToken, body });
      expect(r.status, r.text).to.equal(201);
    };
    // The docs' example role: impersonate on users, groups, serviceaccounts, uids and userextras.
    await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'impersonator' },
      rules: [
        {
          apiGroups: [''],
          resources: ['users', 'groups', 'serviceaccounts'],
          verbs: ['impersonate'],
        },
        // RBAC has no "userextras/*" pattern: each extra key is named (only "*" matches all).
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['userextras/paddock.io/principal-id', 'uids'],
          verbs: ['impersonate'],
        },
      ],
    });
    await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'impersonator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonator' },
      subjects: [{ kind: 'ServiceAccount', name: 'impersonator', namespace: 'paddock-system' }],
    });
    // "limited" may impersonate only the user "jane" and the group "devs".
    await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'limited-impersonator' },
      rules: [
        { apiGroups: [''], resources: ['users'], resourceNames: ['jane'], verbs: ['impersonate'] },
        { apiGroups: [''], resources: ['groups'], resourceNames: ['devs'], verbs: ['impersonate'] },
      ],
    });
    await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'limited-impersonator' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'limited-impersonator',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'limited', namespace: 'paddock-system' }],
    });
  });

  after(async () => {
    await sim.stop();
  });

  const whoami = async (token: string, headers: Record<string, string | string[]>) => {
    const r = await api(c, 'POST', WHOAMI, { token, headers, body: REVIEW });
    return {
      status: r.status,
      r,
      user:
        r.status === 201
          ? (r.json().status as { userInfo: Record<string, unknown> }).userInfo
          : undefined,
    };
  };

  it('treats each Impersonate-Group line as one group, even with commas, and adds system:authenticated', async () => {
    const { user } = await whoami(impersonator, {
      'Impersonate-User': 'u-abc12',
      'Impersonate-Group': [LDAP_GROUP, 'github_team://42'],
    });
    expect(user).to.deep.equal({
      username: 'u-abc12',
      groups: [LDAP_GROUP, 'github_team://42', 'system:authenticated'],
    });
  });

  it('does not add system:authenticated when it or system:unauthenticated is impersonated', async () => {
    const { user } = await whoami(impersonator, {
      'Impersonate-User': 'u-abc12',
      'Impersonate-Group': ['system:masters', 'system:unauthenticated'],
    });
    expect(user?.groups).to.deep.equal(['system:masters', 'system:unauthenticated']);
  });

  it('lowercases and percent-decodes Impersonate-Extra-<key> and keeps every value line', async () => {
    const { user } = await whoami(impersonator, {
      'Impersonate-User': 'u-abc12',
      'Impersonate-Extra-Paddock.io%2FPrincipal-Id': ['local://u-abc12', 'github_user://7'],
      'Impersonate-Uid': 'uid-123',
    });
    expect(user).to.deep.equal({
      username: 'u-abc12',
      uid: 'uid-123',
      groups: ['system:authenticated'],
      extra: { 'paddock.io/principal-id': ['local://u-abc12', 'github_user://7'] },
    });
  });

  it('impersonates a service account with its groups when no group is given', async () => {
    const { user } = await whoami(impersonator, {
      'Impersonate-User': 'system:serviceaccount:shop:builder',
    });
    expect(user).to.deep.equal({
      username: 'system:serviceaccount:shop:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
    });
  });

  it('authorizes the impersonated user, not the impersonator, for the request itself', async () => {
    const r = await api(c, 'GET', '/api/v1/namespaces/default/pods', {
      token: impersonator,
      headers: { 'Impersonate-User': 'u-abc12', 'Impersonate-Group': LDAP_GROUP },
    });
    expect(r.status).to.equal(403);
    expect(r.json().message).to.equal(
      'pods is forbidden: User "u-abc12" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const asMaster = await api(c, 'GET', '/api/v1/namespaces/default/pods', {
      token: impersonator,
      headers: { 'Impersonate-User': 'root', 'Impersonate-Group': 'system:masters' },
    });
    expect(asMaster.status).to.equal(200);
  });

  it('refuses impersonation the caller may not do, with the real 403 text', async () => {
    const user = await whoami(limited, { 'Impersonate-User': 'bob' });
    expect(user.status).to.equal(403);
    expect(user.r.json()).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'users "bob" is forbidden: User "system:serviceaccount:paddock-system:limited" cannot impersonate resource "users" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'bob', kind: 'users' },
      code: 403,
    });
    expect(
      (await whoami(limited, { 'Impersonate-User': 'jane', 'Impersonate-Group': 'devs' })).status,
    ).to.equal(201);
    const group = await whoami(limited, {
      'Impersonate-User': 'jane',
      'Impersonate-Group': 'devs,admins',
    });
    expect(group.r.json().message).to.equal(
      'groups "devs,admins" is forbidden: User "system:serviceaccount:paddock-system:limited" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
    const extra = await whoami(limited, {
      'Impersonate-User': 'jane',
      'Impersonate-Extra-Scopes': 'view',
    });
    expect(extra.r.json().message).to.equal(
      'userextras.authentication.k8s.io "view" is forbidden: User "system:serviceaccount:paddock-system:limited" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    );
    const uid = await whoami(limited, { 'Impersonate-User': 'jane', 'Impersonate-Uid': 'u1' });
    expect(uid.r.json().message).to.equal(
      'uids.authentication.k8s.io "u1" is forbidden: User "system:serviceaccount:paddock-system:limited" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    );
    const sa = await whoami(limited, { 'Impersonate-User': 'system:serviceaccount:shop:builder' });
    expect(sa.r.json().message).to.equal(
      'serviceaccounts "builder" is forbidden: User "system:serviceaccount:paddock-system:limited" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "shop"',
    );
  });

  it('rejects groups, extras or uid without Impersonate-User like kube-apiserver 1.32 (plain-text 500)', async () => {
    const r = await whoami(impersonator, { 'Impersonate-Group': 'devs' });
    expect(r.status).to.equal(500);
    expect(r.r.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(r.r.text).to.equal(
      'Internal Server Error: "/apis/authentication.k8s.io/v1/selfsubjectreviews": requested [{Group  devs    }] without impersonating a user\n',
    );
  });

  it('rejects groups without Impersonate-User with a 400 Status when emulating kube-apiserver 1.35+', async () => {
    const newer = await startKubesim({
      clusters: 1,
      adminPort: false,
      kubeVersion: 'v1.35.0',
      serviceAccounts: ['x/imp'],
    });
    try {
      const nc = newer.clusters[0];
      if (!nc) throw new Error('no cluster');
      const r = await api(nc, 'POST', WHOAMI, {
        token: nc.users['x/imp']?.token,
        headers: { 'Impersonate-Uid': 'u1' },
        body: REVIEW,
      });
      expect(r.status).to.equal(400);
      expect(r.json()).to.deep.equal({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'requested [{UID  u1  authentication.k8s.io/v1  }] without impersonating a user',
        reason: 'BadRequest',
        code: 400,
      });
    } finally {
      await newer.stop();
    }
  });
});
