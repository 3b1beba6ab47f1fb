/**
 * Bounds on subscriptions: at most `perUser` open at once per user (per process), each ended
 * after `idleMs` without an event and after `lifetimeMs` in any case. The client resubscribes
 * when it still wants the stream, which also re-checks its credential.
 */
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext, GraphQLPorts } from '../context.js';
import { EventChannel } from './event-channel.js';

export const DEFAULT_SUBSCRIPTION_LIMITS = {
  perUser: 10,
  idleMs: 5 * 60_000,
  lifetimeMs: 60 * 60_000,
};

const openPerPorts = new WeakMap<GraphQLPorts, Map<string, number>>();

/** Subscriptions open now per user id (for tests and metrics). */
export function openSubscriptions(ports: GraphQLPorts): ReadonlyMap<string, number> {
  return openPerPorts.get(ports) ?? new Map();
}

/**
 * Opens a bounded stream for the caller: `produce` feeds the channel until its signal aborts
 * (client gone, idle or lifetime reached) and may end it with an error.
 */
export function boundedStream<T>(
  ctx: GraphQLContext,
  produce: (channel: EventChannel<T>, signal: AbortSignal) => Promise<void>,
): AsyncIterableIterator<T> {
  const identity = requireIdentity(ctx);
  const limits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...ctx.ports.subscriptionLimits };
  let open = openPerPorts.get(ctx.ports);
  if (open === undefined) {
    open = new Map();
    openPerPorts.set(ctx.ports, open);
  }
  const counts = open;
  const current = counts.get(identity.userId) ?? 0;
  if (current >= limits.perUser) {
    throw new PaddockError(
      'TOO_MANY_REQUESTS',
      `at most ${limits.perUser} subscriptions may be open per user`,
      { reason: 'too_many_subscriptions', details: { limit: limits.perUser } },
    );
  }
  counts.set(identity.userId, current + 1);
  const controller = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const lifetime = setTimeout(() => channel.end(), limits.lifetimeMs);
  const channel: EventChannel<T> = new EventChannel<T>(() => {
    clearTimeout(idle);
    clearTimeout(lifetime);
    controller.abort();
    const n = (counts.get(identity.userId) ?? 1) - 1;
    if (n <= 0) counts.delete(identity.userId);
    else counts.set(identity.userId, n);
  });
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => channel.end(), limits.idleMs);
  };
  touch();
  const push = channel.push.bind(channel);
  channel.push = (value: T) => {
    touch();
    push(value);
  };
  produce(channel, controller.signal).then(
    () => channel.end(),
    (err: unknown) => channel.end(controller.signal.aborted ? undefined : err),
  );
  return channel;
}
