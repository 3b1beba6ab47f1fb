/**
 * Configuration of the GitHub (OAuth app) provider, for github.com or a GitHub Enterprise
 * Server. Parsed once when the provider is built; `clientSecret` must never be logged.
 */
import { z } from 'zod';
import { PaddockError } from '../../errors/index.js';

/** `org-login` or `github_org://<id>`. */
const orgRef = z.string().regex(/^(?:[A-Za-z0-9][A-Za-z0-9-]*|github_org:\/\/\d+)$/, {
  message: 'must be an organization login or github_org://<id>',
});

/** `org-login/team-slug` or `github_team://<id>`. */
const teamRef = z
  .string()
  .regex(/^(?:[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+|github_team:\/\/\d+)$/, {
    message: 'must be org/team-slug or github_team://<id>',
  });

export const githubConfigSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /**
   * `github.com` (default) or a GitHub Enterprise Server host such as `github.example.com`,
   * optionally as an https URL with a port.
   */
  host: z.string().min(1).default('github.com'),
  /** REST API base; `https://api.github.com` or `https://<host>/api/v3` when absent. */
  apiBaseUrl: z.url().optional(),
  /** `read:org` lets `/user/orgs` and `/user/teams` list private memberships too. */
  scopes: z.array(z.string().min(1)).default(['read:user', 'user:email', 'read:org']),
  /** When this or `allowedTeams` is non-empty, only members of one of them may log in. */
  allowedOrgs: z.array(orgRef).default([]),
  allowedTeams: z.array(teamRef).default([]),
  /** PKCE (S256) on top of the client secret; turn off for old GitHub Enterprise servers. */
  usePkce: z.boolean().default(true),
  /** Bound on each call to GitHub, body included. */
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** How long a started login may take before its callback is refused. */
  loginTimeoutSeconds: z.number().int().positive().default(600),
  /** Bound on followed `Link: rel="next"` pages per listing (100 entries each). */
  maxPages: z.number().int().positive().default(20),
});

export type GitHubProviderConfig = z.infer<typeof githubConfigSchema>;
export type GitHubProviderConfigInput = z.input<typeof githubConfigSchema>;

export interface GitHubEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly apiBaseUrl: string;
}

/** Where the web flow and the REST API live for the configured host. */
export function githubEndpoints(config: GitHubProviderConfig): GitHubEndpoints {
  let web: URL;
  try {
    web = new URL(config.host.includes('://') ? config.host : `https://${config.host}`);
  } catch (error) {
    throw new PaddockError('CONFIG_INVALID', `github host ${config.host} is not a host name`, {
      reason: 'bad_github_host',
      cause: error,
    });
  }
  const origin = web.origin;
  const apiBaseUrl =
    config.apiBaseUrl ??
    (web.hostname === 'github.com' ? 'https://api.github.com' : `${origin}/api/v3`);
  return {
    authorizeUrl: `${origin}/login/oauth/authorize`,
    tokenUrl: `${origin}/login/oauth/access_token`,
    apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''),
  };
}

/** Parses and validates raw configuration, failing with `CONFIG_INVALID`. */
export function parseGitHubConfig(input: unknown): GitHubProviderConfig {
  const result = githubConfigSchema.safeParse(input);
  if (!result.success) {
    throw new PaddockError(
      'CONFIG_INVALID',
      `invalid github provider configuration: ${z.prettifyError(result.error)}`,
      {
        reason: 'bad_provider_config',
      },
    );
  }
  return result.data;
}
