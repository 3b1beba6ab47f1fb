/**
 * Session JWTs: signing, and verification that turns every way a token can be wrong into
 * `PaddockError('UNAUTHENTICATED')` with a reason code, never a crash.
 */
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { ProviderName } from '../domain/principal.js';
import { isPaddockError, PaddockError } from '../errors/index.js';
import { unauthenticated } from './auth-errors.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import { SESSION_ALGORITHM, type SigningKeyRing } from './signing-key-ring.js';

export const SESSION_TOKEN_TYPE = 'paddock-session+jwt';
/** Larger tokens are refused before any parsing. */
export const MAX_TOKEN_BYTES = 8192;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

const PROVIDERS: readonly ProviderName[] = [
  'local',
  'openldap',
  'activedirectory',
  'github',
  'oidc',
];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface SessionTokenOptions {
  /** `iss`, e.g. the external URL of Paddock. */
  readonly issuer: string;
  /** `aud`; differs from the issuer so a token for another audience is never taken. */
  readonly audience: string;
  readonly ttlSeconds: number;
  /** Allowed skew between replicas' clocks; at most 300 s. Default 30 s. */
  readonly clockToleranceSeconds?: number;
  readonly runtime?: IdentityRuntime;
}

export interface SessionClaims {
  readonly sessionId: string;
  readonly userId: string;
  readonly provider: ProviderName;
  /** Epoch milliseconds. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /**
   * Issued by a release that records every session (`srec`): its session record must exist.
   * A token without it comes from an older release and is adopted (session-service.ts).
   */
  readonly recorded: boolean;
}

export class SessionTokenCodec {
  readonly ttlSeconds: number;
  readonly clockToleranceSeconds: number;
  private readonly keys: SigningKeyRing;
  private readonly issuer: string;
  private readonly audience: string;
  private readonly runtime: IdentityRuntime;

  constructor(keys: SigningKeyRing, options: SessionTokenOptions) {
    const tolerance = options.clockToleranceSeconds ?? 30;
    if (tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
      throw new PaddockError(
        'CONFIG_INVALID',
        `clock tolerance must be 0-${MAX_CLOCK_TOLERANCE_SECONDS} s`,
      );
    }
    if (!(options.ttlSeconds > 0))
      throw new PaddockError('CONFIG_INVALID', 'session TTL must be positive');
    this.keys = keys;
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.ttlSeconds = options.ttlSeconds;
    this.clockToleranceSeconds = tolerance;
    this.runtime = options.runtime ?? systemRuntime;
  }

