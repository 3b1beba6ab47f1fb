/**
 * Builds the redirect provider of a stored auth config by name, so the composition root and
 * the config reloader need not know the concrete classes.
 */
import type { RedirectProvider, RedirectProviderName } from '../../domain/redirect-provider.js';
import type { SecretBox } from '../../domain/secret-box.js';
import { UnreachableCaseError } from '../../errors/index.js';
import type { IdentityRuntime } from '../runtime.js';
import type { GitHubProviderConfigInput } from './github-config.js';
import { GitHubProvider } from './github-provider.js';
import type { OidcProviderConfigInput } from './oidc-config.js';
import { OidcProvider } from './oidc-provider.js';
import type { FetchLike } from './upstream-http.js';

export interface RedirectProviderDeps {
  readonly secretBox: SecretBox;
  readonly fetch?: FetchLike;
  readonly runtime?: IdentityRuntime;
}

/** Validates `config` for provider `name` (`CONFIG_INVALID` otherwise) and builds it. */
export function createRedirectProvider(
  name: RedirectProviderName,
  config: unknown,
  deps: RedirectProviderDeps,
): RedirectProvider {
  switch (name) {
    case 'github':
      return new GitHubProvider({ ...deps, config: config as GitHubProviderConfigInput });
    case 'oidc':
      return new OidcProvider({ ...deps, config: config as OidcProviderConfigInput });
    default:
      throw new UnreachableCaseError(name);
  }
}
