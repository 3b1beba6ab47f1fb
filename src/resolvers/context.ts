/**
 * What every resolver gets: who is calling, the request's id and logger, per-request
 * DataLoaders and the ports to everything outside the GraphQL layer. The server builds one per
 * HTTP request or per WebSocket operation; resolvers never reach a concrete adapter.
 */
import type { AccessAdmin } from '../domain/access-admin.js';
import type { KubeconfigIssuer, PasswordChange } from '../domain/account.js';
import type { AlertingAdmin } from '../domain/alerting.js';
import type { ApiKeyManager } from '../domain/api-key-manager.js';
import type { AppsService } from '../domain/apps.js';
import type { AuthConfigAdmin } from '../domain/auth-config-admin.js';
import type { CatalogService } from '../domain/catalogs.js';
import type { ClusterAdmin } from '../domain/cluster-admin.js';
import type { ClusterDirectory } from '../domain/cluster-directory.js';
import type { FleetIndex } from '../domain/fleet-index.js';
import type { GlobalAuthorizer } from '../domain/global-authorizer.js';
import type { Authenticator, Identity } from '../domain/identity.js';
import type { CallerNamespaceScope, ClusterCapacityReader, KubeApi } from '../domain/kube-api.js';
import type { Logger } from '../domain/logger.js';
import type { LoggingAdmin } from '../domain/logging.js';
import type { LoginProviderList } from '../domain/login-providers.js';
import type { MultiClusterAppService } from '../domain/multi-cluster-apps.js';
import type { PasswordLogin } from '../domain/password-login.js';
import type { PreferencesStore } from '../domain/preferences.js';
import type { AccessStateSource } from '../domain/rbac.js';
import type { SettingsReader } from '../domain/settings.js';
import type { SettingsAdmin } from '../domain/settings-admin.js';
import type { SessionDirectory, UserAdmin } from '../domain/user-admin.js';
import type { PrincipalSearch, UserDirectory } from '../domain/user-directory.js';
import type { Loaders } from './loaders.js';

/** Helm catalogs, apps (releases) and multi-cluster apps (`src/apps`). */
export interface AppsPorts {
  readonly catalogs: CatalogService;
  readonly releases: AppsService;
  readonly multiClusterApps: MultiClusterAppService;
}

/** Everything the composition root hands to the GraphQL layer. */
export interface GraphQLPorts {
  readonly authenticator: Authenticator;
  readonly login: PasswordLogin;
  readonly apiKeys: ApiKeyManager;
  readonly users: UserDirectory;
  readonly principals: PrincipalSearch;
  readonly clusters: ClusterDirectory;
  readonly authorizer: GlobalAuthorizer;
  readonly settings: SettingsReader;
  /** Kubernetes reads and writes as the caller (cluster and project layers). */
  readonly kubeApi?: KubeApi;
  /** The caller's project namespaces, for callers who may not list a whole cluster. */
  readonly namespaceScope?: CallerNamespaceScope;
  /** Capacity from the registry's background refresh; without it, computed as the caller. */
  readonly capacity?: ClusterCapacityReader;
  /** Projects and their bindings; without it, projects are read from namespace labels. */
  readonly access?: AccessStateSource;
  /** Roles, templates, members and projects management (the RBAC resolvers). */
  readonly accessAdmin?: AccessAdmin;
  /** Import, rename and remove clusters (the cluster management mutations). */
  readonly clusterAdmin?: ClusterAdmin;
  /** Identity provider configuration (`authConfigs`, `setAuthConfig`, `testAuthConfig`). */
  readonly authConfigAdmin?: AuthConfigAdmin;
  /** Writable settings (`updateSetting`); usually the same object as `settings`. */
  readonly settingsAdmin?: SettingsAdmin;
  /** The caller's UI preferences (`me { preferences }`, `updatePreferences`). */
  readonly preferences?: PreferencesStore;
  /** Local password change (`changePassword`). */
  readonly passwordChange?: PasswordChange;
  /** Catalogs, apps and multi-cluster apps; the apps fields answer unavailable without it. */
  readonly apps?: AppsPorts;
  /** Enabled identity providers for the login page (`loginProviders`); default local only. */
  readonly loginProviders?: LoginProviderList;
  /** Kubeconfig rendering for the `kubeconfig` mutation. */
  readonly kubeconfig?: KubeconfigIssuer;
  /** The caller's own sessions (`mySessions`, `signOutEverywhere`) and admins' view of others'. */
  readonly sessions?: SessionDirectory;
  /** Administrators' user management (`createLocalUser`, `disableUser`, ...). */
  readonly userAdmin?: UserAdmin;
  /** Alert rules, alerts and notifiers (cluster tools). */
  readonly alerting?: AlertingAdmin;
  /** Logging targets and the log collector's push status (cluster tools). */
  readonly logging?: LoggingAdmin;
  /** Fleet-wide lists from a watch-fed index (ADR 0020); without it every list is live. */
  readonly fleetIndex?: FleetIndex;
  /** Cross-cluster reads: per-cluster deadline and concurrency (default 5 s, 16). */
  readonly fanOut?: { readonly deadlineMs?: number; readonly concurrency?: number };
  /** Subscription bounds (default 10 per user, 5 min idle, 1 h lifetime). */
  readonly subscriptionLimits?: {
    readonly perUser?: number;
    readonly idleMs?: number;
    readonly lifetimeMs?: number;
  };
}

/** A cookie a resolver wants set on the HTTP response (login, logout). */
export interface ResponseCookie {
  readonly name: string;
  /** Empty with `maxAgeSeconds: 0` deletes the cookie. */
  readonly value: string;
  readonly maxAgeSeconds: number;
}

/** Facts about the transport a resolver may need. */
export interface RequestFacts {
  readonly remoteAddress?: string;
  /** The client's `User-Agent`, recorded with sessions it starts. */
  readonly userAgent?: string;
  /** The request arrived over TLS, so cookies get `Secure`. */
  readonly secure: boolean;
  /** The session token this request authenticated with, for logout. Never log it. */
  readonly sessionToken?: string;
  /** Set cookies work only over HTTP, not on a WebSocket operation. */
  readonly setCookie?: (cookie: ResponseCookie) => void;
}

export interface GraphQLContext {
  /** Undefined for an anonymous request, which may reach only the login fields. */
  readonly identity: Identity | undefined;
  readonly requestId: string;
  readonly logger: Logger;
  readonly loaders: Loaders;
  readonly ports: GraphQLPorts;
  readonly request: RequestFacts;
  /** The clock, injectable for tests (epoch milliseconds). */
  readonly now: () => number;
}
