import { PaddockError } from '../errors/index.js';
import { type ClusterCallTarget, callCluster } from './cluster-request.js';
import {
  IMPERSONATOR_TOKEN_SECRET,
  importManifestObjects,
  MANAGER_TOKEN_SECRET,
  PADDOCK_NAMESPACE,
} from './import-manifest.js';

const collectionPaths: Record<string, string> = {
  Namespace: '/api/v1/namespaces',
  ServiceAccount: `/api/v1/namespaces/${PADDOCK_NAMESPACE}/serviceaccounts`,
  Secret: `/api/v1/namespaces/${PADDOCK_NAMESPACE}/secrets`,
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  Role: `/apis/rbac.authorization.k8s.io/v1/namespaces/${PADDOCK_NAMESPACE}/roles`,
  RoleBinding: `/apis/rbac.authorization.k8s.io/v1/namespaces/${PADDOCK_NAMESPACE}/rolebindings`,
};

/** Creates the import manifest's objects with an operator's token; existing objects are kept. */
export async function installImportManifest(
  target: ClusterCallTarget,
  bootstrapToken: string,
  clusterId: string,
  timeoutMs: number,
): Promise<void> {
  for (const object of importManifestObjects(clusterId)) {
    const kind = String(object.kind);
    const path = collectionPaths[kind];
    if (path === undefined) throw new PaddockError('INTERNAL', `no collection path for ${kind}`);
    const answer = await callCluster(target, {
      method: 'POST',
      path,
      token: bootstrapToken,
      body: object,
      timeoutMs,
    });
    if (answer.status === 409 || (answer.status >= 200 && answer.status < 300)) continue;
    throw refused(answer.status, `creating ${kind} failed`, answer.text);
  }
}

export interface ServiceAccountTokens {
  readonly impersonatorToken: string;
  readonly managerToken: string;
}

export interface ReadTokensOptions {
  readonly timeoutMs: number;
  /** How long to wait for the token controller to fill the Secrets. */
  readonly waitMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Reads both service-account tokens from `paddock-system`, waiting until they are filled in. */
export async function readServiceAccountTokens(
  target: ClusterCallTarget,
  bootstrapToken: string,
  options: ReadTokensOptions,
): Promise<ServiceAccountTokens> {
  const deadline = options.now() + options.waitMs;
  const read = async (name: string): Promise<string> => {
    for (;;) {
      const answer = await callCluster(target, {
        path: `/api/v1/namespaces/${PADDOCK_NAMESPACE}/secrets/${name}`,
        token: bootstrapToken,
        timeoutMs: options.timeoutMs,
      });
      if (answer.status === 200) {
        const token = answer.json<{ data?: { token?: string } }>().data?.token;
        if (token) return Buffer.from(token, 'base64').toString('utf8');
      } else if (answer.status !== 404) {
        throw refused(answer.status, `reading secret ${name} failed`, answer.text);
      }
      if (options.now() >= deadline) {
        throw new PaddockError(
          'UPSTREAM_TIMEOUT',
          `secret ${PADDOCK_NAMESPACE}/${name} has no token yet; was the import manifest applied?`,
          { reason: 'token_not_ready' },
        );
      }
      await options.sleep(200);
    }
  };
  return {
    impersonatorToken: await read(IMPERSONATOR_TOKEN_SECRET),
    managerToken: await read(MANAGER_TOKEN_SECRET),
  };
}

function refused(status: number, what: string, body: string): PaddockError {
  const message = `${what}: the cluster answered ${status}: ${body.slice(0, 300)}`;
  if (status === 401 || status === 403) {
    return new PaddockError('FORBIDDEN', message, { reason: 'bootstrap_credentials_refused' });
  }
  return new PaddockError('UPSTREAM_UNAVAILABLE', message);
}
