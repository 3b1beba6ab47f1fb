/**
 * nock emulation of the GitHub endpoints a login touches: the OAuth token endpoint on the web
 * host and `/user`, `/user/emails`, `/user/orgs`, `/user/teams` on the REST API base.
 */
import nock from 'nock';

export interface EmulatedOrg {
  readonly id: number;
  readonly login: string;
}

export interface EmulatedTeam {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly organization: EmulatedOrg;
}

export interface EmulatedAccount {
  readonly id: number;
  readonly login: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly orgs: readonly EmulatedOrg[];
  readonly teams: readonly EmulatedTeam[];
}

export const ACME: EmulatedOrg = { id: 1001, login: 'acme' };
export const INITECH: EmulatedOrg = { id: 1002, login: 'initech' };
export const ACME_DEVS: EmulatedTeam = { id: 2001, slug: 'devs', name: 'Devs', organization: ACME };
export const ACME_OPS: EmulatedTeam = { id: 2002, slug: 'ops', name: 'Ops', organization: ACME };

export const OCTOCAT: EmulatedAccount = {
  id: 583231,
  login: 'octocat',
  name: 'The Octocat',
  email: 'octocat@example.com',
  orgs: [ACME],
  teams: [ACME_DEVS],
};

/** Where the emulated GitHub lives: web host (OAuth) and REST API base. */
export interface GitHubHosts {
  readonly web: string;
  readonly apiOrigin: string;
  /** Path prefix of the API on `apiOrigin` (`/api/v3` for GitHub Enterprise). */
  readonly apiPath: string;
}

export const GITHUB_COM: GitHubHosts = {
  web: 'https://github.com',
  apiOrigin: 'https://api.github.com',
  apiPath: '',
};

export interface TokenExchangeExpectation {
  readonly code: string;
  readonly accessToken: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/** The token endpoint: one code for one token; any other code is `bad_verification_code`. */
export function nockTokenEndpoint(hosts: GitHubHosts, expected: TokenExchangeExpectation) {
  const seen: Record<string, string>[] = [];
  const scope = nock(hosts.web)
    .matchHeader('accept', 'application/json')
    .post('/login/oauth/access_token')
    .reply((_uri, body) => {
      const form = Object.fromEntries(new URLSearchParams(String(body)));
      seen.push(form);
      if (
        form.client_id !== (expected.clientId ?? 'paddock-client') ||
        form.client_secret !== (expected.clientSecret ?? 'paddock-secret')
      ) {
        return [200, { error: 'incorrect_client_credentials' }];
      }
      if (form.code !== expected.code) {
        return [
          200,
          {
            error: 'bad_verification_code',
            error_description: 'The code passed is incorrect or expired.',
          },
        ];
      }
      return [200, { access_token: expected.accessToken, token_type: 'bearer', scope: 'read:org' }];
    });
  return { scope, seen };
}

/** `/user`, `/user/orgs`, `/user/teams` for one token, each answered once. */
export function nockProfile(hosts: GitHubHosts, token: string, account: EmulatedAccount) {
  const api = nock(hosts.apiOrigin).matchHeader('authorization', `Bearer ${token}`);
  const { orgs, teams, ...user } = account;
  api.get(`${hosts.apiPath}/user`).reply(200, user);
  if (user.email === null) {
    api
      .get(`${hosts.apiPath}/user/emails`)
      .query(true)
      .reply(200, [
        { email: 'old@example.com', primary: false, verified: true },
        { email: `${user.login}@users.example.com`, primary: true, verified: true },
      ]);
  }
  api.get(`${hosts.apiPath}/user/orgs`).query({ per_page: '100' }).reply(200, orgs);
  api.get(`${hosts.apiPath}/user/teams`).query({ per_page: '100' }).reply(200, teams);
  return api;
}
