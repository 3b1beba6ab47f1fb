import type { IncomingMessage } from 'node:http';
import { PaddockError } from '../errors/index.js';

/**
 * The value of one cookie from the request, or undefined. A value that is not valid
 * percent-encoding (`%E0%A4%A`) is the client's mistake: BAD_REQUEST naming the cookie.
 */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeCookie(name, part.slice(eq + 1).trim());
  }
  return undefined;
}

function decodeCookie(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new PaddockError('BAD_REQUEST', `cookie ${name} is not valid percent-encoding`, {
      reason: 'malformed_cookie',
    });
  }
}

export interface CookieOptions {
  readonly maxAgeSeconds: number;
  readonly path?: string;
}

/** A `Set-Cookie` value that scripts cannot read and other sites do not send on POSTs. */
export function secureCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'Secure',
    'SameSite=Lax',
  ].join('; ');
}
