/**
 * `paddock agent`: runs inside a downstream cluster (the Deployment of an agent import's
 * manifest) and opens the tunnel through which Paddock reaches the cluster's API server.
 */
import { readFile } from 'node:fs/promises';
import { agentConfigHelp, loadAgentConfig } from '../config/agent-config.js';
import { ConfigError } from '../config/config-error.js';
import { createLogger } from '../server/create-logger.js';
import { AgentTunnel } from './agent-tunnel.js';
import { clusterFacts } from './cluster-facts.js';
import { createTunnelStreamHandler } from './tunnel-stream-handler.js';

/** What the command may touch of the process (the CLI's `CliIo`, minus what it does not use). */
export interface AgentIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs until SIGTERM or SIGINT; resolves to the exit status. */
export async function agentCommand(
  io: AgentIo,
  argv: readonly string[],
  version: string,
): Promise<number> {
  let loaded: ReturnType<typeof loadAgentConfig>;
  try {
    loaded = loadAgentConfig({ argv, env: io.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`paddock agent: ${err.message}\n\n${agentConfigHelp()}`);
    return 2;
  }
  if (loaded.help) {
    io.stdout(agentConfigHelp());
    return 0;
  }
  const { config } = loaded;
  const logger = createLogger({ level: config.logLevel }).child({ component: 'agent' });
  let serverCaPem: string | undefined;
  try {
    serverCaPem =
      config.serverCaFile === undefined ? undefined : await readFile(config.serverCaFile, 'utf8');
  } catch (err) {
    io.stderr(`paddock agent: cannot read --server-ca-file: ${(err as Error).message}\n`);
    return 2;
  }
  const facts = clusterFacts({
    version,
    apiServer: config.apiServer,
    apiCaFile: config.apiCaFile,
    ...(config.apiServerName === undefined ? {} : { apiServerName: config.apiServerName }),
    impersonatorTokenFile: config.impersonatorTokenFile,
    managerTokenFile: config.managerTokenFile,
  });
  const { token, tokenFile } = config;
  let tunnel: AgentTunnel | undefined;
  const handler = createTunnelStreamHandler({
    facts,
    logger,
    onRegistration: () => tunnel?.registered(),
  });
  tunnel = new AgentTunnel({
    server: config.server,
    token: tokenFile === undefined ? async () => token ?? '' : () => readFile(tokenFile, 'utf8'),
    ...(serverCaPem === undefined ? {} : { serverCaPem }),
    handler,
    logger,
    reconnectMinMs: config.reconnectMinMs,
    reconnectMaxMs: config.reconnectMaxMs,
    framing: config.tunnelFraming,
  });
  logger.info(
    { server: config.server, apiServer: facts.authority, version },
    'paddock agent starting',
  );
  tunnel.start();
  const running = tunnel;
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'paddock agent stopping');
      void running.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
