import type { Identity } from '../domain/identity.js';
import { impersonationHeaders, type OutgoingHeaders } from './header-policy.js';

/**
 * The impersonation lines of each caller, built once per authenticated identity instead of on
 * every proxied request (building them percent-encodes the extra keys and checks every
 * principal). The authenticator's cache hands back the same `Identity` object until the
 * credential or the user changes, so a WeakMap keyed on it forgets a caller with its identity;
 * a new impersonator token (credential rotation) rebuilds them. The lines are frozen because
 * every request of that caller shares them.
 */
export class ImpersonationMemo {
  readonly #byIdentity = new WeakMap<Identity, { token: string; headers: OutgoingHeaders }>();

  headersFor(identity: Identity, impersonatorToken: string): OutgoingHeaders {
    const hit = this.#byIdentity.get(identity);
    if (hit !== undefined && hit.token === impersonatorToken) return hit.headers;
    const headers = impersonationHeaders(identity, impersonatorToken);
    for (const value of Object.values(headers)) if (Array.isArray(value)) Object.freeze(value);
    Object.freeze(headers);
    this.#byIdentity.set(identity, { token: impersonatorToken, headers });
    return headers;
  }
}
