/** Builds the executable GraphQL schema from the type-graphql resolver classes. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { adminResolvers } from './admin/admin-resolvers.js';
import { alertingResolvers } from './alerting/alerting-resolvers.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import { appsLayerResolvers } from './apps/apps-layer.js';
import { authChecker } from './auth-checker.js';
import { clusterLayerResolvers } from './cluster/cluster-layer.js';
import { noPubSub } from './cluster/no-pub-sub.js';
import { ClusterResolver } from './cluster.resolver.js';
import { LoggingResolver } from './logging/logging.resolver.js';
import { LoginProvidersResolver } from './login-providers.resolver.js';
import { MeResolver } from './me.resolver.js';
import { MeAccessResolver } from './me-access.resolver.js';
import { PrincipalResolver } from './principal.resolver.js';
import { projectLayerResolvers } from './project/project-layer.js';
import { rbacResolvers } from './rbac/rbac-resolvers.js';
import { SessionResolver } from './session.resolver.js';
import { SettingResolver } from './setting.resolver.js';
import { UserResolver } from './user.resolver.js';

export const resolverClasses = [
  MeResolver,
  MeAccessResolver,
  ClusterResolver,
  UserResolver,
  PrincipalResolver,
  ApiKeyResolver,
  SessionResolver,
  LoginProvidersResolver,
  SettingResolver,
  ...clusterLayerResolvers,
  ...projectLayerResolvers,
  ...rbacResolvers,
  ...adminResolvers,
  ...alertingResolvers,
  LoggingResolver,
  ...appsLayerResolvers,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/**
 * The schema; built once per process because type-graphql keeps its metadata in globals.
 * Resolvers take everything from the context, so one schema serves every request.
 */
export function buildPaddockSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...resolverClasses],
    authChecker,
    pubSub: noPubSub,
    authMode: 'error',
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}
