/**
 * The administration ports are shaped so existing adapters plug in as they are; this file
 * stops compiling when one of them drifts.
 */
import type { ClusterAdminService } from '../../../../src/datasources/index.js';
import type { GraphQLPorts } from '../../../../src/resolvers/context.js';

type Fits<Port, Adapter extends Port> = Adapter;

export type AdminPortFit = [Fits<NonNullable<GraphQLPorts['clusterAdmin']>, ClusterAdminService>];
