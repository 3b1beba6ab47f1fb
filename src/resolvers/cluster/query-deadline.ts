/**
 * The `deadlineMs` argument of every cross-cluster list: the answer comes back by then with
 * what the clusters gave, and each cluster that had not answered is a `TIMEOUT` entry in
 * `clusterErrors` (slow is slow, not dead: never "unreachable").
 */
import { Arg, Int } from 'type-graphql';
import type { FanOutOptions } from '../../domain/kube-api.js';
import type { GraphQLContext } from '../context.js';
import { invalid } from './validate-input.js';

export const MIN_QUERY_DEADLINE_MS = 100;
export const MAX_QUERY_DEADLINE_MS = 60_000;

export type QueryDeadline = number | null | undefined;

/** `@deadlineArg() deadlineMs: QueryDeadline` on a cross-cluster list field. */
export const deadlineArg = () =>
  Arg('deadlineMs', () => Int, {
    nullable: true,
    description: `Answer within this many milliseconds (${MIN_QUERY_DEADLINE_MS}–${MAX_QUERY_DEADLINE_MS}) with what the clusters gave by then; a cluster still working is a TIMEOUT in clusterErrors (default: 5000 per cluster).`,
  });

/** The fan-out settings of one query: the server's, narrowed or widened to its deadline. */
export function fanOutWithin(ctx: GraphQLContext, deadlineMs: QueryDeadline): FanOutOptions {
  const base = ctx.ports.fanOut ?? {};
  if (deadlineMs === null || deadlineMs === undefined) return base;
  if (
    !Number.isInteger(deadlineMs) ||
    deadlineMs < MIN_QUERY_DEADLINE_MS ||
    deadlineMs > MAX_QUERY_DEADLINE_MS
  ) {
    throw invalid(
      'deadlineMs',
      `must be a whole number of milliseconds from ${MIN_QUERY_DEADLINE_MS} to ${MAX_QUERY_DEADLINE_MS}`,
    );
  }
  return { ...base, deadlineMs, totalDeadlineMs: deadlineMs };
}
