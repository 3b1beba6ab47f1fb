import { ConfigMutationResolver } from './config.mutation.js';
import { ConfigResolver } from './config.resolver.js';
import { KubernetesObjectResolver } from './kubernetes-object.resolver.js';
import { KubernetesObjectsResolver } from './kubernetes-objects.resolver.js';
import { ServiceResolver } from './network.resolver.js';
import { PodLogsResolver } from './pod-logs.resolver.js';
import { ResourceChangeSubscriptionResolver } from './resource-change.subscription.js';
import { WorkloadMutationResolver } from './workload.mutation.js';
import { WorkloadResolver } from './workload.resolver.js';

export const projectLayerResolvers = [
  WorkloadResolver,
  ServiceResolver,
  ConfigResolver,
  KubernetesObjectsResolver,
  KubernetesObjectResolver,
  PodLogsResolver,
  WorkloadMutationResolver,
  ConfigMutationResolver,
  ResourceChangeSubscriptionResolver,
] as const;
