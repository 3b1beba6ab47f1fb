import { expect } from 'chai';
import { AuthConfigSync } from '../../../src/identity/auth-config-sync.js';
import { AuthConfigStore } from '../../../src/identity/auth-configs.js';
import { LocalPasswordProvider } from '../../../src/identity/local-provider.js';
import { ProviderDispatcher, UNRESTRICTED } from '../../../src/identity/provider-dispatcher.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { MemoryStore } from '../../support/memory-store.js';
import { FakeDirectory } from './fake-directory.js';
import { settle, testBox } from './fixtures.js';

const ldapSettings = {
  servers: ['ldap.example'],
  serviceAccount: { bindDn: 'cn=svc,dc=example', password: 'svc-secret' },
};

describe('AuthConfigStore', () => {
  it('keeps secret settings sealed and never returns them', async () => {
    const store = new MemoryStore();
    const configs = new AuthConfigStore(store, testBox);
    const view = await configs.put({
      provider: 'openldap',
      accessMode: 'restricted',
      settings: ldapSettings,
    });
    expect(JSON.stringify(view)).not.to.contain('svc-secret');
    expect(view.secretsSet).to.deep.equal(['serviceAccount.password']);
    expect(view.settings).to.deep.equal({
      servers: ['ldap.example'],
      serviceAccount: { bindDn: 'cn=svc,dc=example' },
    });
    const raw = (await configs.collection.get('openldap'))!.value;
    expect(JSON.stringify(raw)).not.to.contain('svc-secret');
    expect(configs.openSettings(raw)).to.deep.equal(ldapSettings);
  });

  it('keeps the stored secret when an edit leaves it out', async () => {
    const configs = new AuthConfigStore(new MemoryStore(), testBox);
    await configs.put({ provider: 'openldap', settings: ldapSettings });
    await configs.put({
      provider: 'openldap',
      accessMode: 'required',
      settings: { servers: ['ldap2.example'], serviceAccount: { bindDn: 'cn=svc,dc=example' } },
    });
    const raw = (await configs.collection.get('openldap'))!.value;
    expect(raw.accessMode).to.equal('required');
    expect(configs.openSettings(raw)).to.deep.equal({
      ...ldapSettings,
      servers: ['ldap2.example'],
    });
  });

  it('seeds from the config file only providers the store does not have', async () => {
    const configs = new AuthConfigStore(new MemoryStore(), testBox);
    await configs.put({ provider: 'openldap', accessMode: 'required', settings: ldapSettings });
    const written = await configs.seed([
      { provider: 'openldap', settings: ldapSettings },
      { provider: 'github', settings: { clientId: 'id', clientSecret: 'gh-secret' } },
    ]);
    expect(written).to.deep.equal(['github']);
    expect((await configs.get('openldap'))!.accessMode).to.equal('required');
  });

  it('re-seals every secret under a new encryption key', async () => {
    const store = new MemoryStore();
    await new AuthConfigStore(store, testBox).put({ provider: 'openldap', settings: ldapSettings });
    const newKey = Buffer.alloc(32, 42);
    const rotating = new AesGcmSecretBox(newKey, { previousKeys: [Buffer.alloc(32, 7)] });
    expect(
      await new AuthConfigStore(store, rotating).reseal((s, a) => rotating.reseal(s, a)),
    ).to.equal(1);
    const onlyNew = new AuthConfigStore(store, new AesGcmSecretBox(newKey));
    expect(onlyNew.openSettings((await onlyNew.collection.get('openldap'))!.value)).to.deep.equal(
      ldapSettings,
    );
  });
});

describe('AuthConfigSync', () => {
  it('registers, re-registers and removes providers as their configs change', async () => {
    const store = new MemoryStore();
    const configs = new AuthConfigStore(store, testBox);
    const providers = new ProviderDispatcher();
    const local = new LocalPasswordProvider(new UserRepository(store));
    providers.register({ provider: local, access: UNRESTRICTED });
    const seen: unknown[] = [];
    const sync = new AuthConfigSync(configs, providers, {
      openldap: (settings) => {
        seen.push(settings);
        return new FakeDirectory();
      },
    });
    await configs.put({
      provider: 'openldap',
      accessMode: 'required',
      allowedPrincipalIds: ['openldap_group://x'],
      settings: ldapSettings,
    });
    await sync.start();
    expect(providers.get('openldap')?.access).to.deep.equal({
      accessMode: 'required',
      allowedPrincipalIds: ['openldap_group://x'],
    });
    expect(seen).to.deep.equal([ldapSettings]);

    await configs.put({ provider: 'openldap', enabled: false, settings: {} });
    await settle();
    await sync.refresh('openldap');
    expect(providers.get('openldap')).to.equal(undefined);

    await configs.put({ provider: 'local', accessMode: 'restricted', settings: {} });
    await settle();
    await sync.refresh('local');
    expect(providers.get('local')).to.include({ provider: local });
    expect(providers.get('local')!.access.accessMode).to.equal('restricted');
    await configs.delete('local');
    await settle();
    await sync.refresh('local');
    expect(providers.get('local')!.access).to.deep.equal(UNRESTRICTED);
    sync.close();
  });

  it('makes a provider with broken settings unavailable and reports why', async () => {
    const store = new MemoryStore();
    const configs = new AuthConfigStore(store, testBox);
    const providers = new ProviderDispatcher();
    const errors: string[] = [];
    const sync = new AuthConfigSync(
      configs,
      providers,
      {
        openldap: () => {
          throw new Error('servers: required');
        },
      },
      { onError: (err, name) => errors.push(`${name}: ${(err as Error).message}`) },
    );
    await configs.put({ provider: 'openldap', settings: {} });
    await sync.start();
    expect(providers.get('openldap')).to.equal(undefined);
    expect(errors).to.deep.equal(['openldap: servers: required']);
  });
});
