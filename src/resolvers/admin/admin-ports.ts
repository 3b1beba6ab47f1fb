/** The optional administration ports from the request context, or a clear INTERNAL error. */
import { PaddockError } from '../../errors/index.js';
import type { GraphQLContext, GraphQLPorts } from '../context.js';

type AdminPortName =
  | 'clusterAdmin'
  | 'authConfigAdmin'
  | 'settingsAdmin'
  | 'preferences'
  | 'passwordChange'
  | 'kubeconfig'
  | 'sessions'
  | 'userAdmin';

/** The port, or INTERNAL when the composition root did not configure it. */
export function adminPort<K extends AdminPortName>(
  ctx: GraphQLContext,
  name: K,
): NonNullable<GraphQLPorts[K]> {
  const port = ctx.ports[name];
  if (port === undefined || port === null) {
    throw new PaddockError('INTERNAL', `${name} is not configured`, { reason: 'not_configured' });
  }
  return port as NonNullable<GraphQLPorts[K]>;
}
