import type { KubeconfigIssuer, KubeconfigRequest } from '../../domain/account.js';
import { type ApiKeyManager, assertMayMintCredentials } from '../../domain/api-key-manager.js';
import type { ClusterDirectory } from '../../domain/cluster-directory.js';
import type { Identity } from '../../domain/index.js';
import type { SettingsReader } from '../../domain/settings.js';
import {
  SETTING_KUBECONFIG_TOKEN_TTL_DAYS,
  SETTING_SERVER_URL,
} from '../../domain/settings-admin.js';
import { PaddockError } from '../../errors/index.js';
import { renderKubeconfig } from './render-kubeconfig.js';

export interface KubeconfigIssuerOptions {
  readonly clusters: ClusterDirectory;
  readonly apiKeys: ApiKeyManager;
  readonly settings: SettingsReader;
  /** Which clusters the caller may see. */
  readonly visibleClusterIds: (identity: Identity) => Promise<ReadonlySet<string> | 'all'>;
  /** CA of Paddock's serving certificate; undefined for a publicly trusted one. */
  readonly caPem: string | undefined;
  /** Paddock's public URL from configuration; wins over the setting and the request. */
  readonly serverUrl?: string;
  readonly now?: () => number;
}

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_TTL_DAYS = 30;

export function createKubeconfigIssuer(options: KubeconfigIssuerOptions): KubeconfigIssuer {
  const now = options.now ?? Date.now;
  return {
    async issue(request: KubeconfigRequest): Promise<string> {
      const { identity } = request;
      assertMayMintCredentials(identity);
      const wanted =
        request.clusterIds === undefined || request.clusterIds.length === 0
          ? undefined
          : new Set(request.clusterIds);
      const visible = await options.visibleClusterIds(identity);
      const clusters = (await options.clusters.list())
        .filter((c) => visible === 'all' || visible.has(c.id))
        .filter((c) => wanted === undefined || wanted.has(c.id));
      if (wanted !== undefined) {
        const missing = [...wanted].filter((id) => !clusters.some((c) => c.id === id));
        if (missing.length > 0) {
          throw new PaddockError(
            'NOT_FOUND',
            `no cluster you may see has the id ${missing.join(', ')}`,
            {
              reason: 'cluster_not_found',
            },
          );
        }
      }
      const setting = (await options.settings.get(SETTING_SERVER_URL))?.value;
      const serverUrl = (options.serverUrl ?? (setting || request.fallbackServerUrl) ?? '').replace(
        /\/+$/,
        '',
      );
      if (serverUrl === '') {
        throw new PaddockError(
          'BAD_REQUEST',
          'set the server-url setting before issuing kubeconfigs',
          {
            reason: 'server_url_unset',
          },
        );
      }
      const ttlDays = Number(
        (await options.settings.get(SETTING_KUBECONFIG_TOKEN_TTL_DAYS))?.value,
      );
      const scope = clusters.length === 1 && wanted !== undefined ? clusters[0]?.id : undefined;
      // Bounded by the API key it is downloaded with (expiry, revocation). A token downloaded
      // in a session is not bound to that session: see docs/adr/0018-derived-credentials.md.
      const parentKeyId = identity.tokenKind === 'api-key' ? identity.tokenId : undefined;
      const created = await options.apiKeys.create({
        userId: identity.userId,
        kind: 'kubeconfig',
        description: `kubeconfig for ${clusters.map((c) => c.id).join(', ') || 'no clusters'}`,
        expiresAt:
          now() + (Number.isFinite(ttlDays) && ttlDays > 0 ? ttlDays : DEFAULT_TTL_DAYS) * DAY_MS,
        ...(scope === undefined ? {} : { clusterId: scope }),
        ...(parentKeyId === undefined ? {} : { parentKeyId }),
        // One live token per credential and cluster set: a new download replaces the last.
        clusterSet: wanted === undefined ? '*' : [...wanted].sort().join(','),
        replacePrevious: true,
      });
      return renderKubeconfig({
        serverUrl,
        caPem: options.caPem,
        clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
        username: identity.username,
        token: created.token,
      });
    },
  };
}
