/** The session cookie as a browser gets it, and the raw session token of a request. */
import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE_NAME } from '../../domain/identity.js';
import type { ResponseCookie } from '../../resolvers/context.js';

/** `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure over TLS. */
export function serializeCookie(cookie: ResponseCookie, secure: boolean): string {
  return [
    `${cookie.name}=${cookie.value}`,
    'Path=/',
    `Max-Age=${cookie.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The token a session-authenticated request carried (bearer or cookie), for logout. Only
 * called after the Authenticator accepted the request as a session, so no validation here.
 */
export function sessionTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^bearer +(\S+) *$/i.exec(authorization);
    return match?.[1];
  }
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE_NAME) {
      return part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}
