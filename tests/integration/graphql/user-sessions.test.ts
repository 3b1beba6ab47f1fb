import { expect } from 'chai';
import { fetchText } from '../../support/http-client.js';
import { waitFor } from '../../support/wait-for.js';
import { errorCode } from './support/admin-graphql.js';
import { type PeopleHarness, startPeopleHarness, tokenOf } from './support/people-harness.js';

const PW = 'a-long-enough-password-1';
const CREATE_KEY =
  'mutation { createApiKey(input: { description: "ci" }) { token key { keyId } } }';
const SESSIONS_OF = `query($id: ID!) { userSessions(userId: $id) {
  id userId provider createdAt expiresAt lastSeenAt idleExpiresAt remoteAddress userAgent current } }`;
const SET = 'mutation($n: String!, $v: String) { updateSetting(name: $n, value: $v) { value } }';

describe('sessions and keys of users on a running Paddock', function () {
  this.timeout(180_000);
  let h: PeopleHarness;

  before(async () => {
    h = await startPeopleHarness('people-sessions');
  });
  after(async () => {
    await h?.stop();
  });

  const refusal = async (token: string) => errorCode(await h.app.graphql(token, '{ me { id } }'));
  const refusedWithin = (what: string, token: string) =>
    waitFor(
      `${what} to be refused`,
      async () => ((await refusal(token)) === 'UNAUTHENTICATED' ? true : undefined),
      { timeoutMs: 1000, intervalMs: 20 },
    );
  /** Logs in with a User-Agent of our choosing; returns the login answer. */
  const loginAs = async (username: string, userAgent: string) => {
    const res = await fetchText(`${h.app.paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ username, password: PW }),
      ca: h.app.paddock.caPem,
    });
    expect(res.status, res.body).to.equal(200);
    return JSON.parse(res.body) as { token: string; expiresAt: string; userId: string };
  };

  it("lets an admin list another user's sessions and end one of them", async () => {
    const id = await h.createUser('gus', PW);
    const laptop = await loginAs('gus', 'laptop-browser/1.0');
    const phone = await loginAs('gus', 'phone-app/2.0');
    const listed = (await h.ok(h.admin, SESSIONS_OF, { id })).userSessions;
    expect(listed.map((s: { userAgent: string }) => s.userAgent)).to.deep.equal([
      'phone-app/2.0',
      'laptop-browser/1.0',
    ]);
    expect(listed[0]).to.include({ userId: id, provider: 'LOCAL', current: false });
    expect(listed[0].remoteAddress).to.match(/127\.0\.0\.1/);
    const ended = await h.ok(
      h.admin,
      'mutation($u: ID!, $s: ID!) { revokeUserSession(userId: $u, sessionId: $s) }',
      { u: id, s: listed[1].id },
    );
    expect(ended.revokeUserSession).to.equal(true);
    await refusedWithin('the ended session', laptop.token);
    expect(await refusal(phone.token)).to.equal(undefined);
    const left = (await h.ok(h.admin, SESSIONS_OF, { id })).userSessions;
    expect(left.map((s: { id: string }) => s.id)).to.deep.equal([listed[0].id]);
  });

  it("lets an admin list and revoke another user's API keys", async () => {
    await h.createUser('hank', PW);
    const session = (await loginAs('hank', 'cli/1')).token;
    const key = (await h.ok(session, CREATE_KEY)).createApiKey;
    const hankId = (await h.ok(session, '{ me { id } }')).me.id;
    const keys = (
      await h.ok(h.admin, 'query($u: ID!) { userApiKeys(userId: $u) { keyId description } }', {
        u: hankId,
      })
    ).userApiKeys;
    expect(keys).to.deep.equal([{ keyId: key.key.keyId, description: 'ci' }]);
    const revoked = await h.ok(
      h.admin,
      'mutation($u: ID!, $k: ID!) { revokeUserApiKey(userId: $u, keyId: $k) }',
      { u: hankId, k: key.key.keyId },
    );
    expect(revoked.revokeUserApiKey).to.equal(true);
    await refusedWithin('the revoked key', key.token);
    expect(await refusal(session)).to.equal(undefined);
  });

  it('lists my own sessions, marks the current one, and ends one of them', async () => {
    await h.createUser('ida', PW);
    const first = (await loginAs('ida', 'first/1')).token;
    const second = (await loginAs('ida', 'second/1')).token;
    const mine = (await h.ok(second, '{ mySessions { id current userAgent } }')).mySessions;
    expect(
      mine.map((s: { current: boolean; userAgent: string }) => [s.userAgent, s.current]),
    ).to.deep.equal([
      ['second/1', true],
      ['first/1', false],
    ]);
    await h.ok(second, 'mutation($s: ID!) { revokeMySession(sessionId: $s) }', { s: mine[1].id });
    await refusedWithin('the first session', first);
    expect(await refusal(second)).to.equal(undefined);
  });

  it('signs out everywhere, and with revokeApiKeys deletes every key and kubeconfig token too', async () => {
    await h.createUser('hal', PW);
    const one = (await loginAs('hal', 'a/1')).token;
    const two = (await loginAs('hal', 'b/1')).token;
    const key = (await h.ok(one, CREATE_KEY)).createApiKey.token;
    const kubeconfigToken = tokenOf(
      (
        await fetchText(`${h.app.paddock.url}/v1/kubeconfig`, {
          headers: { authorization: `Bearer ${one}` },
          ca: h.app.paddock.caPem,
        })
      ).body,
    );
    const res = await h.ok(one, 'mutation { signOutEverywhere(revokeApiKeys: true) }');
    expect(res.signOutEverywhere).to.equal(2);
    for (const [what, token] of [
      ['the calling session', one],
      ['the other session', two],
      ['the API key', key],
      ['the kubeconfig token', kubeconfigToken],
    ] as const) {
      await refusedWithin(what, token);
    }
    const fresh = (await loginAs('hal', 'c/1')).token;
    expect((await h.ok(fresh, '{ apiKeys { keyId } }')).apiKeys).to.deep.equal([]);
  });

  it('keeps keys at sign out everywhere unless asked', async () => {
    await h.createUser('huw', PW);
    const one = (await loginAs('huw', 'a/1')).token;
    const key = (await h.ok(one, CREATE_KEY)).createApiKey.token;
    expect((await h.ok(one, 'mutation { signOutEverywhere }')).signOutEverywhere).to.equal(1);
    await refusedWithin('the session', one);
    expect(await refusal(key)).to.equal(undefined);
  });

  it('ends every session and, when asked, every key at a password change', async () => {
    await h.createUser('ivy', PW);
    const other = (await loginAs('ivy', 'a/1')).token;
    const caller = (await loginAs('ivy', 'b/1')).token;
    const key = (await h.ok(caller, CREATE_KEY)).createApiKey.token;
    const changed = await h.ok(
      caller,
      'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n, revokeApiKeys: true) { token } }',
      { c: PW, n: 'another-long-password-2' },
    );
    await refusedWithin('the other session', other);
    await refusedWithin('the calling session', caller);
    await refusedWithin('the API key', key);
    const fresh = changed.changePassword.token as string;
    expect(await refusal(fresh)).to.equal(undefined);
    expect((await h.ok(fresh, '{ apiKeys { keyId } }')).apiKeys).to.deep.equal([]);
  });

  it('applies the session lifetime setting to new sessions and the idle timeout to all', async () => {
    await h.createUser('jay', PW);
    const before = await loginAs('jay', 'a/1');
    const untilBefore = Date.parse(before.expiresAt) - Date.now();
    expect(untilBefore).to.be.closeTo(960 * 60_000, 60_000);
    try {
      await h.ok(h.admin, SET, { n: 'auth-user-session-ttl-minutes', v: '5' });
      await h.ok(h.admin, SET, { n: 'auth-user-session-idle-ttl-minutes', v: '2' });
      const bad = await h.app.graphql(h.admin, SET, { n: 'auth-user-session-ttl-minutes', v: '0' });
      expect(bad.errors?.[0]?.message).to.contain('auth-user-session-ttl-minutes');
      // Read through a one-second cache: the new values apply without a restart.
      const after = await waitFor(
        'a new session to get the 5-minute lifetime',
        async () => {
          const s = await loginAs('jay', 'b/1');
          return Math.abs(Date.parse(s.expiresAt) - Date.now() - 5 * 60_000) < 10_000
            ? s
            : undefined;
        },
        { timeoutMs: 5_000, intervalMs: 300 },
      );
      const mine = (
        await h.ok(after.token, '{ mySessions { expiresAt lastSeenAt idleExpiresAt } }')
      ).mySessions as { expiresAt: string; lastSeenAt: string; idleExpiresAt: string }[];
      expect(mine).to.have.length.at.least(2);
      for (const s of mine) {
        expect(Date.parse(s.idleExpiresAt) - Date.parse(s.lastSeenAt)).to.equal(2 * 60_000);
      }
      // The session from before keeps its lifetime; only new ones get the shorter one.
      expect(mine.map((s) => Date.parse(s.expiresAt))).to.include(Date.parse(before.expiresAt));
      expect(await refusal(before.token)).to.equal(undefined);
    } finally {
      await h.ok(h.admin, SET, { n: 'auth-user-session-ttl-minutes', v: null });
      await h.ok(h.admin, SET, { n: 'auth-user-session-idle-ttl-minutes', v: null });
    }
  });
});
