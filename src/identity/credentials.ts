/**
 * Finds the one credential in a request: `Authorization: Bearer <jwt|pdk_…>`, `Authorization:
 * Basic keyId:secret`, or the `paddock_session` cookie. Anything ambiguous is refused rather
 * than guessed at.
 */
import { type AuthRequest, SESSION_COOKIE_NAME } from '../domain/identity.js';
import type { PaddockError } from '../errors/index.js';
import { type ApiKeyCredential, isApiKeyCredential, parseApiKeyToken } from './api-keys.js';
import { unauthenticated } from './auth-errors.js';
import { MAX_TOKEN_BYTES } from './session-tokens.js';

export type Credential =
  | { readonly kind: 'session'; readonly token: string; readonly source: 'bearer' | 'cookie' }
  | ({ readonly kind: 'api-key'; readonly source: 'bearer' | 'basic' } & ApiKeyCredential);

const MAX_HEADER_BYTES = MAX_TOKEN_BYTES + 64;

function header(request: AuthRequest, name: string): string | undefined {
  let found: string | readonly string[] | undefined = request.headers[name];
  if (found === undefined) {
    for (const [key, value] of Object.entries(request.headers)) {
      if (key.toLowerCase() === name) found = value;
    }
  }
  if (found === undefined || typeof found === 'string') return found;
  if (found.length > 1)
    throw unauthenticated('ambiguous_credentials', `more than one ${name} header`);
  return found[0];
}

function tooLarge(): PaddockError {
  return unauthenticated('token_too_large', 'credential too large');
}

export function extractCredential(request: AuthRequest): Credential {
  const authorization = header(request, 'authorization');
  if (authorization !== undefined) return fromAuthorization(authorization);
  const cookie = header(request, 'cookie');
  const token = cookie === undefined ? undefined : sessionCookie(cookie);
  if (token !== undefined) return { kind: 'session', token, source: 'cookie' };
  throw unauthenticated('missing_credentials', 'authentication required');
}

function fromAuthorization(value: string): Credential {
  if (value.length > MAX_HEADER_BYTES) throw tooLarge();
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(value);
  if (!match) throw unauthenticated('malformed_authorization', 'malformed Authorization header');
  const scheme = match[1]!.toLowerCase();
  const payload = match[2]!;
  if (scheme === 'bearer') {
    if (!payload.startsWith('pdk_')) return { kind: 'session', token: payload, source: 'bearer' };
    const key = parseApiKeyToken(payload);
    if (!key) throw unauthenticated('invalid_api_key', 'invalid API key');
    return { kind: 'api-key', source: 'bearer', ...key };
  }
  if (scheme === 'basic') return fromBasic(payload);
  throw unauthenticated('unsupported_scheme', `unsupported authorization scheme ${match[1]}`);
}

function fromBasic(payload: string): Credential {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(payload)) {
    throw unauthenticated('malformed_authorization', 'malformed Basic credentials');
  }
  const decoded = Buffer.from(payload, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unauthenticated('malformed_authorization', 'malformed Basic credentials');
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Tools that insist on a username may send the whole key as the password.
  const whole = parseApiKeyToken(password);
  if (whole) return { kind: 'api-key', source: 'basic', ...whole };
  if (!isApiKeyCredential(user, password))
    throw unauthenticated('invalid_api_key', 'invalid API key');
  return { kind: 'api-key', source: 'basic', keyId: user, secret: password };
}

function sessionCookie(cookieHeader: string): string | undefined {
  let found: string | undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE_NAME) continue;
    // Two cookies of one name (e.g. one planted by a sibling subdomain): trust neither.
    if (found !== undefined)
      throw unauthenticated('ambiguous_credentials', 'more than one session cookie');
    found = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (found.length > MAX_TOKEN_BYTES) throw tooLarge();
  }
  return found;
}