  async issue(input: {
    userId: string;
    provider: ProviderName;
    ttlSeconds?: number;
  }): Promise<{ token: string; claims: SessionClaims }> {
    const { kid, privateKey } = await this.keys.signingKey();
    const issuedAtMs = this.runtime.now();
    const nowSeconds = Math.floor(issuedAtMs / 1000);
    const ttl = Math.min(input.ttlSeconds ?? this.ttlSeconds, this.ttlSeconds);
    const sessionId = this.runtime.randomBytes(16).toString('base64url');
    // `iat` has whole seconds; `iatms` lets "sign out everywhere" cut to the millisecond, so a
    // session issued just before a password change in the same second does not survive it.
    const token = await new SignJWT({ pvd: input.provider, iatms: issuedAtMs, srec: 1 })
      .setProtectedHeader({ alg: SESSION_ALGORITHM, kid, typ: SESSION_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(input.userId)
      .setJti(sessionId)
      .setIssuedAt(nowSeconds)
      .setNotBefore(nowSeconds)
      .setExpirationTime(nowSeconds + ttl)
      .sign(privateKey);
    return {
      token,
      claims: {
        sessionId,
        userId: input.userId,
        provider: input.provider,
        issuedAt: issuedAtMs,
        expiresAt: (nowSeconds + ttl) * 1000,
        recorded: true,
      },
    };
  }

  /** Checks signature and claims only; revocation and idle time are the session service's. */
  async verify(token: string): Promise<SessionClaims> {
    if (token.length > MAX_TOKEN_BYTES) throw unauthenticated('token_too_large', 'token too large');
    if (!COMPACT_JWS.test(token)) throw unauthenticated('malformed_token', 'malformed token');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (err) {
      throw unauthenticated('malformed_token', 'malformed token', err);
    }
    // Decided from our allow-list before any key is touched: `none`, HS256 signed with our
    // public key, RS256 ... are all refused here and again by jwtVerify's `algorithms`.
    if (header.alg !== SESSION_ALGORITHM)
      throw unauthenticated('alg_not_allowed', 'token algorithm not allowed');
    if (header.typ !== SESSION_TOKEN_TYPE)
      throw unauthenticated('wrong_token_type', 'not a session token');
    if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 64) {
      throw unauthenticated('unknown_kid', 'token signed by an unknown key');
    }
    if (
      header.crit !== undefined ||
      header.jku !== undefined ||
      header.jwk !== undefined ||
      header.x5u !== undefined
    ) {
      throw unauthenticated('malformed_token', 'unsupported token header');
    }
    const kid = header.kid;
    try {
      const { payload } = await jwtVerify(
        token,
        async () => {
          const key = await this.keys.verificationKey(kid);
          if (!key) throw unauthenticated('unknown_kid', 'token signed by an unknown key');
          return key;
        },
        {
          algorithms: [SESSION_ALGORITHM],
          issuer: this.issuer,
          audience: this.audience,
          typ: SESSION_TOKEN_TYPE,
          clockTolerance: this.clockToleranceSeconds,
          currentDate: new Date(this.runtime.now()),
          requiredClaims: ['iss', 'aud', 'sub', 'jti', 'iat', 'nbf', 'exp'],
        },
      );
      const provider = payload.pvd;
      if (
        typeof payload.sub !== 'string' ||
        !/^u-[a-z0-9]{1,40}$/.test(payload.sub) ||
        typeof payload.jti !== 'string' ||
        !/^[A-Za-z0-9_-]{16,64}$/.test(payload.jti) ||
        typeof provider !== 'string' ||
        !PROVIDERS.includes(provider as ProviderName)
      ) {
        throw unauthenticated('malformed_token', 'token claims are malformed');
      }
      return {
        sessionId: payload.jti,
        userId: payload.sub,
        provider: provider as ProviderName,
        issuedAt: issuedAtOf(payload.iat!, payload.iatms),
        expiresAt: payload.exp! * 1000,
        recorded: payload.srec === 1,
      };
    } catch (err) {
      throw toUnauthenticated(err);
    }
  }
}

/** Milliseconds from `iatms` when it agrees with `iat` (same second), else from `iat`. */
function issuedAtOf(iat: number, iatms: unknown): number {
  const fromSeconds = iat * 1000;
  return typeof iatms === 'number' && Math.floor(iatms / 1000) * 1000 === fromSeconds
    ? iatms
    : fromSeconds;
}

/** Maps jose's errors to our reason codes; anything unexpected still means "not authenticated". */
function toUnauthenticated(err: unknown): PaddockError {
  if (isPaddockError(err)) return err;
  if (err instanceof errors.JWTExpired)
    return unauthenticated('token_expired', 'token expired', err);
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'nbf':
      case 'iat':
        return unauthenticated('token_not_yet_valid', 'token not yet valid', err);
      case 'aud':
        return unauthenticated('wrong_audience', 'token is for another audience', err);
      case 'iss':
        return unauthenticated('wrong_issuer', 'token from another issuer', err);
      case 'typ':
        return unauthenticated('wrong_token_type', 'not a session token', err);
      default:
        return unauthenticated('invalid_claims', `token claim ${err.claim} is invalid`, err);
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return unauthenticated('alg_not_allowed', 'token algorithm not allowed', err);
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return unauthenticated('bad_signature', 'token signature is invalid', err);
  if (err instanceof errors.JOSEError)
    return unauthenticated('malformed_token', 'malformed token', err);
  return unauthenticated('malformed_token', 'token could not be verified', err);
}
