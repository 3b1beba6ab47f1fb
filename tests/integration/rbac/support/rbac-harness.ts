/**
 * Paddock's authorization over the proxy harness of tests/integration/authproxy: the access
 * services on their own in-memory store, the real push-down controller using the real cluster
 * registry's manager connections, and a direct admin line to kubesim cluster `one` for
 * SubjectAccessReviews and hand-made drift.
 */
import { Registry } from 'prom-client';
import { Agent, request } from 'undici';
import { type AccessServices, createAccessServices } from '../../../../src/access/index.js';
import { RbacSyncController } from '../../../../src/datasources/rbac-sync/index.js';
import type { Identity } from '../../../../src/domain/identity.js';
import { MemoryStore } from '../../../support/memory-store.js';
import { createTestLogger } from '../../../unit/datasources/support/test-logger.js';
import { kubectl } from '../../authproxy/support/kubectl.js';
import {
  type PaddockWithKubesim,
  startPaddockWithKubesim,
} from '../../authproxy/support/paddock-with-kubesim.js';

export interface RbacHarness {
  readonly p: PaddockWithKubesim;
  readonly access: AccessServices;
  readonly sync: RbacSyncController;
  readonly metrics: Registry;
  /** A Paddock admin (global role `admin`) acting through the access service. */
  readonly admin: Identity;
  /** kubectl as the kubesim admin of cluster `one`, bypassing Paddock. */
  adminKubectl(
    args: readonly string[],
    input?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A SubjectAccessReview in cluster `one` for the user as the proxy impersonates it. */
  subjectAccessReview(
    userId: string,
    groups: readonly string[],
    attributes: Record<string, string>,
    kind?: 'resource' | 'nonResource',
  ): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startRbacHarness(options: {
  resyncIntervalMs: number;
}): Promise<RbacHarness> {
  const p = await startPaddockWithKubesim();
  const users = p.identity.users;
  const access = createAccessServices({
    store: new MemoryStore(),
    userForPrincipal: async (principalId) => (await users.findByPrincipal(principalId))?.id,
    groupsOfUser: async (userId) => (await users.get(userId))?.groups.map((g) => g.id) ?? [],
    // The controller needs the access state and serves the downstream reads: tie the knot late.
    downstream: { read: (clusterId) => sync.read(clusterId) },
    syncStatus: { status: (id) => sync.status(id), statuses: () => sync.statuses() },
    namespaces: { assign: (clusterId, ns, projectId) => sync.assign(clusterId, ns, projectId) },
  });
  const metrics = new Registry();
  const sync: RbacSyncController = new RbacSyncController({
    clusters: p.registry,
    access: access.state,
    logger: createTestLogger(),
    metricsRegistry: metrics,
    resyncIntervalMs: options.resyncIntervalMs,
    watchRetryMs: 200,
  });
  const adminUser = await users.create({ username: 'paddock-admin', provider: 'local' });
  await access.authorizer.grantGlobalRole(adminUser.id, 'admin');
  const admin: Identity = {
    userId: adminUser.id,
    username: adminUser.username,
    displayName: adminUser.displayName,
    provider: 'local',
    principalIds: adminUser.principalIds,
    groupPrincipalIds: [],
    tokenId: 'test',
    tokenKind: 'session',
  };
  sync.start();
  const one = p.sim.cluster('one').describe();
  // kubesim's CA is not in Node's trust store.
  const agent = new Agent({ connect: { ca: p.sim.caPem } });
  return {
    p,
    access,
    sync,
    metrics,
    admin,
    adminKubectl: (args, input) => kubectl(p.adminKubeconfig, args, input),
    async subjectAccessReview(userId, groups, attributes, kind = 'resource') {
      const res = await request(`${one.url}/apis/authorization.k8s.io/v1/subjectaccessreviews`, {
        method: 'POST',
        headers: { authorization: `Bearer ${one.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: userId,
            groups: [...groups, 'system:authenticated'],
            [kind === 'resource' ? 'resourceAttributes' : 'nonResourceAttributes']: attributes,
          },
        }),
        dispatcher: agent,
      });
      const body = (await res.body.json()) as { status?: { allowed?: boolean } };
      return body.status?.allowed === true;
    },
    async stop() {
      await sync.stop();
      await agent.close();
      access.close();
      await p.stop();
    },
  };
}
