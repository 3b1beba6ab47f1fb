/**
 * The `AuthConfigAdmin` port over the stored auth configs and the provider factories: views
 * never carry secrets, and a trial login builds the provider from unsaved settings.
 */
import { isIP } from 'node:net';
import type {
  AuthConfigAdmin,
  AuthConfigSummary,
  AuthConfigTestResult,
} from '../domain/auth-config-admin.js';
import {
  type OutboundAddress,
  type OutboundGuard,
  UNREACHABLE_ENDPOINT_MESSAGE,
} from '../domain/outbound-guard.js';
import type { PasswordProvider } from '../domain/password-provider.js';
import type { ProviderName } from '../domain/principal.js';
import type { RedirectProvider } from '../domain/redirect-provider.js';
import { isPaddockError } from '../errors/index.js';
import type { AccessEnforcer } from './access-enforcer.js';
import type { ProviderFactory } from './auth-config-sync.js';
import { type AuthConfigStore, type AuthConfigView, DEFAULT_SECRET_PATHS } from './auth-configs.js';
import { getPath, withPath } from './object-path.js';

export interface AuthConfigAdminOptions {
  readonly configs: AuthConfigStore;
  /** `identity.authConfigSync.factoryFor`; undefined for providers not configurable here. */
  readonly factoryFor: (provider: string) => ProviderFactory | undefined;
  readonly secretPaths?: Readonly<Partial<Record<string, readonly string[]>>>;
  /** Ends the access of users a changed access mode (or a disabled provider) shuts out. */
  readonly enforcer?: AccessEnforcer;
  /**
   * Checks the servers a test connects to against the outbound network settings (ADR 0011);
   * absent = no restriction (unit tests).
   */
  readonly outbound?: OutboundGuard;
}

/** Providers whose test connects to the `servers` of their settings. */
const DIRECTORY_PROVIDERS = new Set(['openldap', 'activedirectory']);

export function createAuthConfigAdmin(options: AuthConfigAdminOptions): AuthConfigAdmin {
  const { configs } = options;
  const secretPaths = options.secretPaths ?? DEFAULT_SECRET_PATHS;
  return {
    async list() {
      return (await configs.list())
        .map(toSummary)
        .sort((a, b) => a.provider.localeCompare(b.provider));
    },
    async get(provider) {
      const view = await configs.get(provider);
      return view === undefined ? undefined : toSummary(view);
    },
    async put(change) {
      const enforcer = options.enforcer;
      if (enforcer === undefined) return toSummary(await configs.put(change));
      const before = (await configs.collection.get(change.provider))?.value;
      const after = {
        enabled: change.enabled ?? before?.enabled ?? true,
        accessMode: change.accessMode ?? before?.accessMode ?? 'unrestricted',
        allowedPrincipalIds: change.allowedPrincipalIds ?? before?.allowedPrincipalIds ?? [],
      };
      const changed =
        before === undefined ||
        before.enabled !== after.enabled ||
        before.accessMode !== after.accessMode ||
        before.allowedPrincipalIds.join('\n') !== after.allowedPrincipalIds.join('\n');
      // Decided before saving, so a change that would shut out every admin is never written.
      const excluded = changed
        ? await enforcer.excluded(
            change.provider,
            switchedOff(change.provider, after) ? NOBODY : after,
          )
        : [];
      await enforcer.assertAdminRemains(excluded);
      const saved = await configs.put(change);
      await enforcer.enforce(excluded);
      return toSummary(saved);
    },
    async delete(provider) {
      const enforcer = options.enforcer;
      // Without its config a provider is gone, except the built-in local accounts, which fall
      // back to admitting everyone.
      const excluded =
        enforcer === undefined || provider === 'local'
          ? []
          : await enforcer.excluded(provider as ProviderName, NOBODY);
      await enforcer?.assertAdminRemains(excluded);
      const deleted = await configs.delete(provider);
      await enforcer?.enforce(excluded);
      return deleted;
    },
    async test(request) {
      const factory = options.factoryFor(request.provider);
      if (factory === undefined) {
        return failed('VALIDATION_FAILED', `${request.provider} cannot be configured here`);
      }
      // The UI never sees stored secrets, so a test without them uses the stored ones.
      let settings = request.settings;
      const stored = (await configs.collection.get(request.provider))?.value;
      if (stored !== undefined) {
        const opened = configs.openSettings(stored);
        for (const path of secretPaths[request.provider] ?? []) {
          const given = getPath(settings, path);
          const kept = getPath(opened, path);
          if ((given === undefined || given === '') && kept !== undefined) {
            settings = withPath(settings, path, kept);
          }
        }
      }
      if (options.outbound !== undefined && DIRECTORY_PROVIDERS.has(request.provider)) {
        try {
          settings = await checkedServers(options.outbound, settings);
        } catch (err) {
          return failedFrom(err, 'UPSTREAM_UNAVAILABLE');
        }
      }
      let provider: PasswordProvider | RedirectProvider;
      try {
        provider = await factory(settings);
      } catch (err) {
        return failedFrom(err, 'CONFIG_INVALID');
      }
      if (!isPasswordProvider(provider)) {
        return {
          ok: true,
          groups: [],
          message:
            'the settings are valid; a redirect provider is tested by signing in with the browser',
        };
      }
      try {
        const login = await provider.login(request.username, request.password);
        return {
          ok: true,
          user: login.user,
          groups: login.groups,
          message: `${login.user.name} logged in with ${login.groups.length} group(s)`,
        };
      } catch (err) {
        return failedFrom(err, 'UPSTREAM_UNAVAILABLE');
      }
    },
  };
}

