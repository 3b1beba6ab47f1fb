import 'reflect-metadata';

export type { GraphQLEndpoint } from './graphql-endpoint.js';
export { createGraphQLEndpoint } from './graphql-endpoint.js';
export type { GraphQLEndpointOptions } from './graphql-options.js';
