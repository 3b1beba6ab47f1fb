import { expect } from 'chai';
import { OpenStreams } from '../../../src/authproxy/index.js';
import type { AuthRequest, Identity } from '../../../src/domain/identity.js';
import { PaddockError } from '../../../src/errors/index.js';
import { waitFor } from '../../support/wait-for.js';
import { type LogLine, memoryLogger } from '../graphql/support/graphql-harness.js';
import { identity, MapAuthenticator } from './support/map-authenticator.js';

const bearer = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` } });

describe('OpenStreams', () => {
  let auth: MapAuthenticator;
  let logs: LogLine[];
  let streams: OpenStreams;
  let closed: Map<string, string>;
  /** Opens a stream for `token` (registered as `who`) and records how it ends. */
  const open = (token: string, who: Identity) => {
    auth.tokens.set(token, who);
    return streams.add(who, bearer(token), (reason) => closed.set(token, reason));
  };

  beforeEach(() => {
    auth = new MapAuthenticator();
    logs = [];
    closed = new Map();
    streams = new OpenStreams({
      authenticator: auth,
      logger: memoryLogger(logs),
      credentialEvents: auth,
      recheckIntervalMs: 60_000,
    });
  });
  afterEach(() => streams.close());

  it('closes the streams of a revoked token only, and logs the user and reason without the token', () => {
    open('secret-a', identity('u-a', { tokenId: 'key-a' }));
    open('secret-b', identity('u-a', { tokenId: 'key-b' }));
    auth.announce({ kind: 'token', tokenId: 'key-a' });
    expect([...closed]).to.deep.equal([['secret-a', 'credential revoked']]);
    expect(logs.map((l) => l.obj)).to.deep.equal([
      {
        userId: 'u-a',
        tokenKind: 'api-key',
        closed: 1,
        reason: 'credential revoked',
        streams: 'proxied streams',
      },
    ]);
    expect(JSON.stringify(logs)).not.to.include('secret-a');
  });

  it('closes only the sessions a sign-out-everywhere cut', () => {
    const session = (userId: string, tokenId: string, issuedAt: number) =>
      identity(userId, { tokenId, tokenKind: 'session', issuedAt });
    open('old', session('u-a', 's-old', 1_000));
    open('new', session('u-a', 's-new', 3_000));
    open('key', identity('u-a', { tokenId: 'key-a' }));
    open('other', session('u-b', 's-other', 1_000));
    auth.announce({ kind: 'sessions-cut', userId: 'u-a', issuedBefore: 2_000 });
    expect([...closed]).to.deep.equal([['old', 'signed out everywhere']]);
    expect(streams.size).to.equal(3);
  });

  it('closes a stream whose user lost a group on a re-check, and keeps the user’s others', async () => {
    const before = identity('u-a', { tokenId: 'key-a' });
    open('a', before);
    open('b', identity('u-a', { tokenId: 'key-b', principalIds: ['local://u-a'] }));
    auth.tokens.set('a', { ...before, principalIds: ['local://u-a'], groupPrincipalIds: [] });
    auth.announce({ kind: 'recheck', userId: 'u-a' });
    await streams.settled();
    expect([...closed]).to.deep.equal([['a', 'groups changed']]);
  });

  it('re-checks everybody on a re-check without a user', async () => {
    open('a', identity('u-a', { tokenId: 'key-a' }));
    open('b', identity('u-b', { tokenId: 'key-b' }));
    auth.tokens.delete('a');
    auth.tokens.delete('b');
    auth.announce({ kind: 'recheck' });
    await streams.settled();
    expect([...closed.keys()].sort()).to.deep.equal(['a', 'b']);
    expect(closed.get('a')).to.equal('credential no longer valid (token_invalid)');
  });

  it('keeps streams open when a re-check cannot reach the store', async () => {
    open('a', identity('u-a', { tokenId: 'key-a' }));
    auth.authenticate = async () => {
      throw new PaddockError('STORE_UNAVAILABLE', 'down');
    };
    auth.announce({ kind: 'recheck' });
    await streams.settled();
    expect(closed.size).to.equal(0);
  });

  it('closes a stream whose credential expired at the next re-check', async () => {
    open('a', identity('u-a', { tokenId: 'key-a', expiresAt: Date.now() - 1 }));
    auth.announce({ kind: 'recheck', userId: 'u-a' });
    await streams.settled();
    expect(closed.get('a')).to.equal('credential expired');
  });

  // Regression guard: a revocation delivered while the stream was still being authenticated
  // found nothing to close, and the stream then lived until the periodic re-check.
  it('re-checks a stream added just after an event that concerned it', async () => {
    const who = identity('u-a', { tokenId: 'key-a' });
    auth.tokens.set('a', who);
    const admitted = await auth.authenticate(bearer('a'));
    auth.revoke('a'); // the event arrives before the stream is tracked
    streams.add(admitted, bearer('a'), (reason) => closed.set('a', reason));
    await streams.settled();
    expect(closed.get('a')).to.equal('credential no longer valid (token_invalid)');
  });

  it('does not lose a re-check asked for while another one is running', async () => {
    open('a', identity('u-a', { tokenId: 'key-a' }));
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const authenticate = auth.authenticate.bind(auth);
    let started = 0;
    auth.authenticate = async (req) => {
      // Answers as of the moment it was asked, but only once released.
      const answer = authenticate(req);
      started += 1;
      await slow;
      return answer;
    };
    auth.announce({ kind: 'recheck' });
    await waitFor('the first re-check to start', () => (started === 1 ? true : undefined));
    auth.tokens.delete('a');
    auth.announce({ kind: 'recheck', userId: 'u-a' });
    release();
    await streams.settled();
    expect(started).to.equal(2);
    expect(closed.get('a')).to.match(/^credential no longer valid/);
  });
});
