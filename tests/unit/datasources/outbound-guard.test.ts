import type { LookupAddress } from 'node:dns';
import { connect, createServer } from 'node:net';
import { expect } from 'chai';
import {
  createOutboundGuard,
  type OutboundNetworks,
} from '../../../src/datasources/outbound-guard.js';
import { DEFAULT_OUTBOUND_DENIED_NETWORKS } from '../../../src/domain/outbound-guard.js';

type Resolver = (host: string) => Promise<readonly LookupAddress[]>;

function guardWith(networks: Partial<OutboundNetworks> = {}, resolveName?: Resolver) {
  let current: OutboundNetworks = {
    allowed: networks.allowed ?? '',
    denied: networks.denied ?? DEFAULT_OUTBOUND_DENIED_NETWORKS,
  };
  const guard = createOutboundGuard({
    networks: async () => current,
    ...(resolveName ? { resolveName } : {}),
  });
  return {
    guard,
    set(next: Partial<OutboundNetworks>) {
      current = { ...current, ...next };
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code?: string; reason?: string }> {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (err: { code?: string; reason?: string }) => err,
  );
}

/** Calls a `lookup` the way `net.connect` does and answers what it was given. */
function lookupOnce(
  lookup: ReturnType<typeof guardWith>['guard']['lookup'],
  host: string,
  options: { all?: boolean; family?: number } = {},
): Promise<{ err: (Error & { code?: string }) | null; address: unknown }> {
  return new Promise((resolve) => {
    lookup(
      host,
      options as never,
      ((err: Error | null, address: unknown) => resolve({ err, address })) as never,
    );
  });
}

describe('the outbound guard', () => {
  it('refuses link-local and metadata addresses by default and allows loopback and private ranges', async () => {
    const { guard } = guardWith();
    for (const host of ['169.254.169.254', '[fe80::1]', '::ffff:169.254.169.254', '0.0.0.0']) {
      expect(await codeOf(guard.resolve(host)), host).to.include({
        code: 'FORBIDDEN',
        reason: 'outbound_denied',
      });
    }
    for (const host of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10']) {
      expect(
        (await guard.resolve(host)).map((a) => a.address),
        host,
      ).to.have.length(1);
    }
  });

  it('refuses a name when any one of its addresses is denied', async () => {
    const { guard } = guardWith({}, async () => [
      { address: '10.0.0.5', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ]);
    expect(await codeOf(guard.resolve('mixed.example'))).to.include({
      reason: 'outbound_denied',
    });
  });

  it('answers "cannot reach endpoint" for a name that does not resolve', async () => {
    const { guard } = guardWith({}, async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), {
        code: 'ENOTFOUND',
      });
    });
    const err = await codeOf(guard.resolve('nowhere.example'));
    expect(err).to.include({ code: 'UPSTREAM_UNAVAILABLE', reason: 'endpoint_unreachable' });
    expect((err as Error).message).to.equal('cannot reach endpoint');
  });

  it('lets through only the allowed networks, and a denied network wins over an allowed one', async () => {
    const { guard } = guardWith({ allowed: '10.0.0.0/8', denied: '10.9.0.0/16' });
    expect(await guard.resolve('10.1.1.1')).to.deep.equal([{ address: '10.1.1.1', family: 4 }]);
    expect(await codeOf(guard.resolve('127.0.0.1'))).to.include({ reason: 'outbound_denied' });
    expect(await codeOf(guard.resolve('10.9.1.1'))).to.include({ reason: 'outbound_denied' });
  });

  it('applies changed settings at once and says so on refresh', async () => {
    const { guard, set } = guardWith();
    expect(guard.allowsAddress('127.0.0.1')).to.equal(true);
    set({ denied: '127.0.0.0/8' });
    expect(await guard.refresh()).to.equal(true);
    expect(guard.allowsAddress('127.0.0.1')).to.equal(false);
    expect(await guard.refresh()).to.equal(false);
  });

  it('keeps the networks it read last when the settings cannot be read', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const guard = createOutboundGuard({
      networks: async () => {
        if (fail) throw new Error('store down');
        return { allowed: '', denied: '127.0.0.0/8' };
      },
      onReadError: (err) => errors.push(err),
    });
    await guard.refresh();
    fail = true;
    expect(await codeOf(guard.resolve('127.0.0.1'))).to.include({ reason: 'outbound_denied' });
    expect(errors).to.have.length(1);
  });

  it('hands a socket only the addresses it checked, in both lookup forms', async () => {
    const { guard } = guardWith({}, async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    const one = await lookupOnce(guard.lookup, 'api.example', {});
    expect(one).to.deep.equal({ err: null, address: '127.0.0.1' });
    const v6 = await lookupOnce(guard.lookup, 'api.example', { family: 6 });
    expect(v6.address).to.equal('::1');
    const all = await lookupOnce(guard.lookup, 'api.example', { all: true });
    expect(all.address).to.deep.equal([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
  });

  it('closes the DNS-rebinding gap: a name checked once and then rebound to a denied address is refused at connect', async () => {
    // The first answer passes the import's check; the resolver then answers the metadata address.
    const answers: LookupAddress[][] = [
      [{ address: '127.0.0.1', family: 4 }],
      [{ address: '169.254.169.254', family: 4 }],
    ];
    const { guard } = guardWith({}, async () => answers.shift() ?? []);
    expect(await guard.resolve('rebind.example')).to.have.length(1);
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const failure = await new Promise<Error & { code?: string }>((resolve, reject) => {
        const socket = connect({ host: 'rebind.example', port, lookup: guard.lookup });
        socket.once('connect', () => {
          socket.destroy();
          reject(new Error('connected to a rebound name'));
        });
        socket.once('error', resolve);
      });
      expect(failure.code).to.equal('EOUTBOUNDDENIED');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
