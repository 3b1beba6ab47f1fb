import { join } from 'node:path';
import { expect } from 'chai';
import { OpenLdapProvider } from '../../../src/identity/ldap/index.js';
import { UNRESTRICTED } from '../../../src/identity/provider-dispatcher.js';
import { systemRuntime } from '../../../src/identity/runtime.js';
import { createLinkedUser } from '../../../src/identity/user-linking.js';
import {
  getSlapd,
  groupDn,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  slapdPassword,
} from '../../support/slapd.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, writeKubeconfig } from '../authproxy/support/kubectl.js';
import { type RbacHarness, startRbacHarness } from './support/rbac-harness.js';

describe('an LDAP group binding pushed down to kubesim', function () {
  this.timeout(120_000);
  let h: RbacHarness;

  before(async () => {
    h = await startRbacHarness({ resyncIntervalMs: 60_000 });
  });

  after(async () => {
    await h?.stop();
  });

  it('gives an LDAP user access through its group, without a user binding', async () => {
    const slapd = await getSlapd();
    const ldap = OpenLdapProvider.fromConfig({
      servers: [`127.0.0.1:${slapd.ldapsPort}`],
      tls: { mode: 'ldaps', caPem: slapd.caPem },
      connectionTimeoutMs: 2000,
      serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
      users: { searchBase: SLAPD_PEOPLE },
      groups: { searchBase: SLAPD_GROUPS },
    });
    // Credentials of an LDAP user work while the LDAP provider is configured.
    h.p.identity.providers.register({ provider: ldap, access: UNRESTRICTED });
    // A real LDAP login, linked to a Paddock user the way the login service does it.
    const login = await ldap.login('bob', slapdPassword('bob'));
    const ops = login.groups.find((g) => g.id.endsWith(groupDn('ops')));
    expect(ops?.id).to.equal(`openldap_group://${groupDn('ops')}`);
    const bob = await createLinkedUser(h.p.identity.users, 'openldap', login, systemRuntime);
    const key = await h.p.identity.apiKeys.create({ userId: bob.id, kind: 'kubeconfig' });
    const kubeconfig = await writeKubeconfig(
      h.p.dir,
      'ldap-bob',
      `${h.p.url}/k8s/clusters/one`,
      join(h.p.dir, 'paddock-ca.pem'),
      key.token,
    );

    const project = await h.access.service.createProject(h.admin, 'one', { name: 'Payments' });
    await h.adminKubectl([
      'label',
      'namespace',
      'payments',
      `paddock.io/project-id=one_${project.id}`,
    ]);
    const denied = await kubectl(kubeconfig, ['create', 'configmap', 'ldap', '-n', 'payments']);
    expect(denied.stderr).to.match(/forbidden/i);

    // Bound as a principal search would return it: the group principal id.
    await h.access.service.addProjectMember(h.admin, 'one', project.id, ops!.id, 'project-member');
    const members = await h.access.service.projectMembers(h.admin, 'one', project.id);
    expect(members.some((m) => m.subject.kind === 'user' && m.subject.userId === bob.id)).to.equal(
      false,
    );
    await waitFor(
      'the LDAP group binding to reach kubesim',
      async () => {
        const r = await kubectl(kubeconfig, ['create', 'configmap', 'ldap', '-n', 'payments']);
        return r.code === 0 ? true : undefined;
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    const other = await kubectl(kubeconfig, ['create', 'configmap', 'ldap', '-n', 'shop']);
    expect(other.stderr).to.match(/forbidden/i);
  });
});
