import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import { PaddockError } from '../errors/index.js';
import {
  type ClusterAnswer,
  type ClusterCallTarget,
  callCluster,
  isKubeStatus,
} from './cluster-request.js';
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
    if (answer.status === 409 && isKubeStatus(answer)) continue;
    if (answer.status >= 200 && answer.status < 300) continue;
    throw refused(answer, `creating ${kind} failed`);
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
        const secret = secretOf(answer);
        if (secret === undefined) throw refused(answer, `reading secret ${name} failed`);
        if (secret.token) return Buffer.from(secret.token, 'base64').toString('utf8');
      } else if (answer.status !== 404 || !isKubeStatus(answer)) {
        // Only an API server's own NotFound means "not created yet"; any other server's 404
        // must not be told apart from a closed port.
        throw refused(answer, `reading secret ${name} failed`);
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

/**
 * A refusal by a Kubernetes API server (a `Status` 401/403) is the caller's to know: their token
 * was refused. Anything else is "cannot reach endpoint", with the answer kept in the error's
 * cause for the server log only (ADR 0011).
 */
function refused(answer: ClusterAnswer, what: string): PaddockError {
  const detail = new Error(
    `${what}: the cluster answered ${answer.status}: ${answer.text.slice(0, 300)}`,
  );
  if ((answer.status === 401 || answer.status === 403) && isKubeStatus(answer)) {
    return new PaddockError('FORBIDDEN', `${what}: the cluster refused the token`, {
      reason: 'bootstrap_credentials_refused',
      cause: detail,
    });
  }
  return new PaddockError('UPSTREAM_UNAVAILABLE', UNREACHABLE_ENDPOINT_MESSAGE, {
    reason: 'endpoint_unreachable',
    cause: detail,
  });
}

/** A Secret's `data.token` (possibly not filled in yet); undefined for anything not a Secret. */
function secretOf(answer: ClusterAnswer): { token?: string } | undefined {
  try {
    const body = answer.json<{ kind?: unknown; data?: { token?: unknown } }>();
    if (body?.kind !== 'Secret') return undefined;
    const token = body.data?.token;
    return typeof token === 'string' && token !== '' ? { token } : {};
  } catch {
    return undefined;
  }
}
