import { ClusterFieldsResolver } from './cluster-fields.resolver.js';
import { NamespaceResolver, ProjectResolver } from './namespace.resolver.js';
import { NodeResolver } from './node.resolver.js';
import { StorageResolver } from './storage.resolver.js';

export const clusterLayerResolvers = [
  ClusterFieldsResolver,
  NodeResolver,
  StorageResolver,
  NamespaceResolver,
  ProjectResolver,
] as const;
