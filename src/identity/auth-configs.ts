/**
 * Provider configuration in the store: one record per provider, its secret fields (bind
 * password, client secret) sealed by the SecretBox. Seeded from the YAML file at start, edited
 * later through GraphQL, and never returned with its secrets.
 */
import type { AccessMode, ProviderName } from '../domain/principal.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { type AuthConfigRecord, authConfigsCollection } from './collections.js';
import { getPath, withPath } from './object-path.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';

export interface AuthConfigInput {
  readonly provider: ProviderName;
  readonly enabled?: boolean;
  readonly accessMode?: AccessMode;
  readonly allowedPrincipalIds?: readonly string[];
  readonly groupRefreshMaxAgeSeconds?: number;
  /** Plain settings; a secret path left out keeps the stored secret. */
  readonly settings: Record<string, unknown>;
}

/** What callers outside identity see: secrets replaced by whether they are set. */
export interface AuthConfigView extends Omit<AuthConfigRecord, 'sealedPaths'> {
  readonly secretsSet: readonly string[];
}

/** Dot-separated paths of the secret fields of each provider's settings. */
export const DEFAULT_SECRET_PATHS: Readonly<Partial<Record<ProviderName, readonly string[]>>> = {
  openldap: ['serviceAccount.password'],
  activedirectory: ['serviceAccount.password'],
  github: ['clientSecret'],
  oidc: ['clientSecret'],
};

export class AuthConfigStore {
  readonly collection: Collection<AuthConfigRecord>;
  private readonly box: SecretBox;
  private readonly secretPaths: Readonly<Partial<Record<string, readonly string[]>>>;
  private readonly runtime: IdentityRuntime;

  constructor(
    store: Store,
    box: SecretBox,
    options: {
      secretPaths?: Readonly<Partial<Record<string, readonly string[]>>>;
      runtime?: IdentityRuntime;
    } = {},
  ) {
    this.collection = store.collection(authConfigsCollection);
    this.box = box;
    this.secretPaths = options.secretPaths ?? DEFAULT_SECRET_PATHS;
    this.runtime = options.runtime ?? systemRuntime;
  }

  async get(provider: string): Promise<AuthConfigView | undefined> {
    const record = (await this.collection.get(provider))?.value;
    return record ? toView(record) : undefined;
  }

  async list(): Promise<AuthConfigView[]> {
    return (await this.collection.list()).map((r) => toView(r.value));
  }

  /** Creates or replaces a provider's config; omitted secrets keep their stored value. */
  async put(input: AuthConfigInput): Promise<AuthConfigView> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.collection.get(input.provider);
      const record = this.sealed(input, current?.value);
      try {
        const written = current
          ? await this.collection.update(input.provider, record, {
              resourceVersion: current.resourceVersion,
            })
          : await this.collection.create(input.provider, record);
        return toView(written.value);
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
      }
    }
  }

  /** Writes configs from the YAML file for providers that have none yet; returns those written. */
  async seed(inputs: readonly AuthConfigInput[]): Promise<string[]> {
    const written: string[] = [];
    for (const input of inputs) {
      try {
        await this.collection.create(input.provider, this.sealed(input, undefined));
        written.push(input.provider);
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT')) throw err; // the store's copy wins over the file
      }
    }
    return written;
  }

  async delete(provider: string): Promise<boolean> {
    return this.collection.delete(provider);
  }

  /** The settings with secrets in the clear, for building the provider. Never log the result. */
  openSettings(record: AuthConfigRecord): Record<string, unknown> {
    let settings = record.settings;
    for (const path of record.sealedPaths) {
      const sealed = getPath(settings, path);
      if (typeof sealed === 'string') {
        settings = withPath(settings, path, this.box.open(sealed, aad(record.provider, path)));
      }
    }
    return settings;
  }

  /** Re-seals every stored secret under the box's current key (after a key rotation). */
  async reseal(reseal: (sealed: string, associatedData: string) => string): Promise<number> {
    let count = 0;
    for (const { id, value, resourceVersion } of await this.collection.list()) {
      let settings = value.settings;
      for (const path of value.sealedPaths) {
        const sealed = getPath(settings, path);
        if (typeof sealed === 'string')
          settings = withPath(settings, path, reseal(sealed, aad(value.provider, path)));
      }
      if (JSON.stringify(settings) === JSON.stringify(value.settings)) continue;
      await this.collection.update(id, { ...value, settings }, { resourceVersion });
      count++;
    }
    return count;
  }

  private sealed(input: AuthConfigInput, current: AuthConfigRecord | undefined): AuthConfigRecord {
    if (
      input.accessMode !== undefined &&
      !['unrestricted', 'restricted', 'required'].includes(input.accessMode)
    ) {
      throw new PaddockError('VALIDATION_FAILED', `unknown access mode ${input.accessMode}`);
    }
    let settings = input.settings;
    const sealedPaths: string[] = [];
    for (const path of this.secretPaths[input.provider] ?? []) {
      const plain = getPath(settings, path);
      if (typeof plain === 'string' && plain.length > 0) {
        settings = withPath(settings, path, this.box.seal(plain, aad(input.provider, path)));
        sealedPaths.push(path);
        continue;
      }
      const kept = current?.sealedPaths.includes(path)
        ? getPath(current.settings, path)
        : undefined;
      settings = withPath(settings, path, kept);
      if (kept !== undefined) sealedPaths.push(path);
    }
    return {
      provider: input.provider,
      enabled: input.enabled ?? current?.enabled ?? true,
      accessMode: input.accessMode ?? current?.accessMode ?? 'unrestricted',
      allowedPrincipalIds: [...(input.allowedPrincipalIds ?? current?.allowedPrincipalIds ?? [])],
      ...(input.groupRefreshMaxAgeSeconds === undefined
        ? current?.groupRefreshMaxAgeSeconds === undefined
          ? {}
          : { groupRefreshMaxAgeSeconds: current.groupRefreshMaxAgeSeconds }
        : { groupRefreshMaxAgeSeconds: input.groupRefreshMaxAgeSeconds }),
      settings,
      sealedPaths,
      updatedAt: this.runtime.now(),
    };
  }
}

function aad(provider: string, path: string): string {
  return `auth-config:${provider}/${path}`;
}

function toView(record: AuthConfigRecord): AuthConfigView {
  const { sealedPaths, ...rest } = record;
  let settings = rest.settings;
  for (const path of sealedPaths) settings = withPath(settings, path, undefined);
  return { ...rest, settings, secretsSet: [...sealedPaths] };
}
