import { expect } from 'chai';
import type {
  CredentialEvents,
  CredentialRevokedEvent,
} from '../../../src/domain/credential-events.js';
import type { Identity } from '../../../src/domain/identity.js';
import { PaddockError } from '../../../src/errors/index.js';
import { type GraphQLSocket, openGraphQLSocket } from '../../support/graphql-socket.js';
import { waitFor } from '../../support/wait-for.js';
import { createFakePorts, type FakePorts, identityOf, users } from './support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

/** What identity's change feed would announce, fired by hand. */
class ManualEvents implements CredentialEvents {
  readonly #listeners = new Set<(e: CredentialRevokedEvent) => void>();
  onRevoked(listener: (e: CredentialRevokedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(event: CredentialRevokedEvent): void {
    for (const l of this.#listeners) l(event);
  }
}

const member = users.find((u) => u.username === 'member')!;
const nobody = users.find((u) => u.username === 'nobody')!;

describe('GraphQL over WebSocket once the credential stops working', () => {
  let ports: FakePorts;
  let events: ManualEvents;
  let h: GraphQLHarness;
  const sockets: GraphQLSocket[] = [];
  const connect = (token: string) => {
    const s = openGraphQLSocket(h.base, token);
    sockets.push(s);
    return s;
  };
  /** A token of its own for each test, so revoking it touches no other test. */
  let seq = 0;
  const issue = (extra: Partial<Identity> = {}, view = member) => {
    seq += 1;
    const token = `t-key-${seq}`;
    const identity = identityOf(view, { tokenId: `key-${seq}`, tokenKind: 'api-key', ...extra });
    ports.tokens.set(token, identity);
    return { token, identity };
  };

  beforeEach(async () => {
    ports = createFakePorts();
    events = new ManualEvents();
    // A long periodic re-check: these tests see what per-operation checks and events do.
    h = await startGraphQLHarness({ ports, credentialEvents: events, recheckIntervalMs: 60_000 });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.dispose();
    await h.stop();
  });

  it('refuses the next operation of a socket whose key was revoked and closes it with 4403', async () => {
    const { token } = issue();
    const socket = connect(token);
    expect(await socket.query('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-member' } } });

    ports.tokens.delete(token); // revoked, and no event has arrived yet
    const calls = ports.authenticateCalls;
    const refused = await socket.query('{ me { id } }');

    expect(refused).to.not.have.property('data');
    expect(ports.authenticateCalls, 'the operation asked the authenticator').to.be.greaterThan(
      calls,
    );
    await waitFor('the close', () => socket.closed, { timeoutMs: 1_000 });
    expect(socket.closed?.code).to.equal(4403);
    expect(socket.closed?.reason).to.match(/^Forbidden: credential no longer valid/);
  });

  it('ends a running subscription with 4403 within a second when the key is revoked', async () => {
    const { token, identity } = issue();
    const socket = connect(token);
    await socket.subscribeToStatus();

    ports.tokens.delete(token);
    const revokedAt = Date.now();
    events.emit({ kind: 'token', tokenId: identity.tokenId });

    await waitFor('the close', () => socket.closed, { timeoutMs: 1_000 });
    expect(socket.closed?.code).to.equal(4403);
    expect(socket.closed!.at - revokedAt).to.be.lessThan(1_000);
    expect(socket.closed?.reason).to.equal('Forbidden: credential revoked');
  });

  it('closes every socket of a user who was disabled, and no other user’s', async () => {
    const first = connect(issue().token);
    const second = connect(issue({ tokenKind: 'session' }).token);
    const other = connect(issue({}, nobody).token);
    await first.subscribeToStatus();
    await other.query('{ me { id } }');
    await second.query('{ me { id } }');

    events.emit({ kind: 'user', userId: member.id });

    await waitFor('both closes', () => (first.closed && second.closed ? true : undefined), {
      timeoutMs: 1_000,
    });
    expect([first.closed?.code, second.closed?.code]).to.deep.equal([4403, 4403]);
    expect(await other.query('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-nobody' } } });
    expect(other.closed).to.equal(undefined);
  });

