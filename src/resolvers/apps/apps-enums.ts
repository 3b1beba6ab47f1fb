/** GraphQL enums of the apps layer (values stay the domain's strings). */
import { registerEnumType } from 'type-graphql';

export const CatalogScopeEnum = {
  GLOBAL: 'global',
  CLUSTER: 'cluster',
  PROJECT: 'project',
} as const;
registerEnumType(CatalogScopeEnum, {
  name: 'CatalogScope',
  description: 'Where a catalog applies: everywhere, in one cluster, or in one project.',
});

export const CatalogKindEnum = { HTTP: 'http', OCI: 'oci' } as const;
registerEnumType(CatalogKindEnum, {
  name: 'CatalogKind',
  description: 'An HTTP(S) chart repository with index.yaml, or an OCI registry.',
});

export const CatalogRefreshStateEnum = {
  PENDING: 'pending',
  READY: 'ready',
  ERROR: 'error',
} as const;
registerEnumType(CatalogRefreshStateEnum, { name: 'CatalogRefreshState' });

export const AppOperationKindEnum = {
  INSTALL: 'install',
  UPGRADE: 'upgrade',
  ROLLBACK: 'rollback',
  UNINSTALL: 'uninstall',
} as const;
registerEnumType(AppOperationKindEnum, { name: 'AppOperationKind' });

export const AppOperationStateEnum = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
} as const;
registerEnumType(AppOperationStateEnum, { name: 'AppOperationState' });

export const TargetStateEnum = {
  PENDING: 'pending',
  DEPLOYING: 'deploying',
  DEPLOYED: 'deployed',
  FAILED: 'failed',
  DRIFTED: 'drifted',
} as const;
registerEnumType(TargetStateEnum, {
  name: 'MultiClusterAppTargetState',
  description: 'Where one target of a multi-cluster app stands against the spec.',
});

export const MultiClusterAppStateEnum = {
  ACTIVE: 'active',
  SUSPENDED: 'suspended',
  DELETING: 'deleting',
} as const;
registerEnumType(MultiClusterAppStateEnum, {
  name: 'MultiClusterAppState',
  description:
    'ACTIVE: reconciled; SUSPENDED: the owner is disabled, gone or may no longer install, so nothing runs; DELETING: uninstalling from every target.',
});
