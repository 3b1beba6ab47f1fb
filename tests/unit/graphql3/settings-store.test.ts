import { expect } from 'chai';
import { createStoreSettings } from '../../../src/store/settings-store.js';
import { MemoryStore } from '../../support/memory-store.js';
import { createFakePorts } from '../graphql/support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from '../graphql/support/graphql-harness.js';

const UPDATE = `mutation($name: String!, $value: String) {
  updateSetting(name: $name, value: $value) { name value defaultValue source readOnly } }`;

describe('settings kept in the store', () => {
  let harness: GraphQLHarness;

  beforeEach(async () => {
    const store = new MemoryStore();
    const fixed = { 'server-url': 'https://paddock.example' };
    harness = await startGraphQLHarness({
      ports: {
        ...createFakePorts(),
        settings: createStoreSettings({ store, fixed }),
        settingsAdmin: createStoreSettings({ store, fixed, now: () => 5 }),
      },
    });
  });
  afterEach(() => harness.stop());

  it('lists every known setting with its default before anything is set', async () => {
    const res = await harness.post('{ settings { name value source readOnly } }', {
      token: 't-member',
    });
    // Other settings join the catalogue over time; these must be there with their defaults.
    expect(res.json.data?.settings).to.deep.include.members([
      { name: 'cluster-import-ttl-minutes', value: '1440', source: 'DEFAULT', readOnly: false },
      { name: 'default-image-registry', value: '', source: 'DEFAULT', readOnly: false },
      { name: 'kubeconfig-token-ttl-days', value: '30', source: 'DEFAULT', readOnly: false },
      { name: 'outbound-allowed-networks', value: '', source: 'DEFAULT', readOnly: false },
      {
        name: 'outbound-denied-networks',
        value:
          '0.0.0.0/8, 169.254.0.0/16, 100.100.100.200/32, 224.0.0.0/4, 255.255.255.255/32, ::/128, fe80::/10, fd00:ec2::254/128, ff00::/8',
        source: 'DEFAULT',
        readOnly: false,
      },
      { name: 'server-url', value: 'https://paddock.example', source: 'CONFIG', readOnly: true },
      { name: 'ui-banner', value: '', source: 'DEFAULT', readOnly: false },
      { name: 'auth-user-session-ttl-minutes', value: '960', source: 'DEFAULT', readOnly: false },
      {
        name: 'auth-user-session-idle-ttl-minutes',
        value: '0',
        source: 'DEFAULT',
        readOnly: false,
      },
    ]);
  });

  it('stores a changed setting, shows it to readers and resets it with null', async () => {
    const set = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'kubeconfig-token-ttl-days', value: '7' },
    });
    expect(set.json.data?.updateSetting).to.deep.equal({
      name: 'kubeconfig-token-ttl-days',
      value: '7',
      defaultValue: '30',
      source: 'STORE',
      readOnly: false,
    });
    const read = await harness.post('{ setting(name: "kubeconfig-token-ttl-days") { value } }', {
      token: 't-member',
    });
    expect(read.json.data?.setting).to.deep.equal({ value: '7' });
    const reset = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'kubeconfig-token-ttl-days', value: null },
    });
    expect(reset.json.data?.updateSetting).to.deep.include({ value: '30', source: 'DEFAULT' });
  });

  it('refuses to change a setting fixed by configuration', async () => {
    const res = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'server-url', value: 'https://elsewhere.example' },
    });
    expect(res.json.errors?.[0]?.extensions).to.deep.include({
      code: 'FORBIDDEN',
      reason: 'read_only',
    });
  });

  it('refuses an invalid value and an unknown name', async () => {
    const bad = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'kubeconfig-token-ttl-days', value: '-1' },
    });
    expect(bad.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    const unknown = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'no-such-setting', value: 'x' },
    });
    expect(unknown.json.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
  });

  it('normalises a network list and refuses an entry that is not a CIDR block, naming it', async () => {
    const set = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'outbound-allowed-networks', value: '10.0.0.0/8 192.168.1.7,fd00::/8' },
    });
    expect(set.json.errors).to.equal(undefined);
    expect((set.json.data?.updateSetting as { value: string } | undefined)?.value).to.equal(
      '10.0.0.0/8, 192.168.1.7/32, fd00::/8',
    );
    for (const value of ['10.0.0.0/33', 'example.org', '10.0.0.0/8/1', '::1/129']) {
      const bad = await harness.post(UPDATE, {
        token: 't-admin',
        variables: { name: 'outbound-denied-networks', value },
      });
      expect(bad.json.errors?.[0]?.extensions?.code, value).to.equal('BAD_USER_INPUT');
      expect(bad.json.errors?.[0]?.message).to.contain(value);
    }
    const ttl = await harness.post(UPDATE, {
      token: 't-admin',
      variables: { name: 'cluster-import-ttl-minutes', value: '1' },
    });
    expect(ttl.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('forbids a user without settings-manage to change settings', async () => {
    const res = await harness.post(UPDATE, {
      token: 't-member',
      variables: { name: 'ui-banner', value: 'hi' },
    });
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
  });
});
