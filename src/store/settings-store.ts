/**
 * Paddock's global settings kept in the store: a fixed catalogue of names, each with a default,
 * an optional value set at run time, and an optional value fixed by configuration (which wins
 * and makes the setting read-only). Implements the `SettingsAdmin` port.
 */

import { SETTING_CLUSTER_IMPORT_TTL_MINUTES } from '../domain/cluster-admin.js';
import {
  SETTING_FLEET_INDEX_CUSTOM_KINDS,
  SETTING_FLEET_INDEX_ENABLED,
  SETTING_FLEET_INDEX_LIVE_CLUSTERS,
} from '../domain/fleet-index.js';
import {
  DEFAULT_OUTBOUND_DENIED_NETWORKS,
  formatNetworkList,
  parseNetworkList,
  SETTING_OUTBOUND_ALLOWED_NETWORKS,
  SETTING_OUTBOUND_DENIED_NETWORKS,
} from '../domain/outbound-guard.js';
import type { SettingView } from '../domain/settings.js';
import {
  SETTING_DEFAULT_IMAGE_REGISTRY,
  SETTING_KUBECONFIG_TOKEN_TTL_DAYS,
  SETTING_SERVER_URL,
  SETTING_SESSION_IDLE_TTL_MINUTES,
  SETTING_SESSION_TTL_MINUTES,
  SETTING_UI_BANNER,
  type SettingsAdmin,
} from '../domain/settings-admin.js';
import type { Collection, CollectionSpec, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';

export interface SettingDefinition {
  readonly name: string;
  readonly description: string;
  readonly defaultValue: string;
  /** The value as stored, or VALIDATION_FAILED. */
  readonly normalize?: (value: string) => string;
}

export interface SettingRecord {
  readonly value: string;
  /** Epoch milliseconds. */
  readonly updatedAt: number;
}

export const settingsCollection: CollectionSpec<SettingRecord> = { name: 'settings' };

function invalid(name: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${name}: ${message}`, {
    reason: 'invalid_setting',
    details: { name },
  });
}

/** The non-empty, trimmed items of a comma-separated setting. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The settings Paddock reads. */
export const PADDOCK_SETTINGS: readonly SettingDefinition[] = [
  {
    name: SETTING_SERVER_URL,
    description: 'Public URL of Paddock, written into kubeconfigs and import manifest URLs',
    defaultValue: '',
    normalize: (value) => {
      if (value === '') return value;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw invalid(SETTING_SERVER_URL, 'must be an absolute URL');
      }
      if (!['https:', 'http:'].includes(url.protocol) || url.search || url.hash || url.username) {
        throw invalid(SETTING_SERVER_URL, 'must be an http(s) URL without query or credentials');
      }
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    },
  },
  {
    name: SETTING_DEFAULT_IMAGE_REGISTRY,
    description: 'Registry prepended to image names without one when deploying workloads',
    defaultValue: '',
    normalize: (value) => {
      if (value !== '' && !/^[a-z0-9.-]+(:[0-9]{1,5})?(\/[a-z0-9._/-]+)?$/i.test(value)) {
        throw invalid(SETTING_DEFAULT_IMAGE_REGISTRY, 'must be a registry host[:port][/path]');
      }
      return value;
    },
  },
  {
    name: SETTING_KUBECONFIG_TOKEN_TTL_DAYS,
    description: 'Days a kubeconfig token stays valid',
    defaultValue: '30',
    normalize: (value) => {
      const days = Number(value);
      if (!/^[0-9]+$/.test(value) || days < 1 || days > 3650) {
        throw invalid(
          SETTING_KUBECONFIG_TOKEN_TTL_DAYS,
          'must be a whole number of days, 1 to 3650',
        );
      }
      return String(days);
    },
  },
  {
    name: SETTING_UI_BANNER,
    description: 'Text shown at the top of every page of the UI',
    defaultValue: '',
    normalize: (value) => {
      if (value.length > 500) throw invalid(SETTING_UI_BANNER, 'must be at most 500 characters');
      return value;
    },
  },
  {
    name: SETTING_SESSION_TTL_MINUTES,
    description:
      'Minutes a new login session lasts at most (1 to 43200); existing sessions keep theirs',
    defaultValue: '960',
    normalize: (value) => wholeMinutes(SETTING_SESSION_TTL_MINUTES, value, 1, 43_200),
  },
  {
    name: SETTING_SESSION_IDLE_TTL_MINUTES,
    description:
      'Minutes after which an unused session ends, for every session (1 to 43200; 0 = never)',
    defaultValue: '0',
    normalize: (value) => wholeMinutes(SETTING_SESSION_IDLE_TTL_MINUTES, value, 0, 43_200),
  },
  {
    name: SETTING_OUTBOUND_ALLOWED_NETWORKS,
    description:
      'CIDR blocks Paddock may connect to for users (cluster endpoints, auth config tests); empty = any not denied',
    defaultValue: '',
    normalize: (value) =>
      formatNetworkList(parseNetworkList(value, SETTING_OUTBOUND_ALLOWED_NETWORKS)),
  },
  {
    name: SETTING_OUTBOUND_DENIED_NETWORKS,
    description:
      'CIDR blocks Paddock never connects to for users; wins over the allowed networks (default: link-local and metadata addresses)',
    defaultValue: DEFAULT_OUTBOUND_DENIED_NETWORKS,
    normalize: (value) =>
      formatNetworkList(parseNetworkList(value, SETTING_OUTBOUND_DENIED_NETWORKS)),
  },
  {
    name: SETTING_CLUSTER_IMPORT_TTL_MINUTES,
    description: 'Minutes a cluster import may stay pending or never active before it is removed',
    defaultValue: '1440',
    normalize: (value) => {
      const minutes = Number(value);
      if (!/^[0-9]+$/.test(value) || minutes < 5 || minutes > 525_600) {
        throw invalid(
          SETTING_CLUSTER_IMPORT_TTL_MINUTES,
          'must be a whole number of minutes, 5 to 525600',
        );
      }
      return String(minutes);
    },
  },
  {
    name: SETTING_FLEET_INDEX_ENABLED,
    description: 'Answer fleet-wide lists from the fleet index (false: read every cluster live)',
    defaultValue: 'true',
    normalize: (value) => {
      if (value !== 'true' && value !== 'false') {
        throw invalid(SETTING_FLEET_INDEX_ENABLED, 'must be true or false');
      }
      return value;
    },
  },
  {
    name: SETTING_FLEET_INDEX_LIVE_CLUSTERS,
    description:
      'Cluster ids (comma-separated, or *) whose authorization is not RBAC alone (a webhook): their lists are always read live',
    defaultValue: '',
    normalize: (value) => {
      const ids = commaList(value);
      if (ids.some((id) => id !== '*' && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(id))) {
        throw invalid(
          SETTING_FLEET_INDEX_LIVE_CLUSTERS,
          'must be cluster ids or *, comma-separated',
        );
      }
      return ids.join(',');
    },
  },
  {
    name: SETTING_FLEET_INDEX_CUSTOM_KINDS,
    description:
      'Custom resources the fleet index follows, as <resource>.<group>/<version>, comma-separated (the manager account needs list and watch on them)',
    defaultValue: '',
    normalize: (value) => {
      const kinds = commaList(value);
      const bad = kinds.find((k) => !/^[a-z0-9-]+\.[a-z0-9.-]+\/[a-z0-9]+$/.test(k));
      if (bad !== undefined) {
        throw invalid(
          SETTING_FLEET_INDEX_CUSTOM_KINDS,
          `${bad} is not <resource>.<group>/<version> (e.g. certificates.cert-manager.io/v1)`,
        );
      }
      return kinds.join(',');
    },
  },
];

function wholeMinutes(name: string, value: string, min: number, max: number): string {
  const minutes = Number(value);
  if (!/^[0-9]{1,6}$/.test(value) || minutes < min || minutes > max) {
    throw invalid(name, `must be a whole number of minutes, ${min} to ${max}`);
  }
  return String(minutes);
}

export interface StoreSettingsOptions {
  readonly store: Store;
  readonly definitions?: readonly SettingDefinition[];
  /** Values fixed by configuration; undefined entries are not fixed. */
  readonly fixed?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
}

export function createStoreSettings(options: StoreSettingsOptions): SettingsAdmin {
  const definitions = new Map(
    (options.definitions ?? PADDOCK_SETTINGS).map((d) => [d.name, d] as const),
  );
  const collection = options.store.collection(settingsCollection);
  const now = options.now ?? Date.now;
  const fixedValue = (name: string) => options.fixed?.[name];

  const view = (def: SettingDefinition, stored: SettingRecord | undefined): SettingView => {
    const fixed = fixedValue(def.name);
    if (fixed !== undefined) {
      return { ...describe(def), value: fixed, source: 'config', readOnly: true };
    }
    return stored === undefined
      ? { ...describe(def), value: def.defaultValue, source: 'default', readOnly: false }
      : { ...describe(def), value: stored.value, source: 'store', readOnly: false };
  };

  return {
    async list() {
      const stored = new Map((await collection.list()).map((r) => [r.id, r.value] as const));
      return [...definitions.values()].map((def) => view(def, stored.get(def.name)));
    },
    async get(name) {
      const def = definitions.get(name);
      if (def === undefined) return undefined;
      return view(def, (await collection.get(name))?.value);
    },
    async set(name, value) {
      const def = definitions.get(name);
      if (def === undefined) {
        throw new PaddockError('NOT_FOUND', `no setting named ${name}`, {
          reason: 'setting_not_found',
        });
      }
      if (fixedValue(name) !== undefined) {
        throw new PaddockError('FORBIDDEN', `${name} is fixed by configuration`, {
          reason: 'read_only',
          details: { name },
        });
      }
      if (value === null) {
        await collection.delete(name);
        return view(def, undefined);
      }
      const record: SettingRecord = { value: def.normalize?.(value) ?? value, updatedAt: now() };
      await upsert(collection, name, record);
      return view(def, record);
    },
  };
}

function describe(def: SettingDefinition) {
  return { name: def.name, description: def.description, defaultValue: def.defaultValue };
}

/** Last writer wins: a setting is one value, not a merge. */
export async function upsert<T>(collection: Collection<T>, id: string, value: T): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await collection.get(id)) === undefined) await collection.create(id, value);
      else await collection.update(id, value);
      return;
    } catch (err) {
      // Another replica created or deleted it between the read and the write.
      const raced = hasErrorCode(err, 'CONFLICT') || hasErrorCode(err, 'NOT_FOUND');
      if (!raced || attempt >= 5) throw err;
    }
  }
}
