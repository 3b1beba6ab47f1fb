/**
 * Reads a principal id (`openldap_group://cn=devs,...`) back into its provider and kind, for
 * principals known only by id (group ids in a token, ids in role bindings).
 */
import type { Principal, PrincipalKind, ProviderName } from '../domain/principal.js';

const providers: readonly ProviderName[] = [
  'local',
  'openldap',
  'activedirectory',
  'github',
  'oidc',
];

function isProvider(value: string): value is ProviderName {
  return (providers as readonly string[]).includes(value);
}

/** `undefined` when the id has no known `<provider>[_<kind>]://` scheme. */
export function parsePrincipalId(
  id: string,
): Pick<Principal, 'id' | 'provider' | 'kind' | 'name'> | undefined {
  const sep = id.indexOf('://');
  if (sep <= 0) return undefined;
  const scheme = id.slice(0, sep);
  const rest = id.slice(sep + 3);
  if (scheme === 'local') return { id, provider: 'local', kind: 'user', name: rest };
  const underscore = scheme.indexOf('_');
  if (underscore <= 0) return undefined;
  const provider = scheme.slice(0, underscore);
  const suffix = scheme.slice(underscore + 1);
  if (!isProvider(provider)) return undefined;
  const kind: PrincipalKind = suffix === 'user' ? 'user' : 'group';
  return { id, provider, kind, name: displayNameOf(rest) };
}

/** The readable part of a principal: the first RDN's value of a DN, else the whole rest. */
function displayNameOf(rest: string): string {
  const match = /^[A-Za-z]+=((?:\\.|[^,\\])+)/.exec(rest);
  return match ? match[1]!.replace(/\\(.)/g, '$1') : rest;
}
