/**
 * Small in-memory implementations of the GraphQL ports: three users (an admin, a member of
 * cluster c-one, a user without bindings), three clusters and bearer tokens `t-<username>`.
 */
import type { ApiKeyManager, NewApiKeyRequest } from '../../../../src/domain/api-key-manager.js';
import type { ClusterSummary } from '../../../../src/domain/cluster.js';
import type {
  GlobalAccessRequest,
  GlobalAuthorizer,
} from '../../../../src/domain/global-authorizer.js';
import type {
  ApiKeySummary,
  Authenticator,
  AuthRequest,
  Identity,
} from '../../../../src/domain/identity.js';
import type { PasswordLogin, PasswordLoginRequest } from '../../../../src/domain/password-login.js';
import type { Principal } from '../../../../src/domain/principal.js';
import type { SettingsReader, SettingView } from '../../../../src/domain/settings.js';
import type {
  PrincipalSearch,
  UserDirectory,
  UserView,
} from '../../../../src/domain/user-directory.js';
import { PaddockError } from '../../../../src/errors/index.js';
import type { GraphQLPorts } from '../../../../src/resolvers/context.js';

export const T0 = Date.UTC(2025, 0, 1);

const devs: Principal = {
  id: 'openldap_group://cn=devs,ou=groups,dc=example,dc=org',
  provider: 'openldap',
  kind: 'group',
  name: 'devs',
};

