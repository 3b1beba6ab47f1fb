/** GraphQL enums over the domain's string unions (values stay the domain's strings). */
import { registerEnumType } from 'type-graphql';

export const ProviderNameEnum = {
  LOCAL: 'local',
  OPENLDAP: 'openldap',
  ACTIVEDIRECTORY: 'activedirectory',
  GITHUB: 'github',
  OIDC: 'oidc',
} as const;
registerEnumType(ProviderNameEnum, {
  name: 'ProviderName',
  description: 'An identity provider kind.',
});

export const PrincipalKindEnum = { USER: 'user', GROUP: 'group' } as const;
registerEnumType(PrincipalKindEnum, { name: 'PrincipalKind' });

export const TokenKindEnum = {
  SESSION: 'session',
  API_KEY: 'api-key',
  KUBECONFIG: 'kubeconfig',
} as const;
registerEnumType(TokenKindEnum, {
  name: 'TokenKind',
  description: 'The kind of credential a request authenticated with.',
});

export const ApiKeyKindEnum = { API_KEY: 'api-key', KUBECONFIG: 'kubeconfig' } as const;
registerEnumType(ApiKeyKindEnum, { name: 'ApiKeyKind' });

export const ClusterStateEnum = {
  PENDING: 'pending',
  ACTIVE: 'active',
  DEGRADED: 'degraded',
  UNAVAILABLE: 'unavailable',
  UNAUTHORIZED: 'unauthorized',
} as const;
registerEnumType(ClusterStateEnum, {
  name: 'ClusterState',
  valuesConfig: {
    PENDING: { description: 'Registered, waiting for its import manifest to be applied.' },
    ACTIVE: { description: 'The last health probes succeeded.' },
    DEGRADED: {
      description:
        'It answers, but slowly, or a probe just failed, or it is coming back, or it keeps going up and down (see the message).',
    },
    UNAVAILABLE: { description: 'The API server did not answer or is not ready.' },
    UNAUTHORIZED: { description: "The API server refused Paddock's credentials." },
  },
});

export const ClusterImportMethodEnum = {
  DIRECT: 'direct',
  KUBECONFIG: 'kubeconfig',
  MANIFEST: 'manifest',
} as const;
registerEnumType(ClusterImportMethodEnum, { name: 'ClusterImportMethod' });

export const ClusterTransportEnum = { DIRECT: 'direct', AGENT: 'agent' } as const;
registerEnumType(ClusterTransportEnum, {
  name: 'ClusterTransport',
  description: "How Paddock reaches a cluster's API server.",
  valuesConfig: {
    DIRECT: { description: 'Paddock connects to the API server.' },
    AGENT: {
      description:
        'Through the tunnel that paddock agent, running in the cluster, opened to Paddock.',
    },
  },
});

export const ClusterErrorCodeEnum = {
  UNREACHABLE: 'UNREACHABLE',
  TIMEOUT: 'TIMEOUT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL: 'INTERNAL',
  UNAVAILABLE: 'UNAVAILABLE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  BAD_REQUEST: 'BAD_REQUEST',
  INVALID: 'INVALID',
  CONFLICT: 'CONFLICT',
  GONE: 'GONE',
} as const;
registerEnumType(ClusterErrorCodeEnum, {
  name: 'ClusterErrorCode',
  description: 'Why one cluster contributed nothing to a cross-cluster answer.',
});

export const SettingSourceEnum = { DEFAULT: 'default', CONFIG: 'config', STORE: 'store' } as const;
registerEnumType(SettingSourceEnum, { name: 'SettingSource' });
