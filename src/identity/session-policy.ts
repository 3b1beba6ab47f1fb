/**
 * How long sessions live: the lifetime of a new session and the idle timeout of every session.
 * Both come from the `auth-user-session-ttl-minutes` and `auth-user-session-idle-ttl-minutes`
 * settings when an administrator set them, else from the configured defaults, so a change takes
 * effect on every replica without a restart.
 */

import type { SettingsReader } from '../domain/settings.js';
import {
  SETTING_SESSION_IDLE_TTL_MINUTES,
  SETTING_SESSION_TTL_MINUTES,
} from '../domain/settings-admin.js';
import type { Clock } from './runtime.js';

export interface SessionLimits {
  /** Lifetime of a session issued now. */
  readonly ttlSeconds: number;
  /** A session unused for this long ends; 0 = no idle timeout. */
  readonly idleTtlSeconds: number;
}

/** Answers the limits in force; cheap enough to ask on every verification. */
export interface SessionPolicy {
  current(): Promise<SessionLimits>;
}

/** The longest session a setting may ask for (30 days); signing keys are kept this long. */
export const MAX_SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** Fixed limits (tests, and the default before settings exist). */
export function fixedSessionPolicy(limits: SessionLimits): SessionPolicy {
  return { current: async () => limits };
}

export interface SettingsSessionPolicyOptions {
  readonly defaults: SessionLimits;
  readonly now?: Clock;
  /** How long one read of the settings is reused; default 1 s. */
  readonly cacheMs?: number;
}

/**
 * Limits read from the settings, reused for `cacheMs` so a busy replica reads them once a
 * second at most. A malformed stored value falls back to the default.
 */
export function settingsSessionPolicy(
  settings: SettingsReader,
  options: SettingsSessionPolicyOptions,
): SessionPolicy {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 1000;
  let cached: { at: number; limits: Promise<SessionLimits> } | undefined;
  const minutes = async (name: string, fallbackSeconds: number): Promise<number> => {
    const view = await settings.get(name);
    if (view === undefined || view.source === 'default') return fallbackSeconds;
    const value = Number(view.value);
    return Number.isInteger(value) && value >= 0 ? value * 60 : fallbackSeconds;
  };
  const read = async (): Promise<SessionLimits> => {
    const [ttlSeconds, idleTtlSeconds] = await Promise.all([
      minutes(SETTING_SESSION_TTL_MINUTES, options.defaults.ttlSeconds),
      minutes(SETTING_SESSION_IDLE_TTL_MINUTES, options.defaults.idleTtlSeconds),
    ]);
    return {
      ttlSeconds: Math.min(Math.max(ttlSeconds, 60), MAX_SESSION_TTL_SECONDS),
      idleTtlSeconds,
    };
  };
  return {
    current() {
      const at = now();
      if (cached === undefined || at - cached.at >= cacheMs) {
        const limits = read();
        cached = { at, limits };
        limits.catch(() => {
          if (cached?.limits === limits) cached = undefined;
        });
      }
      return cached.limits;
    },
  };
}
