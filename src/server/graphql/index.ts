import 'reflect-metadata';

export type { PrincipalSource } from './fallback-ports.js';
export { principalSearchAcross, staticSettings } from './fallback-ports.js';
export type { GraphQLEndpoint } from './graphql-endpoint.js';
export { createGraphQLEndpoint } from './graphql-endpoint.js';
export type { GraphQLEndpointOptions } from './graphql-options.js';
