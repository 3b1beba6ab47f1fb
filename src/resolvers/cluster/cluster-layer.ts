import { ClusterFieldsResolver } from './cluster-fields.resolver.js';
import { ClusterStatusSubscriptionResolver } from './cluster-status.subscription.js';
import { FleetChangesSubscriptionResolver } from './fleet-changes.subscription.js';
import { NamespaceMutationResolver } from './namespace.mutation.js';
import { NamespaceResolver, ProjectResolver } from './namespace.resolver.js';
import { NodeResolver } from './node.resolver.js';
import { StorageResolver } from './storage.resolver.js';

export const clusterLayerResolvers = [
  ClusterFieldsResolver,
  NodeResolver,
  StorageResolver,
  NamespaceResolver,
  ProjectResolver,
  NamespaceMutationResolver,
  ClusterStatusSubscriptionResolver,
  FleetChangesSubscriptionResolver,
] as const;
