import { expect } from 'chai';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, kubectlStream } from '../authproxy/support/kubectl.js';
import { errorCode } from './support/admin-graphql.js';
import { CLUSTER, type PeopleHarness, startPeopleHarness } from './support/people-harness.js';

const PW = 'a-long-enough-password-1';

const CREATE = `mutation($i: CreateLocalUserInput!) {
  createLocalUser(input: $i) { user { id username mustChangePassword } generatedPassword } }`;
const DISABLE = 'mutation($id: ID!) { disableUser(id: $id) { id enabled disabledReason } }';
const ENABLE = 'mutation($id: ID!) { enableUser(id: $id) { id enabled } }';
const DELETE = 'mutation($id: ID!) { deleteUser(id: $id) }';
const RESET = `mutation($id: ID!, $i: ResetUserPasswordInput) {
  resetUserPassword(id: $id, input: $i) { user { mustChangePassword } generatedPassword } }`;
const CREATE_KEY =
  'mutation { createApiKey(input: { description: "ci" }) { token key { keyId } } }';

/** Every new administrator field with variables naming `target`. */
function adminCalls(target: string): [string, string, Record<string, unknown>][] {
  return [
    ['createLocalUser', CREATE, { i: { username: 'sneaky', password: PW } }],
    [
      'updateUser',
      'mutation($id: ID!) { updateUser(id: $id, input: { displayName: "x" }) { id } }',
      { id: target },
    ],
    ['disableUser', DISABLE, { id: target }],
    ['enableUser', ENABLE, { id: target }],
    ['deleteUser', DELETE, { id: target }],
    ['resetUserPassword', RESET, { id: target, i: { newPassword: PW } }],
    ['userSessions', 'query($id: ID!) { userSessions(userId: $id) { id } }', { id: target }],
    [
      'revokeUserSession',
      'mutation($id: ID!) { revokeUserSession(userId: $id, sessionId: "abcdefghijklmnopqrstuv") }',
      { id: target },
    ],
    [
      'revokeUserSessions',
      'mutation($id: ID!) { revokeUserSessions(userId: $id) }',
      { id: target },
    ],
    ['userApiKeys', 'query($id: ID!) { userApiKeys(userId: $id) { keyId } }', { id: target }],
    [
      'revokeUserApiKey',
      'mutation($id: ID!) { revokeUserApiKey(userId: $id, keyId: "abcdefghijklmnop") }',
      { id: target },
    ],
  ];
}

