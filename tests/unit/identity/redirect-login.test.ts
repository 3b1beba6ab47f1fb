import { expect } from 'chai';
import type { LoginAuditEvent } from '../../../src/domain/identity.js';
import { GroupRefresher } from '../../../src/identity/group-refresher.js';
import { LoginService } from '../../../src/identity/login-service.js';
import { LoginThrottle } from '../../../src/identity/login-throttle.js';
import { ProviderDispatcher, UNRESTRICTED } from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { FakeRedirect } from './fake-redirect.js';
import { rejection, type SessionFixture, sessionFixture, testRuntime } from './fixtures.js';

describe('LoginService with a redirect provider', () => {
  let f: SessionFixture;
  let users: UserRepository;
  let github: FakeRedirect;
  let providers: ProviderDispatcher;
  let audit: LoginAuditEvent[];
  let service: LoginService;
  const pending = {
    provider: 'github' as const,
    state: 'st',
    redirectUri: 'https://p/cb',
    createdAt: 0,
    expiresAt: 1,
  };

  beforeEach(async () => {
    f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    users = new UserRepository(f.store, runtime);
    github = new FakeRedirect();
    providers = new ProviderDispatcher();
    providers.register({ provider: github, access: UNRESTRICTED, groupRefreshMaxAgeSeconds: 60 });
    audit = [];
    service = new LoginService({
      users,
      providers,
      sessions: f.sessions,
      throttle: new LoginThrottle(f.store, {}, runtime),
      hasAnyMembership: async () => false,
      audit: (e) => audit.push(e),
      runtime,
    });
  });

  it('links the GitHub user, keeps the refresh material and returns a session', async () => {
    const result = await service.finishRedirectLogin({
      provider: 'github',
      callbackParams: { code: 'c', state: 'st' },
      pending,
    });
    const user = (await users.get(result.userId))!;
    expect(user).to.include({
      username: 'octocat',
      displayName: 'The Octocat',
      provider: 'github',
      refreshMaterial: 'sealed-token-1',
    });
    expect(user.principalIds).to.deep.equal(['github_user://1001']);
    expect((await f.sessions.verify(result.token)).provider).to.equal('github');
    expect(audit.at(-1)).to.include({
      outcome: 'success',
      provider: 'github',
      username: 'octocat',
    });
  });

  it('passes the provider’s refusal through and audits it', async () => {
    const err = await rejection(
      service.finishRedirectLogin({
        provider: 'github',
        callbackParams: { error: 'access_denied', state: 'st' },
        pending,
      }),
    );
    expect(err.reason).to.equal('consent_denied');
    expect(audit.at(-1)).to.include({ outcome: 'failure', reason: 'consent_denied' });
    expect(
      (
        await rejection(
          service.finishRedirectLogin({
            provider: 'github',
            callbackParams: {},
            pending: undefined,
          }),
        )
      ).reason,
    ).to.equal('bad_state');
  });

  it('does not offer a redirect provider for password login', async () => {
    expect(
      (await rejection(service.login({ provider: 'github', username: 'octocat', password: 'x' })))
        .reason,
    ).to.equal('unknown_provider');
    expect(providers.list()).to.deep.equal([{ name: 'github', kind: 'redirect' }]);
  });

  it('refreshes groups with the stored material and keeps the rotated one', async () => {
    const result = await service.finishRedirectLogin({
      provider: 'github',
      callbackParams: { code: 'c' },
      pending,
    });
    github.teams = ['42', '43'];
    f.clock.advance(60);
    const refresher = new GroupRefresher({
      store: f.store,
      users,
      providers,
      hasAnyMembership: async () => false,
      runtime: testRuntime(f.clock),
    });
    expect((await refresher.runOnce()).refreshed).to.equal(1);
    expect(github.seenMaterial).to.deep.equal(['sealed-token-1']);
    const user = (await users.get(result.userId))!;
    expect(user.refreshMaterial).to.equal('sealed-token-2');
    expect(user.groups.map((g) => g.id)).to.deep.equal(['github_team://42', 'github_team://43']);
  });
});