/** A disabled provider admits nobody. */
const NOBODY = { accessMode: 'required', allowedPrincipalIds: [] } as const;

/** Whether the provider stops logging anyone in; the built-in local accounts never do. */
function switchedOff(provider: string, config: { readonly enabled: boolean }): boolean {
  return provider !== 'local' && !config.enabled;
}

function toSummary(view: AuthConfigView): AuthConfigSummary {
  return {
    provider: view.provider,
    enabled: view.enabled,
    accessMode: view.accessMode,
    allowedPrincipalIds: view.allowedPrincipalIds,
    ...(view.groupRefreshMaxAgeSeconds === undefined
      ? {}
      : { groupRefreshMaxAgeSeconds: view.groupRefreshMaxAgeSeconds }),
    settings: view.settings,
    secretsSet: view.secretsSet,
    updatedAt: view.updatedAt,
  };
}

function isPasswordProvider(p: PasswordProvider | RedirectProvider): p is PasswordProvider {
  return typeof (p as Partial<PasswordProvider>).login === 'function';
}

function failed(code: string, message: string): AuthConfigTestResult {
  return { ok: false, code, message };
}

/**
 * A settings or credentials problem keeps its reason; anything that went wrong reaching the
 * server reads "cannot reach endpoint", so a test cannot tell a closed port from an open one
 * that is not a directory (the detail is logged by the caller, ADR 0011).
 */
function failedFrom(err: unknown, fallbackCode: string): AuthConfigTestResult {
  const code = isPaddockError(err) ? err.code : fallbackCode;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'UPSTREAM_UNAVAILABLE' || code === 'UPSTREAM_TIMEOUT' || code === 'UPSTREAM_RESET') {
    return {
      ok: false,
      code: 'UPSTREAM_UNAVAILABLE',
      message: UNREACHABLE_ENDPOINT_MESSAGE,
      detail,
    };
  }
  if (isPaddockError(err)) return failed(err.code, err.message);
  return failed(fallbackCode, detail);
}

/**
 * Resolves and checks every server of a directory config (FORBIDDEN when one is in a denied
 * network). Without TLS verification nothing ties the connection to the name, so each server
 * is pinned to the address that was checked; with verification on, a rebound name would meet a
 * certificate that is not its own and the handshake fails before anything is sent.
 */
async function checkedServers(
  guard: OutboundGuard,
  settings: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const servers = settings.servers;
  if (!Array.isArray(servers)) return settings;
  const tls = (settings.tls ?? {}) as { mode?: unknown; dangerouslySkipTlsVerify?: unknown };
  const pin = tls.mode === 'none' || tls.dangerouslySkipTlsVerify === true;
  const checked: unknown[] = [];
  for (const entry of servers) {
    if (typeof entry !== 'string') {
      checked.push(entry);
      continue;
    }
    const { host, port } = splitServer(entry);
    const addresses = await guard.resolve(host);
    checked.push(pin ? joinServer(addresses[0] as OutboundAddress, port) : entry);
  }
  return { ...settings, servers: checked };
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
function splitServer(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] };
  if (isIP(entry) === 6) return { host: entry };
  const [host = entry, port] = entry.split(':');
  return { host, port };
}

function joinServer(address: OutboundAddress, port: string | undefined): string {
  if (port === undefined) return address.address;
  return address.family === 6 ? `[${address.address}]:${port}` : `${address.address}:${port}`;
}
