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

export interface ReadKubeconfigOptions {
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

/** Reads the cluster and token a kubeconfig context points at. Only bearer tokens are used. */
export function readKubeconfigContext(
  yamlText: string,
  options: ReadKubeconfigOptions = {},
): KubeconfigContext {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const resolvePath = (p: string) =>
    isAbsolute(p) || options.baseDir === undefined ? p : join(options.baseDir, p);
  let doc: KubeconfigDoc;
  try {
    doc = (parse(yamlText) ?? {}) as KubeconfigDoc;
  } catch (err) {
    throw invalid(`kubeconfig is not valid YAML: ${(err as Error).message}`);
  }
  const contextName = options.context ?? doc['current-context'];
  if (!contextName) throw invalid('kubeconfig has no current-context; name a context');
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw invalid(`kubeconfig has no context ${contextName}`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster) throw invalid(`kubeconfig has no cluster ${context.cluster ?? '(none)'}`);
  const user = doc.users?.find((u) => u.name === context.user)?.user ?? {};

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

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function invalid(message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', message, { reason: 'invalid_kubeconfig' });
}