function user(id: string, username: string, extra: Partial<UserView> = {}): UserView {
  return {
    id,
    username,
    displayName: username.toUpperCase(),
    provider: 'local',
    principalIds: [`local://${id}`],
    groups: [],
    enabled: true,
    mustChangePassword: false,
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

export const users: UserView[] = [
  user('u-admin', 'admin'),
  user('u-member', 'member', {
    provider: 'openldap',
    principalIds: ['openldap_user://uid=member,ou=people,dc=example,dc=org'],
    groups: [devs],
  }),
  user('u-nobody', 'nobody', { email: 'nobody@example.org' }),
];

function cluster(
  id: string,
  name: string,
  state: ClusterSummary['health']['state'],
): ClusterSummary {
  return {
    id,
    name,
    description: `${name} cluster`,
    endpoint: `https://${name}.example:6443`,
    importMethod: 'direct',
    dangerouslySkipTlsVerify: false,
    createdAt: T0,
    updatedAt: T0,
    health: { state, checkedAt: T0, version: 'v1.31.0', nodesTotal: 3, nodesReady: 3 },
  };
}

export const clusters: ClusterSummary[] = [
  cluster('c-one', 'one', 'active'),
  cluster('c-two', 'two', 'unavailable'),
  cluster('c-three', 'three', 'active'),
];

export function identityOf(view: UserView, extra: Partial<Identity> = {}): Identity {
  const groups = view.groups.map((g) => g.id);
  return {
    userId: view.id,
    username: view.username,
    displayName: view.displayName,
    provider: view.provider,
    principalIds: [...view.principalIds, ...groups],
    groupPrincipalIds: groups,
    tokenId: `tok-${view.id}`,
    tokenKind: 'session',
    ...extra,
  };
}

export interface FakePorts extends GraphQLPorts {
  readonly loggedOut: string[];
  readonly keys: Map<string, ApiKeySummary>;
  /** Every request `apiKeys.create` got, in order. */
  readonly createdWith: NewApiKeyRequest[];
  /** Extra tokens: token → identity. */
  readonly tokens: Map<string, Identity>;
  authenticateCalls: number;
}

export function createFakePorts(): FakePorts {
  const byName = new Map(users.map((u) => [u.username, u]));
  const tokens = new Map<string, Identity>();
  for (const u of users) tokens.set(`t-${u.username}`, identityOf(u));
  const loggedOut: string[] = [];
  const keys = new Map<string, ApiKeySummary>();
  let keySeq = 0;
  const createdWith: NewApiKeyRequest[] = [];

  const authenticator: Authenticator & { calls: number } = {
    calls: 0,
    async authenticate(request: AuthRequest) {
      ports.authenticateCalls += 1;
      const header = request.headers.authorization;
      const cookie = request.headers.cookie;
      let token: string | undefined;
      if (typeof header === 'string') token = /^Bearer (\S+)$/.exec(header)?.[1] ?? '';
      else if (typeof cookie === 'string') token = /paddock_session=([^;]+)/.exec(cookie)?.[1];
      if (token === undefined) {
        throw new PaddockError('UNAUTHENTICATED', 'authentication required', {
          reason: 'missing_credentials',
        });
      }
      if (token === 'explode') throw new Error('token store exploded: secret=hunter2');
      const identity = tokens.get(token);
      if (identity === undefined) {
        throw new PaddockError('UNAUTHENTICATED', 'invalid token', { reason: 'token_invalid' });
      }
      return identity;
    },
  };

  const login: PasswordLogin = {
    async login(input: PasswordLoginRequest) {
      const found = byName.get(input.username);
      if (input.provider !== 'local' || found === undefined || input.password !== 'secret') {
        throw new PaddockError('UNAUTHENTICATED', 'invalid username or password', {
          reason: 'bad_credentials',
        });
      }
      const token = `s-${found.username}-${tokens.size}`;
      tokens.set(token, identityOf(found, { tokenId: token }));
      return {
        token,
        userId: found.id,
        username: found.username,
        expiresAt: T0 + 3_600_000,
        mustChangePassword: false,
      };
    },
    async logout(token: string) {
      loggedOut.push(token);
      return tokens.delete(token);
    },
  };

  const apiKeys: ApiKeyManager = {
    async create(input: NewApiKeyRequest) {
      keySeq += 1;
      createdWith.push(input);
      const keyId = `key${keySeq}`;
      const key: ApiKeySummary = {
        keyId,
        userId: input.userId,
        kind: input.kind ?? 'api-key',
        description: input.description ?? '',
        enabled: true,
        createdAt: T0,
        ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        ...(input.clusterId === undefined ? {} : { scope: { clusterId: input.clusterId } }),
        ...(input.parentKeyId === undefined ? {} : { parentKeyId: input.parentKeyId }),
      };
      keys.set(keyId, key);
      return { token: `pdk_${keyId}_secret`, key };
    },
    async list(userId, kind) {
      return [...keys.values()].filter(
        (k) => k.userId === userId && (kind === undefined || k.kind === kind),
      );
    },
    async revoke(keyId, ownerId) {
      const key = keys.get(keyId);
      if (key === undefined || (ownerId !== undefined && key.userId !== ownerId)) return false;
      return keys.delete(keyId);
    },
  };

  const directory: UserDirectory = {
    async get(id) {
      return users.find((u) => u.id === id);
    },
    async list() {
      return users;
    },
  };

  const principals: PrincipalSearch = {
    async search(text, { limit }) {
      const all: Principal[] = [
        ...users.map(
          (u): Principal => ({
            id: u.principalIds[0]!,
            provider: u.provider,
            kind: 'user',
            name: u.username,
            displayName: u.displayName,
          }),
        ),
        devs,
      ];
      return all.filter((p) => p.name.includes(text)).slice(0, limit);
    },
  };

  const userBase = new Set(['list:settings', 'get:settings', 'list:principals', 'create:apikeys']);
  const authorizer: GlobalAuthorizer = {
    async allows(identity: Identity, request: GlobalAccessRequest) {
      if (identity.userId === 'u-admin') return true;
      // `u-guest` holds no global role at all, not even user-base.
      if (identity.userId === 'u-guest') return false;
      return userBase.has(`${request.verb}:${request.resource}`);
    },
    async visibleClusterIds(identity: Identity) {
      if (identity.userId === 'u-admin') return 'all';
      if (identity.userId === 'u-member') return new Set(['c-one']);
      return new Set<string>();
    },
  };

  const settingList: SettingView[] = [
    {
      name: 'ui-banner',
      value: 'hello',
      defaultValue: '',
      description: 'Banner text',
      source: 'store',
      readOnly: false,
    },
    {
      name: 'server-url',
      value: 'https://paddock.example',
      defaultValue: '',
      description: 'Public URL',
      source: 'config',
      readOnly: true,
    },
  ];
  const settings: SettingsReader = {
    async list() {
      return settingList;
    },
    async get(name) {
      return settingList.find((s) => s.name === name);
    },
  };

  const ports: FakePorts = {
    authenticator,
    login,
    apiKeys,
    users: directory,
    principals,
    clusters: {
      async list() {
        return clusters;
      },
      async get(id) {
        return clusters.find((c) => c.id === id);
      },
    },
    authorizer,
    settings,
    loggedOut,
    keys,
    createdWith,
    tokens,
    authenticateCalls: 0,
  };
  return ports;
}
