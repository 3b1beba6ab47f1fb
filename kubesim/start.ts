// startKubesim: one process, N simulated clusters, each on its own HTTPS port, sharing one CA.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Churn, startChurn } from './seed/churn.js';
import { applySeed } from './seed/seeds.js';
import { startAdminServer } from './server/admin-server.js';
import { type ClusterDescription, ClusterHandle } from './server/cluster-handle.js';
import { ClusterServer } from './server/cluster-server.js';
import { type AnonymousMode, SimCluster, type Timings } from './server/sim-cluster.js';
import { generateTlsMaterial, type TlsMaterial } from './tls/certificates.js';

export interface KubesimOptions {
  /** number of clusters (named kubesim-1..N) or explicit names */
  clusters?: number | string[];
  /** first port; cluster i listens on port+i. 0 (default) picks free ports */
  port?: number;
  host?: string;
  /** "demo", "scale:<nodes>x<pods>" or "none" (default) */
  seed?: string;
  /** where kubesim.json and ca.crt are written */
  stateDir?: string;
  /** static users per cluster; default alice and bob (group "developers") */
  users?: Record<string, { groups?: string[]; token?: string }>;
  /** "namespace/name" service accounts with long-lived tokens in every cluster */
  serviceAccounts?: string[];
  anonymous?: AnonymousMode;
  kubeVersion?: string;
  timings?: Partial<Timings>;
  /** admin HTTP endpoint port (0 = free port, false = none) */
  adminPort?: number | false;
  tls?: TlsMaterial;
  now?: () => Date;
  historySize?: number;
  /** Offer HTTP/2 as kube-apiserver does (default false: HTTP/1.1 only). */
  http2?: boolean;
  /** Pod writes per second across all clusters (watch events at a steady rate); default 0. */
  churn?: number;
}

export interface Kubesim {
  clusters: ClusterDescription[];
  adminUrl: string | undefined;
  caPem: string;
  stateFile: string | undefined;
  /** The fleet-wide pod writes (`churn`), adjustable at run time. */
  churn: Churn;
  cluster(name: string): ClusterHandle;
  stop(): Promise<void>;
}

const DEFAULT_USERS = { alice: { groups: [] }, bob: { groups: ['developers'] } };

export async function startKubesim(options: KubesimOptions = {}): Promise<Kubesim> {
  const names =
    typeof options.clusters === 'object'
      ? options.clusters
      : Array.from({ length: options.clusters ?? 1 }, (_, i) => `kubesim-${i + 1}`);
  const tls = options.tls ?? (await generateTlsMaterial());
  const ownDir = options.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'kubesim-'));
  const dir = options.stateDir ?? ownDir ?? '.';
  await mkdir(dir, { recursive: true });
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, tls.caPem);

  const serverTls = { certPem: tls.certPem, keyPem: tls.keyPem };
  const handles = new Map<string, ClusterHandle>();
  const servers: ClusterServer[] = [];
  let admin: { server: Server; url: string } | undefined;
  const churn = startChurn(() => [...handles.values()].map((h) => h.sim), 0);
  const stop = async () => {
    churn.stop();
    await Promise.all(servers.map((s) => s.close()));
    for (const h of handles.values()) h.sim.stop();
    if (admin) await new Promise<void>((r) => admin?.server.close(() => r()));
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  };
  try {
    for (const [i, name] of names.entries()) {
      const sim = new SimCluster({
        name,
        caPem: tls.caPem,
        kubeVersion: options.kubeVersion,
        users: options.users ?? DEFAULT_USERS,
        serviceAccounts: options.serviceAccounts,
        anonymous: options.anonymous,
        timings: options.timings,
        now: options.now,
        historySize: options.historySize,
      });
      if (options.seed && options.seed !== 'none') applySeed(sim, options.seed, i);
      const server = new ClusterServer(sim, serverTls, options.host, { http2: options.http2 });
      servers.push(server);
      await server.listen(options.port ? options.port + i : 0);
      handles.set(name, new ClusterHandle(sim, server, caFile));
    }
    if (options.adminPort !== false)
      admin = await startAdminServer(handles, options.adminPort ?? 0, undefined, churn);
  } catch (err) {
    await stop();
    throw err;
  }
  churn.setRate(options.churn ?? 0);
  const clusters = [...handles.values()].map((h) => h.describe());
  let stateFile: string | undefined;
  if (options.stateDir) {
    stateFile = join(options.stateDir, 'kubesim.json');
    // Written then renamed, so a reader polling for the file never sees it half-written.
    await writeFile(
      `${stateFile}.tmp`,
      `${JSON.stringify({ adminUrl: admin?.url, clusters }, null, 2)}\n`,
    );
    await rename(`${stateFile}.tmp`, stateFile);
  }
  return {
    clusters,
    adminUrl: admin?.url,
    caPem: tls.caPem,
    stateFile,
    churn,
    cluster(name: string): ClusterHandle {
      const h = handles.get(name);
      if (!h) throw new Error(`kubesim has no cluster named ${name}`);
      return h;
    },
    stop,
  };
}
