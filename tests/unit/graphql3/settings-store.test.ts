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
      { name: 'default-image-registry', value: '', source: 'DEFAULT', readOnly: false },
      { name: 'kubeconfig-token-ttl-days', value: '30', source: 'DEFAULT', readOnly: false },
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

  it('forbids a user without settings-manage to change settings', async () => {
    const res = await harness.post(UPDATE, {
      token: 't-member',
      variables: { name: 'ui-banner', value: 'hi' },
    });
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
  });
});