  it('closes the sessions issued before a sign-out-everywhere and keeps the one issued after', async () => {
    const old = connect(issue({ tokenKind: 'session', issuedAt: 1_000 }).token);
    const fresh = connect(issue({ tokenKind: 'session', issuedAt: 3_000 }).token);
    const key = connect(issue({ tokenKind: 'api-key' }).token);
    await Promise.all([old, fresh, key].map((s) => s.query('{ me { id } }')));

    events.emit({ kind: 'sessions-cut', userId: member.id, issuedBefore: 2_000 });

    await waitFor('the old session’s close', () => old.closed, { timeoutMs: 1_000 });
    expect(old.closed?.reason).to.equal('Forbidden: signed out everywhere');
    expect(await fresh.query('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-member' } } });
    expect(await key.query('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-member' } } });
  });

  it('closes a socket whose user lost a group when a re-check is announced', async () => {
    const { token, identity } = issue();
    const socket = connect(token);
    await socket.subscribeToStatus();

    // The group refresh dropped `devs`: the subscription still runs with it until closed.
    ports.tokens.set(token, {
      ...identity,
      principalIds: identity.principalIds.filter((p) => !p.includes('devs')),
      groupPrincipalIds: [],
    });
    events.emit({ kind: 'recheck', userId: member.id });

    await waitFor('the close', () => socket.closed, { timeoutMs: 1_000 });
    expect(socket.closed).to.include({ code: 4403, reason: 'Forbidden: groups changed' });
  });

  it('keeps a socket open when a re-check finds the credential as good as before', async () => {
    const { token } = issue();
    const socket = connect(token);
    await socket.query('{ me { id } }');
    const calls = ports.authenticateCalls;

    events.emit({ kind: 'recheck' });

    await waitFor('the re-check', () => (ports.authenticateCalls > calls ? true : undefined));
    expect(await socket.query('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-member' } } });
    expect(socket.closed).to.equal(undefined);
  });

  it('answers an operation with an error but keeps the socket when the credential cannot be checked', async () => {
    const { token } = issue();
    const socket = connect(token);
    await socket.query('{ me { id } }');
    const authenticate = ports.authenticator.authenticate.bind(ports.authenticator);
    ports.authenticator.authenticate = async () => {
      throw new PaddockError('STORE_UNAVAILABLE', 'the store did not answer');
    };
    try {
      const out = await socket.query('{ me { id } }');
      expect(out.errors?.[0]).to.deep.include({ message: 'the store did not answer' });
    } finally {
      ports.authenticator.authenticate = authenticate;
    }
    expect(await socket.query('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-member' } } });
    expect(socket.closed).to.equal(undefined);
  });
});

describe('GraphQL over WebSocket without any revocation event', () => {
  it('closes a socket at the periodic re-check once its credential stopped working', async () => {
    const ports = createFakePorts();
    ports.tokens.set('t-quiet', identityOf(member, { tokenId: 'quiet', tokenKind: 'api-key' }));
    const h = await startGraphQLHarness({ ports, recheckIntervalMs: 200 });
    const socket = openGraphQLSocket(h.base, 't-quiet');
    try {
      await socket.subscribeToStatus();
      ports.tokens.delete('t-quiet');
      await waitFor('the close', () => socket.closed, { timeoutMs: 1_000 });
      expect(socket.closed?.code).to.equal(4403);
      const logged = h.logs.find((l) => l.obj.streams === 'GraphQL WebSockets');
      expect(logged?.obj).to.include({ userId: 'u-member', closed: 1 });
      expect(JSON.stringify(h.logs)).not.to.include('t-quiet');
    } finally {
      await socket.dispose();
      await h.stop();
    }
  });
});
