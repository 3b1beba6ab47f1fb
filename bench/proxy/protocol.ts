/** What bench/proxy/main.ts and its child processes tell each other over IPC. */

export const CLUSTER_ID = 'bench';
/** The same kubesim cluster registered a second time, reached through a `paddock agent`. */
export const AGENT_CLUSTER_ID = 'bench-agent';
/** And a third time, reached through a plain TCP relay (the agent leg's peer). */
export const RELAY_CLUSTER_ID = 'bench-relay';
export const BENCH_NAMESPACE = 'bench';
export const OBJECT_NAME = 'one-kb';
export const WATCHED_NAME = 'watched';
export const POD_COUNT = 500;

export interface KubesimReady {
  readonly type: 'kubesim-ready';
  readonly url: string;
  readonly caFile: string;
  readonly adminToken: string;
}

export interface PaddockReady {
  readonly type: 'paddock-ready';
  readonly url: string;
  /** The bench user's API key (`Authorization: Bearer`). */
  readonly token: string;
  readonly userId: string;
  /**
   * The identity lines Paddock sends upstream for this user, from the proxy's own header policy,
   * so the peers and the direct leg can send exactly the same.
   */
  readonly upstreamIdentity: Record<string, string | string[]>;
}

/** Asks kubesim to give the user the `view` role cluster-wide. */
export interface BindUser {
  readonly type: 'bind-user';
  readonly user: string;
}

export interface UserBound {
  readonly type: 'user-bound';
}

/** Asks Paddock to register the agent cluster (an agent import). */
export interface CreateAgentImport {
  readonly type: 'create-agent-import';
}

/** The agent import exists; its agent presents `token` (from the manifest's Secret). */
export interface AgentImportCreated {
  readonly type: 'agent-import-created';
  readonly token: string;
}

/** The TCP relay listens on 127.0.0.1:`port`. */
export interface RelayReady {
  readonly type: 'relay-ready';
  readonly port: number;
}

export interface ChildStats {
  readonly type: 'stats';
  readonly rssBytes: number;
  /** V8 heap in use, and memory outside it held by JS objects (buffers, TLS state it knows). */
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
  /** Watches open in the process (kubesim only; -1 elsewhere). */
  readonly watches: number;
}

const typed =
  <T>(type: string) =>
  (m: unknown): m is T =>
    (m as { type?: unknown } | null)?.type === type;

export const isKubesimReady = typed<KubesimReady>('kubesim-ready');
export const isPaddockReady = typed<PaddockReady>('paddock-ready');
export const isStats = typed<ChildStats>('stats');
export const isBindUser = typed<BindUser>('bind-user');
export const isUserBound = typed<UserBound>('user-bound');
export const isCreateAgentImport = typed<CreateAgentImport>('create-agent-import');
export const isAgentImportCreated = typed<AgentImportCreated>('agent-import-created');
export const isRelayReady = typed<RelayReady>('relay-ready');

/** Answers `{ type: 'stats' }` requests from the parent. */
export function answerStats(watches: () => number): void {
  process.on('message', (m: { type?: string } | null) => {
    if (m?.type !== 'stats') return;
    const memory = process.memoryUsage();
    const stats: ChildStats = {
      type: 'stats',
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      watches: watches(),
    };
    process.send?.(stats);
  });
}
