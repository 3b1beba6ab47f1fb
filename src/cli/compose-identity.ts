import type { PaddockConfig } from '../config/index.js';
import type { Logger, Store } from '../domain/index.js';
import type { SettingsReader } from '../domain/settings.js';
import {
  type AuthConfigInput,
  createIdentityServices,
  type IdentityServices,
  type ProviderFactory,
} from '../identity/index.js';
import { ActiveDirectoryProvider, OpenLdapProvider } from '../identity/ldap/index.js';
import { createRedirectProvider } from '../identity/oauth/index.js';
import { parseAuthSection } from './auth-config-section.js';
import type { ServerKeys } from './server-keys.js';

/**
 * Identity with every provider kind available: the local accounts always, and OpenLDAP, Active
 * Directory, GitHub and OIDC whenever an auth config for them is in the store (seeded from the
 * YAML file's `auth:` section, or set at run time).
 */
export async function composeIdentity(
  config: PaddockConfig,
  store: Store,
  keys: ServerKeys,
  logger: Logger,
  hasAnyMembership: (principalIds: readonly string[]) => Promise<boolean>,
  settings?: SettingsReader,
): Promise<IdentityServices> {
  const seeds: AuthConfigInput[] = parseAuthSection(config.sections.auth);
  const factories: Record<string, ProviderFactory> = {
    openldap: (settings) => OpenLdapProvider.fromConfig(settings),
    activedirectory: (settings) => ActiveDirectoryProvider.fromConfig(settings),
    github: (settings) => createRedirectProvider('github', settings, { secretBox: keys.secretBox }),
    oidc: (settings) => createRedirectProvider('oidc', settings, { secretBox: keys.secretBox }),
  };
  const identity = createIdentityServices({
    store,
    secretBox: keys.secretBox,
    apiKeyPepper: keys.apiKeyPepper,
    issuer: config.serverUrl ?? 'paddock',
    hasAnyMembership,
    ...(settings === undefined ? {} : { settings }),
    providerFactories: factories,
    audit: (event) => logger.info({ audit: 'login', ...event }, 'login attempt'),
    onBackgroundError: (err) => logger.warn({ err }, 'identity background task failed'),
  });
  const seeded = await identity.authConfigs.seed(seeds);
  if (seeded.length > 0)
    logger.info({ providers: seeded }, 'seeded auth configs from the config file');
  await identity.start();
  return identity;
}
