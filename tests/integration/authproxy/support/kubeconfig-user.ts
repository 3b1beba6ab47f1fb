/**
 * A local Paddock user (optionally in LDAP groups) with a kubeconfig API key and a kubeconfig
 * file through Paddock's proxy to one cluster: the `addUser` of both kubectl-suite targets
 * (clusters Paddock dials and clusters behind their agents).
 */
import type { IdentityServices } from '../../../../src/identity/identity-services.js';
import { writeKubeconfig } from './kubectl.js';
import type { PaddockUser } from './paddock-with-kubesim.js';

export interface KubeconfigUserOptions {
  readonly groups?: readonly string[];
  /** Limits the key to this cluster. */
  readonly clusterScope?: string;
  /** The cluster the kubeconfig points at (default `one`). */
  readonly cluster?: string;
}

export async function addKubeconfigUser(
  identity: IdentityServices,
  where: { readonly dir: string; readonly paddockUrl: string; readonly paddockCaFile: string },
  name: string,
  options: KubeconfigUserOptions = {},
): Promise<PaddockUser> {
  const user = await identity.users.create({
    username: name,
    provider: 'local',
    groups: (options.groups ?? []).map((id) => ({
      id,
      provider: 'openldap' as const,
      kind: 'group' as const,
      name: id,
    })),
  });
  const created = await identity.apiKeys.create({
    userId: user.id,
    kind: 'kubeconfig',
    ...(options.clusterScope === undefined ? {} : { clusterId: options.clusterScope }),
  });
  const cluster = options.cluster ?? 'one';
  const kubeconfig = await writeKubeconfig(
    where.dir,
    `${name}-${cluster}`,
    `${where.paddockUrl}/k8s/clusters/${cluster}`,
    where.paddockCaFile,
    created.token,
  );
  return { userId: user.id, token: created.token, keyId: created.key.keyId, kubeconfig };
}
