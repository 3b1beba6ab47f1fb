/**
 * Cross-site WebSocket hijacking guard: browsers attach cookies to a WebSocket handshake from
 * any site and CORS does not apply, so a handshake that carries an Origin must come from
 * Paddock's own origin or an explicitly allowed one. Non-browser clients send no Origin.
 */
import type { IncomingMessage } from 'node:http';

export function isAllowedOrigin(
  req: IncomingMessage,
  secure: boolean,
  allowedOrigins: readonly string[],
): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const own = `${secure ? 'https' : 'http'}://${req.headers.host ?? ''}`.toLowerCase();
  const normalized = origin.toLowerCase();
  return normalized === own || allowedOrigins.some((o) => o.toLowerCase() === normalized);
}
