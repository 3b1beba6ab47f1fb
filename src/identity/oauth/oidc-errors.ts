/**
 * openid-client failures as `PaddockError`s: the IdP being down or slow is UPSTREAM_*, a
 * refused code or a token that fails validation is the caller's UNAUTHENTICATED, and a
 * refused client is Paddock's own misconfiguration.
 */
import { ResponseBodyError, WWWAuthenticateChallengeError } from 'openid-client';
import { PaddockError } from '../../errors/index.js';

export type OidcStage = 'discovery' | 'token' | 'userinfo' | 'refresh';

const STAGE_NAMES: Record<OidcStage, string> = {
  discovery: 'OIDC discovery',
  token: 'OIDC token endpoint',
  userinfo: 'OIDC userinfo endpoint',
  refresh: 'OIDC token endpoint (refresh)',
};

/** Codes of responses that broke the protocol: an IdP fault, not the user's. */
const UPSTREAM_FAULTS = new Set([
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_PARSE_ERROR',
  'OAUTH_INVALID_SERVER_METADATA',
  'OAUTH_MISSING_SERVER_METADATA',
  'OAUTH_HTTP_REQUEST_FORBIDDEN',
  'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
]);

const MISCONFIGURATION_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function oidcError(stage: OidcStage, error: unknown): PaddockError {
  if (error instanceof PaddockError) return error;
  const what = STAGE_NAMES[stage];
  const code = codeOf(error);
  if (code === 'OAUTH_TIMEOUT' || (error instanceof Error && error.name === 'TimeoutError')) {
    return new PaddockError('UPSTREAM_TIMEOUT', `${what} did not answer in time`, {
      reason: 'upstream_timeout',
      cause: error,
    });
  }
  if (stage === 'discovery') {
    return new PaddockError('UPSTREAM_UNAVAILABLE', `${what} failed: ${messageOf(error)}`, {
      reason: 'discovery_failed',
      cause: error,
    });
  }
  if (error instanceof ResponseBodyError) {
    if (error.status >= 500) {
      return new PaddockError('UPSTREAM_UNAVAILABLE', `${what} failed with HTTP ${error.status}`, {
        reason: 'upstream_error',
        details: { status: error.status },
        cause: error,
      });
    }
    if (MISCONFIGURATION_ERRORS.has(error.error)) {
      return new PaddockError(
        'INTERNAL',
        `the OIDC provider refused Paddock's client: ${error.error}`,
        {
          reason: 'provider_misconfigured',
          details: { error: error.error },
          cause: error,
        },
      );
    }
    return new PaddockError('UNAUTHENTICATED', `${what} refused the request: ${error.error}`, {
      reason: error.error === 'invalid_grant' ? 'bad_code' : 'provider_error',
      details: { error: error.error },
      cause: error,
    });
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    return new PaddockError('UNAUTHENTICATED', `${what} refused the access token`, {
      reason: 'token_revoked',
      cause: error,
    });
  }
  if (error instanceof TypeError || code === undefined || UPSTREAM_FAULTS.has(code)) {
    return new PaddockError('UPSTREAM_UNAVAILABLE', `${what} failed: ${messageOf(error)}`, {
      reason: code === undefined ? 'upstream_unreachable' : 'upstream_bad_response',
      cause: error,
    });
  }
  // Claim comparisons (nonce, iss, aud), timestamps, signatures: the response is not
  // acceptable as proof of who the user is.
  return new PaddockError(
    'UNAUTHENTICATED',
    `the OIDC response failed validation: ${messageOf(error)}`,
    {
      reason: 'bad_id_token',
      details: { check: code },
      cause: error,
    },
  );
}