describe('managing people through GraphQL on a running Paddock with kubesim', function () {
  this.timeout(180_000);
  let h: PeopleHarness;

  before(async () => {
    h = await startPeopleHarness('people-admin');
  });
  after(async () => {
    await h?.stop();
  });

  /** undefined when the credential works, else the error code. */
  const refusal = async (token: string) => errorCode(await h.app.graphql(token, '{ me { id } }'));
  const refusedWithin = (what: string, token: string, timeoutMs = 1000) =>
    waitFor(
      `${what} to be refused`,
      async () => ((await refusal(token)) === 'UNAUTHENTICATED' ? true : undefined),
      { timeoutMs, intervalMs: 20 },
    );

  describe('creating a local user', () => {
    it('makes a user who logs in and must first change the generated password', async () => {
      const made = (await h.ok(h.admin, CREATE, { i: { username: 'newbie' } })).createLocalUser;
      expect(made.user).to.include({ username: 'newbie', mustChangePassword: true });
      expect(made.generatedPassword).to.match(/^[A-Za-z0-9_-]{24}$/);
      const login = await h.app.login('newbie', made.generatedPassword);
      expect(login.status, login.body).to.equal(200);
      const token = JSON.parse(login.body).token as string;
      expect(JSON.parse(login.body).mustChangePassword).to.equal(true);
      const blocked = await h.app.graphql(token, '{ clusters { totalCount } }');
      expect(blocked.errors?.[0]?.extensions?.reason).to.equal('must_change_password');
      const changed = await h.ok(
        token,
        'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }',
        { c: made.generatedPassword, n: PW },
      );
      const after = await h.app.graphql(
        changed.changePassword.token,
        '{ clusters { totalCount } }',
      );
      expect(after.errors, JSON.stringify(after.errors)).to.equal(undefined);
    });

    it('refuses a taken username with CONFLICT and a bad one with a message naming it', async () => {
      expect(
        errorCode(await h.app.graphql(h.admin, CREATE, { i: { username: 'NEWBIE' } })),
      ).to.equal('CONFLICT');
      const bad = await h.app.graphql(h.admin, CREATE, { i: { username: 'no spaces' } });
      expect(bad.errors?.[0]?.message).to.contain('username');
    });
  });

  describe('disabling and enabling a user', () => {
    let id: string;
    let session: string;
    let key: string;

    before(async () => {
      id = await h.createUser('dana', PW);
      await h.bindOnCluster(`local://${id}`);
      await h.waitForDownstreamBinding(id, true);
      session = await h.app.session('dana', PW);
      key = (await h.ok(session, CREATE_KEY)).createApiKey.token;
    });

    it('ends the session, the API key and the open kubectl watch at once, and refuses logins', async () => {
      const kubeconfig = await h.kubeconfigFor(session, 'dana');
      const watch = kubectlStream(kubeconfig, ['get', 'pods', '-A', '-w', '--request-timeout=0']);
      try {
        await watch.waitFor(/NAMESPACE/, 20_000);
        const res = await h.ok(h.admin, DISABLE, { id });
        expect(res.disableUser).to.deep.equal({ id, enabled: false, disabledReason: 'admin' });
        await refusedWithin('the session', session);
        await refusedWithin('the API key', key);
        await watch.waitExit(5_000);
        const again = await kubectl(kubeconfig, ['get', 'pods', '-A']);
        expect(again.code).to.not.equal(0);
        expect((await h.app.login('dana', PW)).status).to.equal(401);
      } finally {
        watch.stop();
      }
    });

    it('lets the user log in again once enabled; keys work again, the old session does not', async () => {
      expect((await h.ok(h.admin, ENABLE, { id })).enableUser.enabled).to.equal(true);
      expect(await refusal(key)).to.equal(undefined);
      expect(await refusal(session)).to.equal('UNAUTHENTICATED');
      const fresh = await h.app.session('dana', PW);
      expect(await refusal(fresh)).to.equal(undefined);
    });
  });

  describe('deleting a user', () => {
    it('removes its bindings (downstream too), sessions, keys and the user itself', async () => {
      const id = await h.createUser('ezra', PW);
      const bindingId = await h.bindOnCluster(`local://${id}`);
      await h.waitForDownstreamBinding(id, true);
      const session = await h.app.session('ezra', PW);
      const key = (await h.ok(session, CREATE_KEY)).createApiKey.token;
      const members = async () =>
        (await h.ok(h.admin, '{ clusterMembers(clusterId: "one") { id } }')).clusterMembers.map(
          (b: { id: string }) => b.id,
        );
      expect(await members()).to.include(bindingId);

      expect((await h.ok(h.admin, DELETE, { id })).deleteUser).to.equal(true);
      expect(await members()).not.to.include(bindingId);
      await refusedWithin('the session', session);
      await refusedWithin('the API key', key);
      await h.waitForDownstreamBinding(id, false);
      expect(
        (await h.ok(h.admin, 'query($id: ID!) { user(id: $id) { id } }', { id })).user,
      ).to.equal(null);
      expect((await h.app.login('ezra', PW)).status).to.equal(401);
      expect((await h.ok(h.admin, DELETE, { id })).deleteUser).to.equal(false);
    });
  });

  describe('resetting a password', () => {
    it('sets a generated password the user must change and ends its sessions', async () => {
      const id = await h.createUser('fay', PW);
      const session = await h.app.session('fay', PW);
      const reset = (await h.ok(h.admin, RESET, { id })).resetUserPassword;
      expect(reset.user.mustChangePassword).to.equal(true);
      await refusedWithin('the old session', session);
      expect((await h.app.login('fay', PW)).status).to.equal(401);
      const login = await h.app.login('fay', reset.generatedPassword);
      expect(login.status).to.equal(200);
      expect(JSON.parse(login.body).mustChangePassword).to.equal(true);
    });
  });

  describe('who may act on whom', () => {
    let plain: string;
    let plainId: string;
    let manager: string;

    before(async () => {
      plainId = await h.createUser('jo', PW);
      plain = await h.app.session('jo', PW);
      const managerId = await h.createUser('kim', PW);
      await h.ok(
        h.admin,
        'mutation($p: ID!) { bindGlobalRole(principalId: $p, globalRoleId: "users-manage") { id } }',
        { p: `local://${managerId}` },
      );
      manager = await h.app.session('kim', PW);
    });

    for (const [field, query, variables] of adminCalls('TARGET')) {
      it(`answers FORBIDDEN to a user without users-manage calling ${field}`, async () => {
        const res = await h.app.graphql(
          plain,
          query,
          JSON.parse(JSON.stringify(variables).replaceAll('TARGET', h.adminId)),
        );
        expect(errorCode(res), JSON.stringify(res.errors)).to.equal('FORBIDDEN');
        expect(res.data?.[field] ?? null).to.equal(null);
      });
    }

    it("refuses a users-manage holder who resets the admin's password, disables, deletes or signs out the admin", async () => {
      const attempts: [string, Record<string, unknown>][] = [
        [RESET, { id: h.adminId, i: { newPassword: 'taken-over-password-1' } }],
        [DISABLE, { id: h.adminId }],
        [DELETE, { id: h.adminId }],
        ['mutation($id: ID!) { revokeUserSessions(userId: $id) }', { id: h.adminId }],
      ];
      for (const [query, variables] of attempts) {
        const res = await h.app.graphql(manager, query, variables);
        expect(errorCode(res), JSON.stringify(res.errors)).to.equal('FORBIDDEN');
        expect(res.errors?.[0]?.extensions?.reason).to.equal('escalation');
      }
      expect(await refusal(h.admin)).to.equal(undefined);
      expect((await h.app.login('admin', 'test-bootstrap-password')).status).to.equal(200);
      expect((await h.app.login('admin', 'taken-over-password-1')).status).to.equal(401);
    });

    it('lets a users-manage holder disable and enable a user with no more rights than its own', async () => {
      expect((await h.ok(manager, DISABLE, { id: plainId })).disableUser.enabled).to.equal(false);
      expect((await h.ok(manager, ENABLE, { id: plainId })).enableUser.enabled).to.equal(true);
    });

    it('refuses disabling or deleting the last enabled admin', async () => {
      for (const query of [DISABLE, DELETE]) {
        const res = await h.app.graphql(h.admin, query, { id: h.adminId });
        expect(errorCode(res), JSON.stringify(res.errors)).to.equal('CONFLICT');
        expect(res.errors?.[0]?.extensions?.reason).to.equal('last_admin');
      }
      expect(await refusal(h.admin)).to.equal(undefined);
    });

    it('gives a cluster-scoped key no way to manage users or see its owner’s sessions', async () => {
      const scoped = (
        await h.ok(
          h.admin,
          `mutation { createApiKey(input: { clusterId: "${CLUSTER}" }) { token } }`,
        )
      ).createApiKey.token;
      const res = await h.app.graphql(scoped, DISABLE, { id: plainId });
      expect(errorCode(res)).to.equal('FORBIDDEN');
      const mine = await h.app.graphql(scoped, '{ mySessions { id } }');
      expect(errorCode(mine)).to.equal('FORBIDDEN');
    });
  });
});
