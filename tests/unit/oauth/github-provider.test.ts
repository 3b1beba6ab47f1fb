import { createHash } from 'node:crypto';
import { expect } from 'chai';
import nock from 'nock';
import type { PendingRedirectLogin } from '../../../src/domain/redirect-provider.js';
import { PaddockError } from '../../../src/errors/index.js';
import { GitHubProvider, type GitHubProviderOptions } from '../../../src/identity/oauth/index.js';
import { systemRuntime } from '../../../src/identity/runtime.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import {
  ACME,
  ACME_DEVS,
  ACME_OPS,
  type EmulatedTeam,
  GITHUB_COM,
  type GitHubHosts,
  INITECH,
  nockProfile,
  nockTokenEndpoint,
  OCTOCAT,
} from './github-emulator.js';

const NOW = Date.UTC(2030, 0, 1);
const REDIRECT_URI = 'https://paddock.example.com/v1/auth/github/callback';
const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 7));

function provider(overrides: Partial<GitHubProviderOptions['config']> = {}, clock = () => NOW) {
  return new GitHubProvider({
    config: { clientId: 'paddock-client', clientSecret: 'paddock-secret', ...overrides },
    secretBox,
    runtime: { now: clock, randomBytes: systemRuntime.randomBytes },
  });
}

async function rejection(promise: Promise<unknown>): Promise<PaddockError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(PaddockError);
    return error as PaddockError;
  }
  throw new Error('expected a rejection');
}

function callback(pending: PendingRedirectLogin, code = 'the-code') {
  return { callbackParams: { code, state: pending.state }, pending };
}

