import type { Unsubscribe } from './store.js';

/**
 * A credential stopped working: an API key or session was revoked, or a user was disabled or
 * deleted. Long-lived connections (watches, exec tunnels) listen to end the caller's streams.
 */
export type CredentialRevokedEvent =
  | { readonly kind: 'token'; readonly tokenId: string }
  | { readonly kind: 'user'; readonly userId: string };

export interface CredentialEvents {
  onRevoked(listener: (event: CredentialRevokedEvent) => void): Unsubscribe;
}
