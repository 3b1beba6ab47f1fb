import { expect } from 'chai';
import {
  SETTING_SESSION_IDLE_TTL_MINUTES,
  SETTING_SESSION_TTL_MINUTES,
} from '../../../src/domain/settings-admin.js';
import type { PaddockError } from '../../../src/errors/index.js';
import { settingsSessionPolicy } from '../../../src/identity/session-policy.js';
import { createStoreSettings } from '../../../src/store/settings-store.js';
import { MemoryStore } from '../../support/memory-store.js';

describe('session settings', () => {
  it('uses the configured defaults until an administrator sets the settings', async () => {
    let now = 0;
    const settings = createStoreSettings({ store: new MemoryStore() });
    const policy = settingsSessionPolicy(settings, {
      defaults: { ttlSeconds: 7200, idleTtlSeconds: 0 },
      now: () => now,
    });
    expect(await policy.current()).to.deep.equal({ ttlSeconds: 7200, idleTtlSeconds: 0 });
    await settings.set(SETTING_SESSION_TTL_MINUTES, '30');
    await settings.set(SETTING_SESSION_IDLE_TTL_MINUTES, '5');
    // Reused for a second, then read again: no restart needed.
    expect((await policy.current()).ttlSeconds).to.equal(7200);
    now += 1000;
    expect(await policy.current()).to.deep.equal({ ttlSeconds: 1800, idleTtlSeconds: 300 });
    await settings.set(SETTING_SESSION_TTL_MINUTES, null);
    now += 1000;
    expect((await policy.current()).ttlSeconds).to.equal(7200);
  });

  it('refuses values outside the ranges, naming the setting', async () => {
    const settings = createStoreSettings({ store: new MemoryStore() });
    for (const [name, value] of [
      [SETTING_SESSION_TTL_MINUTES, '0'],
      [SETTING_SESSION_TTL_MINUTES, '43201'],
      [SETTING_SESSION_TTL_MINUTES, '1.5'],
      [SETTING_SESSION_IDLE_TTL_MINUTES, '-1'],
      [SETTING_SESSION_IDLE_TTL_MINUTES, 'ten'],
    ] as const) {
      let err: PaddockError | undefined;
      try {
        await settings.set(name, value);
      } catch (caught) {
        err = caught as PaddockError;
      }
      expect(err?.code, `${name}=${value}`).to.equal('VALIDATION_FAILED');
      expect(err?.message).to.contain(name);
    }
    expect((await settings.set(SETTING_SESSION_IDLE_TTL_MINUTES, '0')).value).to.equal('0');
    expect((await settings.set(SETTING_SESSION_TTL_MINUTES, '043200')).value).to.equal('43200');
  });
});
