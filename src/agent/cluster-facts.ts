/**
 * What the agent tells Paddock about its cluster: the API server's address and CA, and the two
 * account tokens. Files are read at every registration, so a token the cluster rotated (a new
 * Secret, remounted by the kubelet) reaches Paddock at the next reconnect.
 */
import { readFile } from 'node:fs/promises';
import type { AgentRegistration } from '../datasources/tunnel/tunnel-protocol.js';

export interface ClusterFactsOptions {
  readonly version: string;
  /** `https://host:port` of the API server inside the cluster. */
  readonly apiServer: string;
  readonly apiCaFile: string;
  readonly apiServerName?: string;
  readonly impersonatorTokenFile: string;
  readonly managerTokenFile: string;
  readonly readText?: (path: string) => Promise<string>;
}

export interface ClusterFacts {
  /** `host:port` of the API server: the only place the agent connects streams to. */
  readonly authority: string;
  readonly host: string;
  readonly port: number;
  registration(): Promise<AgentRegistration>;
}

export function clusterFacts(options: ClusterFactsOptions): ClusterFacts {
  const url = new URL(options.apiServer);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const readText = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  const read = async (path: string, what: string) => {
    try {
      return (await readText(path)).trim();
    } catch (err) {
      throw new Error(`cannot read the ${what} at ${path}: ${(err as Error).message}`);
    }
  };
  return {
    authority,
    host,
    port,
    async registration() {
      const [caPem, impersonatorToken, managerToken] = await Promise.all([
        read(options.apiCaFile, 'cluster CA'),
        read(options.impersonatorTokenFile, 'impersonator token'),
        read(options.managerTokenFile, 'manager token'),
      ]);
      return {
        agentVersion: options.version,
        apiServer: `https://${authority}`,
        caPem: `${caPem}\n`,
        ...(options.apiServerName === undefined ? {} : { tlsServerName: options.apiServerName }),
        impersonatorToken,
        managerToken,
      };
    },
  };
}
