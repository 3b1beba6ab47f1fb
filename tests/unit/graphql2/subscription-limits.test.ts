import { expect } from 'chai';
import {
  boundedStream,
  openSubscriptions,
} from '../../../src/resolvers/cluster/subscription-limits.js';
import type { GraphQLContext, GraphQLPorts } from '../../../src/resolvers/context.js';

function contextFor(ports: Partial<GraphQLPorts>): GraphQLContext {
  return {
    identity: {
      userId: 'u-1',
      username: 'one',
      displayName: 'One',
      provider: 'local',
      principalIds: ['local://u-1'],
      groupPrincipalIds: [],
      tokenId: 't',
      tokenKind: 'session',
    },
    ports: ports as GraphQLPorts,
    now: Date.now,
  } as unknown as GraphQLContext;
}

const never = (_c: unknown, signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));

describe('subscription limits', () => {
  it('ends a stream that stays idle, and frees its slot', async () => {
    const ports = { subscriptionLimits: { perUser: 1, idleMs: 30, lifetimeMs: 10_000 } };
    const ctx = contextFor(ports);
    const stream = boundedStream<number>(ctx, never);
    expect(openSubscriptions(ctx.ports).get('u-1')).to.equal(1);
    expect(await stream.next()).to.deep.equal({ value: undefined, done: true });
    expect(openSubscriptions(ctx.ports).get('u-1')).to.equal(undefined);
  });

  it('ends a busy stream at the end of its lifetime', async () => {
    const ctx = contextFor({ subscriptionLimits: { perUser: 1, idleMs: 1_000, lifetimeMs: 60 } });
    const stream = boundedStream<number>(ctx, async (channel, signal) => {
      let n = 0;
      while (!signal.aborted) {
        channel.push(n++);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    let last: IteratorResult<number>;
    let count = 0;
    do {
      last = await stream.next();
      count++;
    } while (!last.done);
    expect(count).to.be.greaterThan(2);
  });

  it('refuses a subscription over the per-user bound until one is returned', async () => {
    const ctx = contextFor({
      subscriptionLimits: { perUser: 2, idleMs: 10_000, lifetimeMs: 10_000 },
    });
    const a = boundedStream<number>(ctx, never);
    boundedStream<number>(ctx, never);
    expect(() => boundedStream<number>(ctx, never)).to.throw(/at most 2 subscriptions/);
    // return() completes at once even though the producer is waiting.
    expect(await a.return!()).to.deep.equal({ value: undefined, done: true });
    const c = boundedStream<number>(ctx, never);
    await c.return!();
  });

  it('passes a producer error to the subscriber', async () => {
    const ctx = contextFor({});
    const stream = boundedStream<number>(ctx, async () => {
      throw new Error('watch failed');
    });
    let caught: unknown;
    try {
      await stream.next();
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).to.equal('watch failed');
  });
});
