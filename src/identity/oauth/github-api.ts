/**
 * The few GitHub endpoints a login needs: the OAuth code exchange and the REST calls that
 * say who the user is and which organizations and teams they belong to.
 */
import { z } from 'zod';
import { PaddockError } from '../../errors/index.js';
import {
  callUpstream,
  type FetchLike,
  isRateLimited,
  parseJsonBody,
  type UpstreamResponse,
  upstreamUnavailable,
} from './upstream-http.js';

const userSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
const orgSchema = z.object({ id: z.number().int(), login: z.string() });
const teamSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  organization: orgSchema,
});
const emailSchema = z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() });
const tokenSchema = z.union([
  z.object({ access_token: z.string().min(1), scope: z.string().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

export type GitHubUser = z.infer<typeof userSchema>;
export type GitHubOrg = z.infer<typeof orgSchema>;
export type GitHubTeam = z.infer<typeof teamSchema>;

export interface GitHubApiOptions {
  readonly tokenUrl: string;
  readonly apiBaseUrl: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly maxPages: number;
  readonly now: () => number;
}

export interface CodeExchange {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier?: string;
}

/** Token-endpoint errors that mean Paddock, not the user, is misconfigured. */
const MISCONFIGURATION_ERRORS = new Set([
  'incorrect_client_credentials',
  'redirect_uri_mismatch',
  'unverified_user_email',
]);

const API_HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'paddock',
};

export class GitHubApi {
  private readonly apiOrigin: string;

  constructor(private readonly options: GitHubApiOptions) {
    this.apiOrigin = new URL(options.apiBaseUrl).origin;
  }

  /** Trades the callback's code for an access token (GitHub answers errors with HTTP 200). */
  async exchangeCode(exchange: CodeExchange): Promise<{ accessToken: string; scope: string }> {
    const what = 'GitHub token endpoint';
    const body = new URLSearchParams({
      client_id: exchange.clientId,
      client_secret: exchange.clientSecret,
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
    });
    if (exchange.codeVerifier !== undefined) body.set('code_verifier', exchange.codeVerifier);
    const response = await callUpstream(this.options.fetch, {
      url: this.options.tokenUrl,
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'paddock',
      },
      body,
      timeoutMs: this.options.timeoutMs,
      what,
    });
    if (response.status !== 200) throw this.failure(what, response);
    const parsed = tokenSchema.safeParse(parseJsonBody(response, what));
    if (!parsed.success) throw badResponse(what, response.status);
    const result = parsed.data;
    if ('error' in result) {
      if (MISCONFIGURATION_ERRORS.has(result.error)) {
        throw new PaddockError('INTERNAL', `GitHub refused Paddock's OAuth app: ${result.error}`, {
          reason: 'provider_misconfigured',
          details: { error: result.error },
        });
      }
      throw new PaddockError('UNAUTHENTICATED', 'GitHub refused the authorization code', {
        reason: 'bad_code',
        details: { error: result.error },
      });
    }
    return { accessToken: result.access_token, scope: result.scope ?? '' };
  }

  async getUser(accessToken: string): Promise<GitHubUser> {
    const body = await this.get(accessToken, `${this.options.apiBaseUrl}/user`, 'GitHub /user');
    return parseShape(userSchema, body, 'GitHub /user');
  }

  /** The primary verified address, for users whose profile email is private. */
  async getPrimaryEmail(accessToken: string): Promise<string | undefined> {
    const what = 'GitHub /user/emails';
    let emails: z.infer<typeof emailSchema>[];
    try {
      emails = await this.getAllPages(accessToken, '/user/emails', emailSchema, what);
    } catch (error) {
      // Without the user:email scope GitHub answers 404; the address is optional.
      if (error instanceof PaddockError && error.reason === 'upstream_refused') return undefined;
      throw error;
    }
    return emails.find((e) => e.primary && e.verified)?.email;
  }

  listOrgs(accessToken: string): Promise<GitHubOrg[]> {
    return this.getAllPages(accessToken, '/user/orgs', orgSchema, 'GitHub /user/orgs');
  }

  listTeams(accessToken: string): Promise<GitHubTeam[]> {
    return this.getAllPages(accessToken, '/user/teams', teamSchema, 'GitHub /user/teams');
  }

  /** Follows `Link: rel="next"` up to `maxPages`, never off the API's own origin. */
  private async getAllPages<T>(
    accessToken: string,
    path: string,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = `${this.options.apiBaseUrl}${path}?per_page=100`;
    for (let page = 0; url !== undefined; page += 1) {
      if (page >= this.options.maxPages) {
        throw new PaddockError(
          'UPSTREAM_UNAVAILABLE',
          `${what} has more than ${this.options.maxPages} pages`,
          {
            reason: 'upstream_too_many_pages',
          },
        );
      }
      const { body, next } = await this.getPage(accessToken, url, what);
      items.push(...parseShape(z.array(schema), body, what));
      url = next;
    }
    return items;
  }

  private async get(accessToken: string, url: string, what: string): Promise<unknown> {
    return (await this.getPage(accessToken, url, what)).body;
  }

  private async getPage(
    accessToken: string,
    url: string,
    what: string,
  ): Promise<{ body: unknown; next: string | undefined }> {
    const response = await callUpstream(this.options.fetch, {
      url,
      headers: { ...API_HEADERS, authorization: `Bearer ${accessToken}` },
      timeoutMs: this.options.timeoutMs,
      what,
    });
    if (response.status !== 200) throw this.failure(what, response);
    const next = nextLink(response.headers.get('link'));
    if (next !== undefined && new URL(next).origin !== this.apiOrigin) {
      throw new PaddockError(
        'UPSTREAM_UNAVAILABLE',
        `${what} pointed pagination off the API host`,
        {
          reason: 'upstream_bad_response',
        },
      );
    }
    return { body: parseJsonBody(response, what), next };
  }

  private failure(what: string, response: UpstreamResponse): PaddockError {
    if (isRateLimited(response) || response.status >= 500) {
      return upstreamUnavailable(what, response, this.options.now());
    }
    if (response.status === 401) {
      return new PaddockError('UNAUTHENTICATED', `${what} refused the access token`, {
        reason: 'token_revoked',
      });
    }
    return new PaddockError(
      'UPSTREAM_UNAVAILABLE',
      `${what} refused with HTTP ${response.status}`,
      {
        reason: 'upstream_refused',
        details: { status: response.status },
      },
    );
  }
}

/** The `rel="next"` target of an RFC 8288 Link header, as GitHub writes it. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match?.[1] !== undefined && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(match[2] ?? '')) {
      return match[1];
    }
  }
  return undefined;
}

function parseShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) throw badResponse(what, 200);
  return result.data;
}

function badResponse(what: string, status: number): PaddockError {
  return new PaddockError('UPSTREAM_UNAVAILABLE', `${what} answered in an unexpected shape`, {
    reason: 'upstream_bad_response',
    details: { status },
  });
}
