/**
 * Paddock's real server with the proxy route, the real identity module (API keys over the
 * in-memory store) and the real cluster registry, in front of kubesim. Cluster `one` is
 * imported from a kubeconfig context (Paddock installs the manifest); cluster `two` by
 * applying deploy/downstream/paddock-downstream.yaml with kubectl and completing the import.
 */
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import type { FaultSettings } from '../../../../kubesim/faults/faults.js';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { createK8sProxy, type K8sProxy } from '../../../../src/authproxy/index.js';
import { DatasourceClusterRegistry } from '../../../../src/datasources/index.js';
import type { ProxyAuditEvent } from '../../../../src/domain/audit.js';
import {
  AesGcmSecretBox,
  createIdentityServices,
  type IdentityServices,
} from '../../../../src/identity/index.js';
import { createHttpMetrics } from '../../../../src/server/http-metrics.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/paddock-server.js';
import { MemoryStore } from '../../../support/memory-store.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { testTlsMaterial } from '../../../unit/datasources/support/fake-api-server.js';
import { createTestLogger, type LogLine } from '../../../unit/datasources/support/test-logger.js';
import { addKubeconfigUser } from './kubeconfig-user.js';
import { type KubectlResult, kubectl, writeKubeconfig } from './kubectl.js';

export const DEVS_GROUP = 'openldap_group://cn=devs,ou=groups,dc=example,dc=org';

export interface PaddockUser {
  readonly userId: string;
  readonly token: string;
  readonly keyId: string;
  /** kubeconfig through Paddock to cluster `one`. */
  readonly kubeconfig: string;
}

/** A kubesim object as the suites read it. */
export interface SimObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
  };
}

/**
 * What the shared kubectl and port-forward suites need of a Paddock in front of two kubesim
 * clusters, `one` and `two`, however Paddock reaches them.
 */
export interface KubectlSuiteTarget {
  /** How Paddock reaches both clusters. */
  readonly transport: 'direct' | 'agent';
  readonly dir: string;
  readonly identity: IdentityServices;
  readonly registry: DatasourceClusterRegistry;
  readonly audit: ProxyAuditEvent[];
  readonly clusterIds: { one: string; two: string };
  /** kubectl as kubesim's admin on cluster `one`, bypassing Paddock. */
  adminKubectl(args: readonly string[], input?: string): Promise<KubectlResult>;
  /** kubesim's own state, bypassing Paddock. */
  listObjects(cluster: 'one' | 'two', resource: string, namespace?: string): Promise<SimObject[]>;
  setFaults(cluster: 'one' | 'two', faults: FaultSettings): Promise<void>;
  clearFaults(cluster: 'one' | 'two'): Promise<void>;
  /** Creates a Paddock user (optionally in the devs group) with an API key and kubeconfig. */
  addUser(
    name: string,
    options?: { groups?: string[]; clusterScope?: string; cluster?: 'one' | 'two' },
  ): Promise<PaddockUser>;
  stop(): Promise<void>;
}

export interface PaddockWithKubesim extends KubectlSuiteTarget {
  readonly transport: 'direct';
  readonly url: string;
  readonly sim: Kubesim;
  readonly proxy: K8sProxy;
  readonly logs: LogLine[];
  readonly metrics: Registry;
  /** Direct admin access to kubesim cluster `one`, bypassing Paddock. */
  readonly adminKubeconfig: string;
}

export async function startPaddockWithKubesim(): Promise<PaddockWithKubesim> {
  const tmp = await makeTempDir('proxy-it');
  const dir = tmp.path;
  const sim = await startKubesim({
    clusters: ['one', 'two'],
    adminPort: false,
    seed: 'demo',
    stateDir: join(dir, 'kubesim'),
    // As kube-apiserver does: kubectl then talks HTTP/2 to it, and so do Paddock's watches.
    http2: true,
  });
  const [one, two] = sim.clusters as [(typeof sim.clusters)[0], (typeof sim.clusters)[0]];
  const store = new MemoryStore();
  const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 9));
  const logger = createTestLogger();
  const identity = createIdentityServices({
    store,
    secretBox,
    apiKeyPepper: Buffer.alloc(32, 3),
    issuer: 'https://paddock.test',
    hasAnyMembership: async () => true,
  });
  await identity.start();
  const registry = new DatasourceClusterRegistry({ store, secretBox, logger });

  // (b) kubeconfig import: Paddock installs the manifest with the admin token it is given.
  const adminKubeconfig = await writeKubeconfig(
    dir,
    'admin-one',
    one.url,
    one.caFile,
    one.adminToken,
  );
  await registry.importFromKubeconfig({
    kubeconfig: stringify({
      'current-context': 'one',
      clusters: [
        { name: 'one', cluster: { server: one.url, 'certificate-authority': one.caFile } },
      ],
      users: [{ name: 'admin', user: { token: one.adminToken } }],
      contexts: [{ name: 'one', context: { cluster: 'one', user: 'admin' } }],
    }),
    localFiles: 'read',
    id: 'one',
    name: 'One',
  });
  // (c) manifest import: the operator applies the committed manifest with real kubectl.
  const adminTwo = await writeKubeconfig(dir, 'admin-two', two.url, two.caFile, two.adminToken);
  await registry.createPendingImport({ id: 'two', name: 'Two' });
  const manifestFile = join(dir, 'import-two.yaml');
  await writeFile(manifestFile, await registry.importManifest('two'));
  const applied = await kubectl(adminTwo, ['apply', '-f', manifestFile]);
  if (applied.code !== 0)
    throw new Error(`kubectl apply of the import manifest failed: ${applied.stderr}`);
  await registry.completeManifestImport('two', {
    endpoint: two.url,
    caPem: two.caPem,
    bootstrapToken: two.adminToken,
  });

  const audit: ProxyAuditEvent[] = [];
  const metrics = new Registry();
  const proxy = createK8sProxy({
    authenticator: identity.authenticator,
    clusters: registry,
    logger,
    metricsRegistry: metrics,
    auditSink: { write: (e) => audit.push(e) },
    recheckIntervalMs: 500,
  });
  const tls = await testTlsMaterial();
  const server: PaddockServer = createPaddockServer({
    routes: [proxy.route],
    logger,
    metrics: createHttpMetrics(),
    tls: { certPem: tls.certPem, keyPem: tls.keyPem, caPem: tls.caPem, origin: 'configured' },
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  const url = `https://127.0.0.1:${address.port}`;
  const paddockCa = join(dir, 'paddock-ca.pem');
  await writeFile(paddockCa, tls.caPem);

  return {
    dir,
    url,
    sim,
    identity,
    registry,
    proxy,
    audit,
    logs: logger.lines,
    metrics,
    adminKubeconfig,
    transport: 'direct',
    adminKubectl: (args, input) => kubectl(adminKubeconfig, args, input),
    listObjects: async (cluster, resource, namespace) =>
      sim.cluster(cluster).list(resource, namespace) as unknown as SimObject[],
    async setFaults(cluster, faults) {
      await sim.cluster(cluster).setFaults(faults);
    },
    clearFaults: (cluster) => sim.cluster(cluster).clearFaults(),
    clusterIds: { one: 'one', two: 'two' },
    addUser: (name, options = {}) =>
      addKubeconfigUser(
        identity,
        { dir, paddockUrl: url, paddockCaFile: paddockCa },
        name,
        options,
      ),
    async stop() {
      proxy.close();
      await server.shutdown(200);
      await registry.stop();
      identity.close();
      await sim.stop();
      await tmp.remove();
    },
  };
}
