/**
 * The demo's apps: a local HTTPS chart repository with two sample charts (`hello`, `ledger`)
 * added as the global catalog `demo-charts`, a project `Demo Apps` with namespace `demo-apps`
 * in every cluster, and the multi-cluster app `hello-fleet` running `hello` in all of them.
 * Everything goes through the public GraphQL API as the admin; a second start finds what the
 * first made and only points the catalog at the new repository address.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { type ChartRepoServer, startChartRepoServer } from './chart-repo-server.js';
import { indexRepository, makeSampleChart } from './sample-charts.js';

export interface DemoAppsOptions {
  readonly paddockUrl: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly adminToken: string;
  readonly stateDir: string;
  readonly clusterIds: readonly string[];
  readonly helm: string;
}

export interface DemoApps {
  readonly repositoryUrl: string;
  readonly catalogId: string;
  readonly multiClusterAppId: string;
  close(): Promise<void>;
}

const PROJECT = 'Demo Apps';
const NAMESPACE = 'demo-apps';

export async function setUpDemoApps(o: DemoAppsOptions): Promise<DemoApps> {
  const dispatcher = new Agent({ connect: { ca: o.caPem } });
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely here
  const graphql = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const res = await request(`${o.paddockUrl}/graphql`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.adminToken}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.body.json()) as { data?: unknown; errors?: { message: string }[] };
    if (body.errors?.length)
      throw new Error(`demo: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  };

  const charts = join(o.stateDir, 'charts');
  await mkdir(charts, { recursive: true });
  await makeSampleChart(o.helm, charts, { name: 'hello', version: '1.0.0' });
  await makeSampleChart(o.helm, charts, { name: 'hello', version: '1.1.0', appVersion: '1.1.0' });
  await makeSampleChart(o.helm, charts, { name: 'ledger', version: '0.3.0' });
  await indexRepository(o.helm, charts);
  let repo: ChartRepoServer | undefined = await startChartRepoServer({
    dir: charts,
    certPem: o.certPem,
    keyPem: o.keyPem,
    prefix: '/charts',
  });
  try {
    const existing = (await graphql('{ catalogs(scope: GLOBAL) { id name } }')).catalogs as {
      id: string;
      name: string;
    }[];
    const found = existing.find((c) => c.name === 'demo-charts');
    const catalogId = found
      ? (
          await graphql(
            'mutation($id: ID!, $u: String) { updateCatalog(id: $id, input: { url: $u }) { id } }',
            {
              id: found.id,
              u: repo.url,
            },
          )
        ).updateCatalog.id
      : (
          await graphql('mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }', {
            i: {
              name: 'demo-charts',
              description: 'Two sample charts served by the demo',
              scope: 'GLOBAL',
              url: repo.url,
              caPem: o.caPem,
            },
          })
        ).addCatalog.id;

    const targets = [];
    for (const clusterId of o.clusterIds) {
      const projects = (
        await graphql('query($c: ID!) { projectSettings(clusterId: $c) { projectId name } }', {
          c: clusterId,
        })
      ).projectSettings as { projectId: string; name: string }[];
      const projectId =
        projects.find((p) => p.name === PROJECT)?.projectId ??
        (
          await graphql(
            'mutation($c: ID!, $n: String) { createProject(clusterId: $c, input: { name: $n }) { projectId } }',
            {
              c: clusterId,
              n: PROJECT,
            },
          )
        ).createProject.projectId;
      await graphql(
        'mutation($c: ID!, $n: String!, $p: ID) { createNamespace(clusterId: $c, name: $n, projectId: $p) { name } }',
        {
          c: clusterId,
          n: NAMESPACE,
          p: projectId,
        },
      ).catch((err: Error) => {
        if (!/already exists/.test(err.message)) throw err;
      });
      targets.push({ clusterId, projectId, namespace: NAMESPACE });
    }
    const apps = (await graphql('{ multiClusterApps { id name } }')).multiClusterApps as {
      id: string;
      name: string;
    }[];
    const multiClusterAppId =
      apps.find((a) => a.name === 'hello-fleet')?.id ??
      (
        await graphql(
          'mutation($i: CreateMultiClusterAppInput!) { createMultiClusterApp(input: $i) { id } }',
          {
            i: {
              name: 'hello-fleet',
              catalogId,
              chart: 'hello',
              version: '1.0.0',
              values: { greeting: 'hello from the demo fleet' },
              targets,
              rollout: { batchSize: 1, pauseSeconds: 2, stopOnFailure: true },
            },
          },
        )
      ).createMultiClusterApp.id;
    const served = repo;
    repo = undefined;
    return {
      repositoryUrl: served.url,
      catalogId,
      multiClusterAppId,
      async close() {
        await served.close();
        await dispatcher.close();
      },
    };
  } finally {
    await repo?.close();
  }
}
