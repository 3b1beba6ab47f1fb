/**
 * The agent leg: the bench's kubesim cluster registered in Paddock a second time as an agent
 * import, and a real `paddock agent` process relaying to it. The agent gets what its
 * Deployment would mount: the registration token, Paddock's CA, the cluster CA and the two
 * account tokens (the ones Paddock's kubeconfig import installed in `paddock-system`, so this
 * leg impersonates with the very same credentials as the direct one). Everything runs on
 * 127.0.0.1, so the leg measures what the tunnel adds, not a network.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { nextMessage, type ProcessGroup, type Started } from './process-group.js';
import { type CreateAgentImport, isAgentImportCreated, type KubesimReady } from './protocol.js';

const mainJs = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface AgentLegOptions {
  readonly dir: string;
  readonly paddock: Started;
  readonly paddockUrl: string;
  /** CA of Paddock's serving certificate. */
  readonly paddockCaFile: string;
  readonly sim: KubesimReady;
  readonly simCaPem: string;
  /** Node flags for the agent (e.g. `--cpu-prof`). */
  readonly execArgv?: readonly string[];
}

/** Registers the agent cluster and starts its agent; resolves with the agent's process. */
export async function startAgentLeg(group: ProcessGroup, o: AgentLegOptions): Promise<Started> {
  const created = nextMessage(o.paddock, isAgentImportCreated, 30_000);
  const ask: CreateAgentImport = { type: 'create-agent-import' };
  o.paddock.child.send(ask);
  const { token } = await created;
  const files = {
    token: join(o.dir, 'agent-token'),
    impersonator: join(o.dir, 'agent-impersonator-token'),
    manager: join(o.dir, 'agent-manager-token'),
  };
  await writeFile(files.token, token, { mode: 0o600 });
  await writeFile(files.impersonator, await accountToken(o, 'paddock-impersonator-token'), {
    mode: 0o600,
  });
  await writeFile(files.manager, await accountToken(o, 'paddock-manager-token'), { mode: 0o600 });
  return group.fork(
    'paddock agent',
    mainJs,
    [
      'agent',
      ...['--server', o.paddockUrl, '--server-ca-file', o.paddockCaFile],
      ...['--token-file', files.token],
      ...['--api-server', o.sim.url, '--api-ca-file', o.sim.caFile],
      ...['--impersonator-token-file', files.impersonator, '--manager-token-file', files.manager],
      ...['--log-level', 'warn'],
    ],
    { logFile: join(o.dir, 'agent.log'), ...(o.execArgv ? { execArgv: o.execArgv } : {}) },
  );
}

/** A service-account token from `paddock-system`, read as kubesim's admin. */
async function accountToken(o: AgentLegOptions, secret: string): Promise<string> {
  const dispatcher = new Agent({ connect: { ca: o.simCaPem } });
  try {
    const res = await request(`${o.sim.url}/api/v1/namespaces/paddock-system/secrets/${secret}`, {
      headers: { authorization: `Bearer ${o.sim.adminToken}` },
      dispatcher,
    });
    const body = (await res.body.json()) as { data?: { token?: string } };
    const token = body.data?.token;
    if (res.statusCode !== 200 || token === undefined) {
      throw new Error(`reading ${secret} answered ${res.statusCode}`);
    }
    return Buffer.from(token, 'base64').toString('utf8');
  } finally {
    await dispatcher.close();
  }
}
