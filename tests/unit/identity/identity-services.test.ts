import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  createIdentityServices,
  type IdentityServices,
} from '../../../src/identity/identity-services.js';
import { MemoryStore } from '../../support/memory-store.js';
import { FakeDirectory } from './fake-directory.js';
import { rejection, settle, TestClock, testBox, testRuntime } from './fixtures.js';

describe('createIdentityServices', () => {
  let services: IdentityServices;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    services = createIdentityServices({
      store: new MemoryStore({ now: clock.now }),
      secretBox: testBox,
      apiKeyPepper: randomBytes(32),
      issuer: 'https://paddock.test',
      hasAnyMembership: async () => false,
      runtime: testRuntime(clock),
    });
    await services.start();
  });
  afterEach(() => services.close());

  it('takes a fresh Paddock from bootstrap admin to a session, an API key and logout', async () => {
    const admin = await services.bootstrapAdmin('bootstrap password');
    if (!admin.created) throw new Error('expected an admin');
    const session = await services.login.login({
      provider: 'local',
      username: 'admin',
      password: 'bootstrap password',
    });
    const identity = await services.authenticator.authenticate({
      headers: { cookie: `paddock_session=${session.token}` },
    });
    expect(identity).to.include({
      userId: admin.userId,
      username: 'admin',
      provider: 'local',
      tokenKind: 'session',
    });
    expect(identity.principalIds).to.deep.equal([`local://${admin.userId}`]);

    const key = await services.apiKeys.create({ userId: admin.userId, description: 'ci' });
    expect(
      (
        await services.authenticator.authenticate({
          headers: { authorization: `Bearer ${key.token}` },
        })
      ).tokenId,
    ).to.equal(key.key.keyId);

    await services.login.logout(session.token);
    await settle();
    expect(
      (
        await rejection(
          services.authenticator.authenticate({
            headers: { cookie: `paddock_session=${session.token}` },
          }),
        )
      ).reason,
    ).to.equal('token_revoked');
  });

  it('logs in through a provider registered after start', async () => {
    const directory = new FakeDirectory();
    directory.add('carol', 'carol-pw', ['devs']);
    services.providers.register({
      provider: directory,
      access: { accessMode: 'unrestricted', allowedPrincipalIds: [] },
    });
    const result = await services.login.login({
      provider: 'openldap',
      username: 'carol',
      password: 'carol-pw',
    });
    const identity = await services.authenticator.authenticate({
      headers: { authorization: `Bearer ${result.token}` },
    });
    expect(identity.groupPrincipalIds).to.deep.equal(['openldap_group://cn=devs,dc=example']);
  });
});
