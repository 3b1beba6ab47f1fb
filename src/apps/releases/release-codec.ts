/**
 * Reads Helm 3 release records as Helm's Secret driver writes them: Secrets of type
 * `helm.sh/release.v1` labelled `owner=helm`, whose `release` key holds base64 of the gzipped
 * JSON release (inside the Secret's own base64). Labels carry name, status and revision, so a
 * list needs to decode only the newest revision of each release.
 */
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import type { ReleaseResource } from '../../domain/apps.js';
import type { KubeObject } from '../../domain/kube-api.js';
import { PaddockError } from '../../errors/index.js';

export const HELM_RELEASE_SECRET_TYPE = 'helm.sh/release.v1';
/** Release labels Paddock adds (`helm --labels`), kept on the release Secrets. */
export const CATALOG_LABEL = 'paddock.io/catalog-id';
export const MULTI_CLUSTER_APP_LABEL = 'paddock.io/multi-cluster-app';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly info: {
    readonly first_deployed?: string;
    readonly last_deployed?: string;
    readonly description?: string;
    readonly status?: string;
    readonly notes?: string;
  };
  readonly chart: { readonly metadata: { name: string; version: string; appVersion?: string } };
  readonly config?: Record<string, unknown> | null;
  readonly manifest?: string;
}

/** Label facts of a release Secret, read without decoding it. */
export interface ReleaseSecretLabels {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function releaseLabelsOf(secret: KubeObject): ReleaseSecretLabels | undefined {
  const labels = secret.metadata.labels ?? {};
  if (labels.owner !== 'helm' || secret.type !== HELM_RELEASE_SECRET_TYPE) return undefined;
  const revision = Number(labels.version);
  if (!labels.name || !Number.isInteger(revision)) return undefined;
  return {
    name: labels.name,
    namespace: secret.metadata.namespace ?? '',
    revision,
    status: labels.status ?? 'unknown',
    labels,
  };
}

export function decodeRelease(secret: KubeObject): HelmRelease {
  const data = (secret.data ?? {}) as Record<string, string>;
  const raw = data.release;
  if (typeof raw !== 'string') throw badRelease(secret, 'no release data');
  try {
    let bytes = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
    if (bytes.subarray(0, 3).equals(GZIP_MAGIC)) {
      bytes = gunzipSync(bytes, { maxOutputLength: 64 * 1024 * 1024 });
    }
    const release = JSON.parse(bytes.toString('utf8')) as HelmRelease;
    if (typeof release.name !== 'string' || typeof release.version !== 'number') {
      throw new Error('not a release');
    }
    return release;
  } catch (err) {
    throw badRelease(secret, err instanceof Error ? err.message : String(err));
  }
}

function badRelease(secret: KubeObject, why: string): PaddockError {
  return new PaddockError(
    'UPSTREAM_UNAVAILABLE',
    `release secret ${secret.metadata.namespace}/${secret.metadata.name} cannot be read: ${why}`,
    { reason: 'release_unreadable' },
  );
}

export function timeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

/** The objects a release manifest declares. */
export function resourcesOf(manifest: string | undefined, namespace: string): ReleaseResource[] {
  if (!manifest) return [];
  const out: ReleaseResource[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    const obj = doc.toJS() as {
      apiVersion?: string;
      kind?: string;
      metadata?: { name?: string; namespace?: string };
    } | null;
    if (!obj?.kind || !obj.apiVersion || !obj.metadata?.name) continue;
    out.push({
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? namespace,
    });
  }
  return out;
}
