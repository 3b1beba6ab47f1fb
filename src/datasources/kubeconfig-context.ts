import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { PaddockError } from '../errors/index.js';

/** What one kubeconfig context says about reaching a cluster. */
export interface KubeconfigContext {
  readonly contextName: string;
  readonly endpoint: string;
  readonly caPem?: string;
  readonly tlsServerName?: string;
  readonly dangerouslySkipTlsVerify: boolean;
  /** The context user's bearer token. */
  readonly token: string;
}

/**
 * Whether the kubeconfig may name local files. `refuse`: it came through the API, so it may
 * carry only inline data, and every field that would make Paddock read a file or run a command
 * is refused by name. `read`: the operator's own file (`--import-kubeconfig`).
 */
export type KubeconfigFileAccess = 'refuse' | 'read';

export interface ReadKubeconfigOptions {
  readonly localFiles: KubeconfigFileAccess;
  /** Defaults to `current-context`. */
  readonly context?: string;
  /** Directory that relative `certificate-authority`/`tokenFile` paths are resolved against. */
  readonly baseDir?: string;
  readonly readFile?: (path: string) => string;
}

interface Named<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: Named<Record<string, unknown>>[];
  users?: Named<Record<string, unknown>>[];
  contexts?: Named<{ cluster?: string; user?: string }>[];
}

/** Fields that name a file or a command, and what to send instead. */
const CLUSTER_FILE_FIELDS: Readonly<Record<string, string>> = {
  'certificate-authority': 'inline the CA as certificate-authority-data',
};
const USER_FILE_FIELDS: Readonly<Record<string, string>> = {
  tokenFile: 'inline the token',
  'client-certificate': 'inline it as client-certificate-data',
  'client-key': 'inline it as client-key-data',
  exec: 'inline a token',
  'auth-provider': 'inline a token',
};

/** Reads the cluster and token a kubeconfig context points at. Only bearer tokens are used. */
export function readKubeconfigContext(
  yamlText: string,
  options: ReadKubeconfigOptions,
): KubeconfigContext {
  const readFile = (path: string) => {
    // Unreachable after the refusal above; kept so no future path can read in the API's mode.
    if (options.localFiles !== 'read') throw new Error('reading files is not allowed here');
    return (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
  };
  const resolvePath = (p: string) =>
    isAbsolute(p) || options.baseDir === undefined ? p : join(options.baseDir, p);
  let doc: KubeconfigDoc;
  try {
    doc = (parse(yamlText) ?? {}) as KubeconfigDoc;
  } catch (err) {
    throw invalid(`kubeconfig is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid('kubeconfig is not a mapping');
  // Anything but an explicit `read` is the API's mode: a caller that forgets cannot read files.
  if (options.localFiles !== 'read') refuseLocalReferences(doc);
  const contextName = options.context ?? doc['current-context'];
  if (!contextName) throw invalid('kubeconfig has no current-context; name a context');
  const context = listOf(doc.contexts).find((c) => c?.name === contextName)?.context;
  if (!context) throw invalid(`kubeconfig has no context ${contextName}`);
  const cluster = listOf(doc.clusters).find((c) => c?.name === context.cluster)?.cluster;
  if (!cluster) throw invalid(`kubeconfig has no cluster ${context.cluster ?? '(none)'}`);
  const user = listOf(doc.users).find((u) => u?.name === context.user)?.user ?? {};

  const endpoint = stringField(cluster, 'server');
  if (!endpoint) throw invalid(`cluster ${context.cluster} has no server`);
  const caData = stringField(cluster, 'certificate-authority-data');
  const caFile = stringField(cluster, 'certificate-authority');
  const caPem = caData
    ? Buffer.from(caData, 'base64').toString('utf8')
    : caFile
      ? readFile(resolvePath(caFile))
      : undefined;
  const tokenFile = stringField(user, 'tokenFile');
  const token = stringField(user, 'token') ?? (tokenFile ? readFile(resolvePath(tokenFile)) : '');
  if (!token.trim()) {
    throw invalid(`user ${context.user ?? '(none)'} of context ${contextName} has no bearer token`);
  }
  return {
    contextName,
    endpoint,
    caPem,
    tlsServerName: stringField(cluster, 'tls-server-name'),
    dangerouslySkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    token: token.trim(),
  };
}

/**
 * Refuses, naming the first one, any field of any cluster or user that would read a file or
 * run a command, whether or not the chosen context uses it: the API takes inline data only.
 */
function refuseLocalReferences(doc: KubeconfigDoc): void {
  const check = (
    entries: unknown,
    list: 'clusters' | 'users',
    key: 'cluster' | 'user',
    fields: Readonly<Record<string, string>>,
  ) => {
    listOf(entries as Named<Record<string, unknown>>[] | undefined).forEach((entry, i) => {
      const body = entry?.[key];
      if (body === null || typeof body !== 'object') return;
      for (const [field, instead] of Object.entries(fields)) {
        if ((body as Record<string, unknown>)[field] !== undefined) {
          throw new PaddockError(
            'VALIDATION_FAILED',
            `${list}[${i}].${key}.${field} is not accepted through the API; ${instead}`,
            {
              reason: 'kubeconfig_local_reference',
              details: { field: `${list}[${i}].${key}.${field}` },
            },
          );
        }
      }
    });
  };
  check(doc.clusters, 'clusters', 'cluster', CLUSTER_FILE_FIELDS);
  check(doc.users, 'users', 'user', USER_FILE_FIELDS);
}

function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function invalid(message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', message, { reason: 'invalid_kubeconfig' });
}