describe('GitHubProvider', () => {
  before(() => nock.disableNetConnect());
  afterEach(() => {
    const pendingMocks = nock.pendingMocks();
    nock.cleanAll();
    expect(pendingMocks, 'every emulated GitHub call was made').to.deep.equal([]);
  });
  after(() => nock.enableNetConnect());

  describe('start', () => {
    it('redirects to github.com with client id, scopes, a random state and a PKCE challenge', async () => {
      const start = await provider().start({ redirectUri: REDIRECT_URI });
      const url = new URL(start.authorizationUrl);
      expect(url.origin + url.pathname).to.equal('https://github.com/login/oauth/authorize');
      expect(url.searchParams.get('client_id')).to.equal('paddock-client');
      expect(url.searchParams.get('redirect_uri')).to.equal(REDIRECT_URI);
      expect(url.searchParams.get('scope')).to.equal('read:user user:email read:org');
      expect(url.searchParams.get('state'))
        .to.equal(start.state)
        .and.match(/^[\w-]{43}$/);
      const verifier = start.pending.codeVerifier ?? '';
      expect(url.searchParams.get('code_challenge')).to.equal(
        createHash('sha256').update(verifier).digest('base64url'),
      );
      expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
      expect(start.pending).to.include({ provider: 'github', state: start.state, createdAt: NOW });
      expect(start.pending.expiresAt).to.equal(NOW + 600_000);
    });

    it('makes a different state for every login', async () => {
      const p = provider();
      const a = await p.start({ redirectUri: REDIRECT_URI });
      const b = await p.start({ redirectUri: REDIRECT_URI });
      expect(a.state).not.to.equal(b.state);
    });

    it('leaves PKCE out when it is turned off', async () => {
      const start = await provider({ usePkce: false }).start({ redirectUri: REDIRECT_URI });
      expect(new URL(start.authorizationUrl).searchParams.has('code_challenge')).to.equal(false);
      expect(start.pending.codeVerifier).to.equal(undefined);
    });

    it('refuses a relative redirect URI', async () => {
      const error = await rejection(provider().start({ redirectUri: '/callback' }));
      expect(error.code).to.equal('BAD_REQUEST');
    });
  });

  describe('finish', () => {
    it('exchanges the code and returns the user by numeric id with orgs and teams as groups', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      const token = nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nockProfile(GITHUB_COM, 'gho_alpha', OCTOCAT);

      const login = await p.finish(callback(pending));

      expect(token.seen[0]).to.deep.include({
        code: 'the-code',
        redirect_uri: REDIRECT_URI,
        code_verifier: pending.codeVerifier,
      });
      expect(login.user).to.deep.equal({
        id: 'github_user://583231',
        provider: 'github',
        kind: 'user',
        name: 'octocat',
        displayName: 'The Octocat',
        email: 'octocat@example.com',
      });
      expect(login.groups.map((g) => [g.id, g.name])).to.deep.equal([
        ['github_org://1001', 'acme'],
        ['github_team://2001', 'acme/devs'],
      ]);
      expect(login.refreshMaterial).to.be.a('string').and.not.contain('gho_alpha');
    });

    it('takes the primary verified address from /user/emails when the profile email is private', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nockProfile(GITHUB_COM, 'gho_alpha', { ...OCTOCAT, email: null, name: null });
      const login = await p.finish(callback(pending));
      expect(login.user.email).to.equal('octocat@users.example.com');
      expect(login.user.displayName).to.equal('octocat');
    });

    it('reports denied consent as consent_denied without calling GitHub', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      const error = await rejection(
        p.finish({
          callbackParams: new URLSearchParams({
            error: 'access_denied',
            error_description: 'The user has denied your application access.',
            state: pending.state,
          }),
          pending,
        }),
      );
      expect(error.code).to.equal('UNAUTHENTICATED');
      expect(error.reason).to.equal('consent_denied');
    });

    it('refuses a callback whose state differs from the started login', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      const error = await rejection(
        p.finish({ callbackParams: { code: 'the-code', state: `${pending.state}x` }, pending }),
      );
      expect(error.code).to.equal('UNAUTHENTICATED');
      expect(error.reason).to.equal('bad_state');
    });

    it('refuses a callback without state, or with no pending login, before any exchange', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      const missing = await rejection(p.finish({ callbackParams: { code: 'c' }, pending }));
      expect(missing.reason).to.equal('bad_state');
      const unknown = await rejection(
        p.finish({ callbackParams: { code: 'c', state: pending.state }, pending: undefined }),
      );
      expect(unknown.reason).to.equal('bad_state');
    });

    it('refuses a pending login that belongs to another provider', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      const error = await rejection(p.finish(callback({ ...pending, provider: 'oidc' })));
      expect(error.reason).to.equal('bad_state');
    });

    it('refuses a callback that arrives after the login timeout', async () => {
      let now = NOW;
      const p = provider({ loginTimeoutSeconds: 60 }, () => now);
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      now += 61_000;
      const error = await rejection(p.finish(callback(pending)));
      expect(error.reason).to.equal('bad_state');
    });

    it('reports a rejected code (bad_verification_code) as bad_code', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'another-code', accessToken: 'gho_alpha' });
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('UNAUTHENTICATED');
      expect(error.reason).to.equal('bad_code');
      expect(error.details).to.deep.equal({ error: 'bad_verification_code' });
    });

    it('reports wrong client credentials as a Paddock misconfiguration, not a user error', async () => {
      const p = provider({ clientSecret: 'stale-secret' });
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('INTERNAL');
      expect(error.reason).to.equal('provider_misconfigured');
    });

    it('turns a primary rate limit (403, x-ratelimit-remaining: 0) into UPSTREAM_UNAVAILABLE with the wait', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nock('https://api.github.com')
        .get('/user')
        .reply(
          403,
          { message: 'API rate limit exceeded' },
          {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(NOW / 1000 + 42),
          },
        );
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('UPSTREAM_UNAVAILABLE');
      expect(error.reason).to.equal('upstream_rate_limited');
      expect(error.details).to.deep.equal({ status: 403, retryAfterSeconds: 42 });
      expect(error.message).to.contain('retry in 42 s');
    });

    it('turns a secondary rate limit (429, retry-after) into UPSTREAM_UNAVAILABLE with the wait', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nock('https://api.github.com').get('/user').reply(429, {}, { 'retry-after': '30' });
      const error = await rejection(p.finish(callback(pending)));
      expect(error.reason).to.equal('upstream_rate_limited');
      expect(error.details).to.include({ retryAfterSeconds: 30 });
    });

    it('turns a GitHub 5xx into UPSTREAM_UNAVAILABLE', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      const api = nock('https://api.github.com');
      api.get('/user').reply(200, { id: 1, login: 'x', name: null, email: 'x@example.com' });
      api.get('/user/orgs').query(true).reply(502, 'Bad Gateway');
      api.get('/user/teams').query(true).optionally().reply(200, []);
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('UPSTREAM_UNAVAILABLE');
      expect(error.reason).to.equal('upstream_error');
      expect(error.details).to.deep.equal({ status: 502 });
    });

    it('turns a failing token endpoint into UPSTREAM_UNAVAILABLE', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nock('https://github.com').post('/login/oauth/access_token').reply(503, 'unavailable');
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('UPSTREAM_UNAVAILABLE');
    });

    it('gives up on a GitHub that does not answer within the request timeout', async () => {
      const hanging = (_url: string | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      const p = new GitHubProvider({
        config: {
          clientId: 'paddock-client',
          clientSecret: 'paddock-secret',
          requestTimeoutMs: 50,
        },
        secretBox,
        fetch: hanging,
      });
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('UPSTREAM_TIMEOUT');
      expect(error.message).to.contain('GitHub token endpoint');
    });

    it('follows Link rel="next" across pages of teams', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      const teams: EmulatedTeam[] = Array.from({ length: 250 }, (_, i) => ({
        id: 5000 + i,
        slug: `team-${i}`,
        name: `Team ${i}`,
        organization: ACME,
      }));
      const api = nock('https://api.github.com');
      api.get('/user').reply(200, { id: 9, login: 'many', name: null, email: 'm@example.com' });
      api.get('/user/orgs').query({ per_page: '100' }).reply(200, [ACME]);
      const link = (page: number) =>
        `<https://api.github.com/user/teams?per_page=100&page=${page}>; rel="next", <https://api.github.com/user/teams?per_page=100&page=3>; rel="last"`;
      api
        .get('/user/teams')
        .query({ per_page: '100' })
        .reply(200, teams.slice(0, 100), { link: link(2) });
      api
        .get('/user/teams')
        .query({ per_page: '100', page: '2' })
        .reply(200, teams.slice(100, 200), { link: link(3) });
      api.get('/user/teams').query({ per_page: '100', page: '3' }).reply(200, teams.slice(200), {
        link: '<https://api.github.com/user/teams?per_page=100&page=1>; rel="first"',
      });
      const login = await p.finish(callback(pending));
      expect(login.groups).to.have.length(251);
      expect(login.groups.at(-1)?.id).to.equal('github_team://5249');
    });

    it('refuses pagination links that leave the API host, so the token stays there', async () => {
      const p = provider();
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      const api = nock('https://api.github.com');
      api.get('/user').reply(200, { id: 9, login: 'x', name: null, email: 'x@example.com' });
      api.get('/user/orgs').query(true).reply(200, [ACME], {
        link: '<https://evil.example.com/steal>; rel="next"',
      });
      api.get('/user/teams').query(true).optionally().reply(200, []);
      const error = await rejection(p.finish(callback(pending)));
      expect(error.reason).to.equal('upstream_bad_response');
    });

    it('talks to a GitHub Enterprise host for both the web flow and the /api/v3 REST API', async () => {
      const ghe: GitHubHosts = {
        web: 'https://github.example.com',
        apiOrigin: 'https://github.example.com',
        apiPath: '/api/v3',
      };
      const p = provider({ host: 'github.example.com' });
      const start = await p.start({ redirectUri: REDIRECT_URI });
      expect(start.authorizationUrl).to.match(
        /^https:\/\/github\.example\.com\/login\/oauth\/authorize\?/,
      );
      nockTokenEndpoint(ghe, { code: 'the-code', accessToken: 'ghe_token' });
      nockProfile(ghe, 'ghe_token', OCTOCAT);
      const login = await p.finish(callback(start.pending));
      expect(login.user.id).to.equal('github_user://583231');
      expect(login.groups.map((g) => g.id)).to.deep.equal([
        'github_org://1001',
        'github_team://2001',
      ]);
    });

    it('refuses a user outside the allowed organizations with FORBIDDEN access_denied', async () => {
      const p = provider({ allowedOrgs: ['initech'] });
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nockProfile(GITHUB_COM, 'gho_alpha', OCTOCAT);
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('FORBIDDEN');
      expect(error.reason).to.equal('access_denied');
    });

    it('lets in a member of an allowed organization, matched case-insensitively', async () => {
      const p = provider({ allowedOrgs: ['ACME'] });
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nockProfile(GITHUB_COM, 'gho_alpha', { ...OCTOCAT, orgs: [INITECH, ACME] });
      const login = await p.finish(callback(pending));
      expect(login.user.name).to.equal('octocat');
    });

    it('lets in a member of an allowed team given as org/slug or as a principal id', async () => {
      for (const allowedTeams of [['acme/ops'], ['github_team://2002']]) {
        const p = provider({ allowedTeams });
        const { pending } = await p.start({ redirectUri: REDIRECT_URI });
        nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
        nockProfile(GITHUB_COM, 'gho_alpha', { ...OCTOCAT, teams: [ACME_OPS] });
        const login = await p.finish(callback(pending));
        expect(login.groups.map((g) => g.name)).to.deep.equal(['acme', 'acme/ops']);
      }
    });

    it('refuses a member of the org who is in none of the allowed teams', async () => {
      const p = provider({ allowedTeams: ['acme/ops'] });
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nockProfile(GITHUB_COM, 'gho_alpha', { ...OCTOCAT, teams: [ACME_DEVS] });
      const error = await rejection(p.finish(callback(pending)));
      expect(error.code).to.equal('FORBIDDEN');
    });
  });

  describe('refreshGroups', () => {
    async function loggedIn(p: GitHubProvider) {
      const { pending } = await p.start({ redirectUri: REDIRECT_URI });
      nockTokenEndpoint(GITHUB_COM, { code: 'the-code', accessToken: 'gho_alpha' });
      nockProfile(GITHUB_COM, 'gho_alpha', OCTOCAT);
      return p.finish(callback(pending));
    }

    it('re-reads orgs and teams with the stored access token', async () => {
      const p = provider();
      const login = await loggedIn(p);
      nockProfile(GITHUB_COM, 'gho_alpha', { ...OCTOCAT, teams: [ACME_OPS] });
      const refresh = await p.refreshGroups(login.user, login.refreshMaterial);
      expect(refresh).to.deep.equal({
        status: 'ok',
        groups: [
          {
            id: 'github_org://1001',
            provider: 'github',
            kind: 'group',
            name: 'acme',
            displayName: 'acme',
          },
          {
            id: 'github_team://2002',
            provider: 'github',
            kind: 'group',
            name: 'acme/ops',
            displayName: 'acme/Ops',
          },
        ],
      });
    });

    it('says revoked when GitHub answers 401 for the stored token', async () => {
      const p = provider();
      const login = await loggedIn(p);
      nock('https://api.github.com').get('/user').reply(401, { message: 'Bad credentials' });
      expect(await p.refreshGroups(login.user, login.refreshMaterial)).to.deep.equal({
        status: 'revoked',
        reason: 'token_revoked',
      });
    });

    it('says revoked when the user left every allowed organization', async () => {
      const p = provider({ allowedOrgs: ['acme'] });
      const login = await loggedIn(p);
      nockProfile(GITHUB_COM, 'gho_alpha', { ...OCTOCAT, orgs: [INITECH], teams: [] });
      const refresh = await p.refreshGroups(login.user, login.refreshMaterial);
      expect(refresh).to.deep.include({ status: 'revoked' });
    });

    it('throws, rather than revoking, while GitHub is rate-limiting', async () => {
      const p = provider();
      const login = await loggedIn(p);
      nock('https://api.github.com').get('/user').reply(429, {}, { 'retry-after': '5' });
      const error = await rejection(p.refreshGroups(login.user, login.refreshMaterial));
      expect(error.code).to.equal('UPSTREAM_UNAVAILABLE');
    });

    it("will not open one user's sealed token for another user", async () => {
      const p = provider();
      const login = await loggedIn(p);
      const other = { ...login.user, id: 'github_user://1' };
      const error = await rejection(p.refreshGroups(other, login.refreshMaterial));
      expect(error.code).to.equal('CONFLICT');
      expect(error.reason).to.equal('refresh_material_unreadable');
    });

    it('cannot ask GitHub without refresh material, and says so rather than revoking', async () => {
      const login = await loggedIn(provider());
      const error = await rejection(provider().refreshGroups(login.user));
      expect(error.code).to.equal('CONFLICT');
      expect(error.reason).to.equal('no_refresh_material');
    });
  });
});
