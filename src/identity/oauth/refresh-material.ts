/**
 * The credential a redirect provider keeps for background group refreshes (a GitHub access
 * token, an OIDC refresh token), sealed by the SecretBox and bound to the user principal so a
 * sealed token copied onto another user does not open.
 */
import type { RedirectProviderName } from '../../domain/redirect-provider.js';
import type { SecretBox } from '../../domain/secret-box.js';
import { PaddockError } from '../../errors/index.js';

function associatedData(provider: RedirectProviderName, userPrincipalId: string): string {
  return `redirect-login:${provider}:${userPrincipalId}`;
}

export function sealRefreshMaterial(
  box: SecretBox,
  provider: RedirectProviderName,
  userPrincipalId: string,
  secret: string,
): string {
  return box.seal(secret, associatedData(provider, userPrincipalId));
}

/** Opens sealed material; `undefined` when it cannot (another user's, or a lost key). */
export function openRefreshMaterial(
  box: SecretBox,
  provider: RedirectProviderName,
  userPrincipalId: string,
  sealed: string,
): string | undefined {
  try {
    return box.open(sealed, associatedData(provider, userPrincipalId));
  } catch {
    return undefined;
  }
}

/**
 * The stored credential for a group refresh, or a `CONFLICT` error when there is none or it
 * cannot be opened: Paddock cannot ask the provider, which is not the provider saying no, so
 * this is no `revoked` verdict.
 */
export function requireRefreshMaterial(
  box: SecretBox,
  provider: RedirectProviderName,
  userPrincipalId: string,
  sealed: string | undefined,
): string {
  if (sealed === undefined) {
    throw new PaddockError('CONFLICT', `no stored ${provider} credential to refresh groups with`, {
      reason: 'no_refresh_material',
    });
  }
  const secret = openRefreshMaterial(box, provider, userPrincipalId, sealed);
  if (secret === undefined) {
    throw new PaddockError('CONFLICT', `the stored ${provider} credential cannot be opened`, {
      reason: 'refresh_material_unreadable',
    });
  }
  return secret;
}
