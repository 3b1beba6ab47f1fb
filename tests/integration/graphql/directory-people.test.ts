import { expect } from 'chai';
import {
  getSlapd,
  groupDn,
  personDn,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  slapdPassword,
} from '../../support/slapd.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, kubectlStream } from '../authproxy/support/kubectl.js';
import { errorCode } from './support/admin-graphql.js';
import { CLUSTER, type PeopleHarness, startPeopleHarness } from './support/people-harness.js';

const SET_AUTH = `mutation($i: SetAuthConfigInput!) { setAuthConfig(input: $i) { accessMode } }`;

describe('directory users and access modes on a running Paddock with slapd and kubesim', function () {
  this.timeout(180_000);
  let h: PeopleHarness;
  let ldapSettings: Record<string, unknown>;

  before(async () => {
    const slapd = await getSlapd();
    h = await startPeopleHarness('people-directory');
    ldapSettings = {
      servers: [`127.0.0.1:${slapd.ldapsPort}`],
      tls: { mode: 'ldaps', caPem: slapd.caPem },
      serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
      users: { searchBase: SLAPD_PEOPLE },
      groups: { searchBase: SLAPD_GROUPS },
    };
    await h.ok(h.admin, SET_AUTH, {
      i: {
        provider: 'OPENLDAP',
        enabled: true,
        accessMode: 'UNRESTRICTED',
        settings: ldapSettings,
      },
    });
  });
  after(async () => {
    await h?.stop();
  });

  const ldapSession = (uid: string) =>
    waitFor(
      `${uid} to log in through OpenLDAP`,
      async () => {
        const r = await h.app.login(uid, slapdPassword(uid), 'openldap');
        return r.status === 200 ? (JSON.parse(r.body).token as string) : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );

  it('binds a directory user found by search who never logged in; at first login kubectl has the access', async () => {
    const found = await h.ok(h.admin, '{ principals(search: "bulk07") { id kind } }');
    const principal = `openldap_user://${personDn('uid=bulk07')}`;
    expect(found.principals).to.deep.include({ id: principal, kind: 'USER' });
    const bound = await h.ok(
      h.admin,
      'mutation($c: ID!, $p: ID!) { addClusterMember(clusterId: $c, principalId: $p, roleTemplateId: "cluster-member") { userId principalId } }',
      { c: CLUSTER, p: principal },
    );
    const { userId } = bound.addClusterMember;
    expect(bound.addClusterMember.principalId).to.equal(principal);
    expect(userId).to.match(/^u-/);
    await h.waitForDownstreamBinding(userId, true);

    const login = await h.app.login('bulk07', slapdPassword('bulk07'), 'openldap');
    expect(login.status, login.body).to.equal(200);
    expect(JSON.parse(login.body).userId).to.equal(userId);
    const kubeconfig = await h.kubeconfigFor(JSON.parse(login.body).token, 'bulk07');
    const nodes = await kubectl(kubeconfig, ['get', 'nodes', '-o', 'name']);
    expect(nodes.code, nodes.stderr).to.equal(0);
    expect(nodes.stdout).to.match(/^node\//m);
  });

  it('refuses binding a directory principal the directory does not have', async () => {
    const res = await h.app.graphql(
      h.admin,
      'mutation($c: ID!, $p: ID!) { addClusterMember(clusterId: $c, principalId: $p, roleTemplateId: "cluster-member") { id } }',
      { c: CLUSTER, p: `openldap_user://${personDn('uid=nobody-here')}` },
    );
    expect(errorCode(res)).to.equal('NOT_FOUND');
  });

  it('ends the session and open watch of an LDAP user that a required access mode leaves out', async () => {
    const dave = await ldapSession('dave');
    const alice = await ldapSession('alice');
    const daveId = (await h.ok(dave, '{ me { id } }')).me.id as string;
    await h.bindOnCluster(`openldap_user://${personDn('uid=dave')}`);
    await h.waitForDownstreamBinding(daveId, true);
    const kubeconfig = await h.kubeconfigFor(dave, 'dave');
    const watch = kubectlStream(kubeconfig, ['get', 'pods', '-A', '-w', '--request-timeout=0']);
    try {
      await watch.waitFor(/NAMESPACE/, 20_000);
      await h.ok(h.admin, SET_AUTH, {
        i: {
          provider: 'OPENLDAP',
          accessMode: 'REQUIRED',
          allowedPrincipalIds: [`openldap_group://${groupDn('devs')}`],
          settings: ldapSettings,
        },
      });
      await waitFor(
        "dave's session to be refused",
        async () =>
          (await errorCode(await h.app.graphql(dave, '{ me { id } }'))) ? true : undefined,
        { timeoutMs: 1000, intervalMs: 20 },
      );
      await watch.waitExit(5_000);
      expect((await kubectl(kubeconfig, ['get', 'pods', '-A'])).code).to.not.equal(0);
      expect((await h.app.login('dave', slapdPassword('dave'), 'openldap')).status).to.equal(403);
      // alice is in devs, which the new mode admits: her session goes on.
      expect(errorCode(await h.app.graphql(alice, '{ me { id } }'))).to.equal(undefined);
    } finally {
      watch.stop();
    }
  });
});
