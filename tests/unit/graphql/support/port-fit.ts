/**
 * The GraphQL ports are shaped so the adapters other modules already have plug in as they
 * are; this file stops compiling when one of them drifts.
 */
import type { DatasourceClusterRegistry } from '../../../../src/datasources/index.js';
import type { PasswordProvider } from '../../../../src/domain/password-provider.js';
import type {
  ApiKeyService,
  LoginService,
  TokenAuthenticator,
  UserRepository,
} from '../../../../src/identity/index.js';
import type { GraphQLPorts } from '../../../../src/resolvers/context.js';
import type { PrincipalSource } from '../../../../src/server/graphql/index.js';

type Fits<Port, Adapter extends Port> = Adapter;

export type PortFit = [
  Fits<GraphQLPorts['authenticator'], TokenAuthenticator>,
  Fits<GraphQLPorts['login'], LoginService>,
  Fits<GraphQLPorts['apiKeys'], ApiKeyService>,
  Fits<GraphQLPorts['users'], UserRepository>,
  Fits<GraphQLPorts['clusters'], DatasourceClusterRegistry>,
  Fits<PrincipalSource, PasswordProvider>,
];
