/**
 * The provider-independent half of a redirect login: making the `state` (plus PKCE verifier and
 * nonce) at start, and checking the callback against what was kept server-side.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  PendingRedirectLogin,
  RedirectFinishInput,
  RedirectProviderName,
} from '../../domain/redirect-provider.js';
import { PaddockError } from '../../errors/index.js';
import type { RandomBytes } from '../runtime.js';

export interface NewPendingLoginOptions {
  readonly provider: RedirectProviderName;
  readonly redirectUri: string;
  readonly nowMs: number;
  readonly ttlSeconds: number;
  readonly randomBytes: RandomBytes;
  readonly pkce: boolean;
  readonly nonce: boolean;
}

/** 32 random bytes as base64url: 43 characters, also a valid PKCE verifier length. */
export function randomToken(randomBytes: RandomBytes): string {
  return randomBytes(32).toString('base64url');
}

/** RFC 7636 S256 code challenge of a verifier. */
export function pkceS256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/** Checks that a redirect URI is an absolute http(s) URL without a fragment. */
export function assertRedirectUri(redirectUri: string): URL {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new PaddockError('BAD_REQUEST', 'redirectUri must be an absolute URL', {
      reason: 'bad_redirect_uri',
    });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hash !== '') {
    throw new PaddockError('BAD_REQUEST', 'redirectUri must be an http(s) URL without fragment', {
      reason: 'bad_redirect_uri',
    });
  }
  return url;
}

export function newPendingLogin(options: NewPendingLoginOptions): PendingRedirectLogin {
  assertRedirectUri(options.redirectUri);
  return {
    provider: options.provider,
    state: randomToken(options.randomBytes),
    redirectUri: options.redirectUri,
    createdAt: options.nowMs,
    expiresAt: options.nowMs + options.ttlSeconds * 1000,
    ...(options.pkce ? { codeVerifier: randomToken(options.randomBytes) } : {}),
    ...(options.nonce ? { nonce: randomToken(options.randomBytes) } : {}),
  };
}

/** A checked callback: its parameters and the pending login it belongs to. */
export interface CheckedCallback {
  readonly params: URLSearchParams;
  readonly pending: PendingRedirectLogin;
  readonly code: string;
}

export function toSearchParams(params: RedirectFinishInput['callbackParams']): URLSearchParams {
  if (params instanceof URLSearchParams) return new URLSearchParams(params);
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function badState(message: string): PaddockError {
  return new PaddockError('UNAUTHENTICATED', message, { reason: 'bad_state' });
}

/**
 * Refuses a callback without a live pending login of this provider whose `state` it repeats,
 * then turns an `error` parameter into a typed error. The state is checked first so that a
 * forged callback cannot pass for a refused consent.
 */
export function checkCallback(
  provider: RedirectProviderName,
  input: RedirectFinishInput,
  nowMs: number,
): CheckedCallback {
  const params = toSearchParams(input.callbackParams);
  const { pending } = input;
  const state = params.get('state');
  if (state === null || state === '') {
    throw badState('the callback carries no state; start the login again');
  }
  if (pending === undefined) {
    throw badState('the login was not started here, was already used or has expired');
  }
  if (pending.provider !== provider || !sameString(state, pending.state)) {
    throw badState('the callback state does not match the login that was started');
  }
  if (nowMs >= pending.expiresAt) {
    throw badState('the login took too long and has expired; start again');
  }
  const error = params.get('error');
  if (error !== null) {
    if (error === 'access_denied') {
      throw new PaddockError('UNAUTHENTICATED', `the sign-in was refused at ${provider}`, {
        reason: 'consent_denied',
      });
    }
    throw new PaddockError('UNAUTHENTICATED', `${provider} reported an error: ${error}`, {
      reason: 'provider_error',
      details: { error, errorDescription: params.get('error_description') ?? undefined },
    });
  }
  const code = params.get('code');
  if (code === null || code === '') {
    throw new PaddockError('UNAUTHENTICATED', 'the callback carries no authorization code', {
      reason: 'bad_code',
    });
  }
  return { params, pending, code };
}
