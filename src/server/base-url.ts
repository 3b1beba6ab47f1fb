import type { IncomingMessage } from 'node:http';

/**
 * Paddock's public base URL: the configured one, else the scheme and Host of the request.
 * Only used to build links handed back to the same caller (kubeconfig servers, OAuth callbacks).
 */
export function baseUrlOf(req: IncomingMessage, configured?: string): string {
  if (configured !== undefined) return configured.replace(/\/+$/, '');
  const secure = 'encrypted' in req.socket && req.socket.encrypted === true;
  return `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}
