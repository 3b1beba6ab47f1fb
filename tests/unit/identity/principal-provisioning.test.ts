import { expect } from 'chai';
import { LoginService } from '../../../src/identity/login-service.js';
import { LoginThrottle } from '../../../src/identity/login-throttle.js';
import { createPrincipalProvisioner } from '../../../src/identity/principal-provisioning.js';
import { ProviderDispatcher, UNRESTRICTED } from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { FakeDirectory } from './fake-directory.js';
import { sessionFixture, testRuntime } from './fixtures.js';

describe('binding a directory user who never logged in', () => {
  it('makes the user the directory knows, and its first login becomes that user', async () => {
    const f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    const users = new UserRepository(f.store, runtime);
    const directory = new FakeDirectory();
    directory.add('carol', 'carol-pw', ['devs']);
    const providers = new ProviderDispatcher();
    providers.register({ provider: directory, access: UNRESTRICTED });
    const provision = createPrincipalProvisioner({ users, providers, runtime });

    const principal = 'openldap_user://uid=carol,dc=example';
    const userId = await provision(principal);
    expect(userId).to.match(/^u-[a-z0-9]{10}$/);
    expect(await provision(principal)).to.equal(userId);
    const made = (await users.get(userId!))!;
    expect(made).to.include({ username: 'carol', displayName: 'CAROL', provider: 'openldap' });
    expect(made).not.to.have.property('lastLoginAt');

    const login = new LoginService({
      users,
      providers,
      sessions: f.sessions,
      throttle: new LoginThrottle(f.store, {}, runtime),
      hasAnyMembership: async () => false,
      runtime,
    });
    const session = await login.login({
      provider: 'openldap',
      username: 'carol',
      password: 'carol-pw',
    });
    expect(session.userId).to.equal(userId);
    expect((await users.get(userId!))!.groups.map((g) => g.name)).to.deep.equal(['devs']);
  });

  it('makes nobody for a principal the directory does not know or cannot look up', async () => {
    const f = await sessionFixture();
    const users = new UserRepository(f.store);
    const providers = new ProviderDispatcher();
    providers.register({ provider: new FakeDirectory(), access: UNRESTRICTED });
    const provision = createPrincipalProvisioner({ users, providers });
    expect(await provision('openldap_user://uid=nobody,dc=example')).to.equal(undefined);
    expect(await provision('github_user://12345')).to.equal(undefined);
    expect(await provision('activedirectory_user://0b3c')).to.equal(undefined);
    expect(await users.list()).to.deep.equal([]);
  });
});
