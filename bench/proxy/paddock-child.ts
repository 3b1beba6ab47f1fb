/**
 * Paddock as `paddock serve` composes it (src/cli's composeApp: embedded store, real identity,
 * real cluster registry, the proxy route) in its own process, so its RSS can be read alone.
 * It imports the kubesim cluster from a kubeconfig (`--import-kubeconfig`), creates a local
 * bench user with an API key, and reports them to the parent. Asked to, it registers the same
 * cluster again as an agent import and hands the agent's token to the parent, which runs the
 * agent. (A local user: the background
 * group refresh would strip groups invented for a user of a provider that is not configured.)
 *
 *   forked by bench/proxy/main.ts: paddock-child.js <dataDir> <kubeconfig> <cert> <key> <ca> <logLevel>
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { impersonationHeaders } from '../../src/authproxy/index.js';
import { composeApp } from '../../src/cli/compose-app.js';
import { loadConfig } from '../../src/config/index.js';
import { createPaddockServer, createServerLoggers } from '../../src/server/index.js';
import {
  AGENT_CLUSTER_ID,
  type AgentImportCreated,
  answerStats,
  CLUSTER_ID,
  isCreateAgentImport,
  type PaddockReady,
} from './protocol.js';

const [dataDir, kubeconfig, certFile, keyFile, caFile, logLevel] = process.argv.slice(2);
if (logLevel === undefined) {
  throw new Error('usage: paddock-child.js <dataDir> <kubeconfig> <cert> <key> <ca> <logLevel>');
}
const { config } = loadConfig({
  argv: [
    ...['--data-dir', dataDir!, '--bind', '127.0.0.1', '--log-level', logLevel],
    ...['--tls-cert-file', certFile!, '--tls-key-file', keyFile!, '--tls-ca-file', caFile!],
    '--import-kubeconfig',
  ],
  env: { KUBECONFIG: kubeconfig, HOME: dataDir },
  readFile: (path) => readFileSync(path, 'utf8'),
});
// The same loggers as `paddock serve` (src/cli/serve-command.ts).
const { logger, accessLog } = createServerLoggers({ level: config.logLevel });
const app = await composeApp(config, logger);
const server = createPaddockServer({
  routes: app.routes,
  logger,
  accessLog,
  metrics: app.metrics,
  tls: app.tls,
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server
    .shutdown(200)
    .then(() => app.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);

const address = await server.listen(0, '127.0.0.1');
if ((await app.clusters.get(CLUSTER_ID)) === undefined) {
  throw new Error(`the kubeconfig import did not register cluster ${CLUSTER_ID}`);
}
const user = await app.identity.users.create({ username: 'bench', provider: 'local' });
const key = await app.identity.apiKeys.create({ userId: user.id, kind: 'kubeconfig' });
const identity = await app.identity.authenticator.authenticate({
  headers: { authorization: `Bearer ${key.token}` },
});
const connection = await app.clusters.connection(CLUSTER_ID);
if (connection === undefined) throw new Error(`cluster ${CLUSTER_ID} has no connection`);
answerStats(() => -1);
const url = `https://127.0.0.1:${address.port}`;
process.on('message', (m: unknown) => {
  if (!isCreateAgentImport(m)) return;
  void (async () => {
    if ((await app.clusters.get(AGENT_CLUSTER_ID)) === undefined) {
      await app.clusters.createPendingImport({
        id: AGENT_CLUSTER_ID,
        name: AGENT_CLUSTER_ID,
        transport: 'agent',
      });
    }
    const manifest = await app.clusters.importManifest(AGENT_CLUSTER_ID, { baseUrl: url });
    const secret = parseAllDocuments(manifest)
      .map((d) => d.toJS() as { kind?: string; stringData?: { token?: string } })
      .find((o) => o.kind === 'Secret' && o.stringData?.token !== undefined);
    const created: AgentImportCreated = {
      type: 'agent-import-created',
      token: secret?.stringData?.token ?? '',
    };
    process.send?.(created);
  })();
});
const ready: PaddockReady = {
  type: 'paddock-ready',
  url,
  token: key.token,
  userId: user.id,
  upstreamIdentity: impersonationHeaders(identity, connection.impersonatorToken),
};
process.send?.(ready);
