/**
 * Configuration of the generic OpenID Connect provider. Parsed once when the provider is
 * built; `clientSecret` must never be logged.
 */
import { z } from 'zod';
import { PaddockError } from '../../errors/index.js';

const claimName = z.string().min(1);

export const oidcConfigSchema = z.object({
  /** Issuer identifier; metadata comes from `<issuer>/.well-known/openid-configuration`. */
  issuerUrl: z.url(),
  clientId: z.string().min(1),
  /** Absent for a public client, which then relies on PKCE alone. */
  clientSecret: z.string().min(1).optional(),
  /** How the client authenticates at the token endpoint when it has a secret. */
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post'])
    .default('client_secret_basic'),
  /** `offline_access` asks for the refresh token that group refreshes need. */
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token'))
    .default(['openid', 'profile', 'email', 'groups', 'offline_access'])
    .refine((s) => s.includes('openid'), { message: 'must include openid' }),
  /**
   * Claims read from the ID token and userinfo. A name is tried as is first, then as a
   * dotted path (`realm_access.roles`), since claim names may themselves contain dots.
   */
  claims: z
    .object({
      username: claimName.default('preferred_username'),
      email: claimName.default('email'),
      groups: claimName.default('groups'),
      displayName: claimName.default('name'),
    })
    .prefault({}),
  /** Also read claims from the userinfo endpoint (many IdPs put groups only there). */
  useUserInfo: z.boolean().default(true),
  /** Sent as `prompt`, e.g. `consent` for IdPs that issue refresh tokens only then. */
  prompt: z.string().min(1).optional(),
  /** Other authorization request parameters, e.g. `{ access_type: 'offline' }`. */
  extraAuthorizationParams: z.record(z.string(), z.string()).default({}),
  /** Bound on each call to the IdP (discovery, token, userinfo, JWKS). */
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** How long a started login may take before its callback is refused. */
  loginTimeoutSeconds: z.number().int().positive().default(600),
  /** Tolerated clock difference when checking ID token times. */
  clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  /** Lets the issuer and its endpoints be plain http: only for loopback test issuers. */
  dangerouslyAllowInsecureHttp: z.boolean().default(false),
});

export type OidcProviderConfig = z.infer<typeof oidcConfigSchema>;
export type OidcProviderConfigInput = z.input<typeof oidcConfigSchema>;

/** Parses and validates raw configuration, failing with `CONFIG_INVALID`. */
export function parseOidcConfig(input: unknown): OidcProviderConfig {
  const result = oidcConfigSchema.safeParse(input);
  if (!result.success) {
    throw new PaddockError(
      'CONFIG_INVALID',
      `invalid oidc provider configuration: ${z.prettifyError(result.error)}`,
      { reason: 'bad_provider_config' },
    );
  }
  const config = result.data;
  if (new URL(config.issuerUrl).protocol !== 'https:' && !config.dangerouslyAllowInsecureHttp) {
    throw new PaddockError('CONFIG_INVALID', 'the oidc issuerUrl must be https', {
      reason: 'bad_provider_config',
    });
  }
  return config;
}
