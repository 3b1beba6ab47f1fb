/**
 * Every agent session connected to this replica, by cluster. New streams go to the session
 * with the fewest open streams (several agent replicas share the load); a cluster without a
 * session gets streams that fail at once with the tunnel's error, which the proxy answers
 * with a 503 Status.
 */
import type { Duplex } from 'node:stream';
import type { AgentHealth } from '../../domain/cluster.js';
import { type AgentSession, failedStream } from './agent-session.js';
import { tunnelError } from './tunnel-protocol.js';

/** Opens a byte stream to `authority` inside one cluster. */
export type TunnelDialer = (authority: string) => Duplex;

interface LastSeen {
  readonly at: number;
  readonly version: string | undefined;
}

export class TunnelHub {
  readonly #sessions = new Map<string, AgentSession[]>();
  readonly #lastSeen = new Map<string, LastSeen>();
  readonly #listeners = new Set<(clusterId: string) => void>();
  #turn = 0;
  #draining: NodeJS.Timeout | undefined;

  /** Adds a ready, registered session; it leaves by itself when it closes. */
  attach(session: AgentSession): void {
    if (session.closed) return;
    const list = this.#sessions.get(session.clusterId) ?? [];
    list.push(session);
    this.#sessions.set(session.clusterId, list);
    session.onClose(() => {
      const current = this.#sessions.get(session.clusterId) ?? [];
      const rest = current.filter((s) => s !== session);
      if (rest.length === 0) this.#sessions.delete(session.clusterId);
      else this.#sessions.set(session.clusterId, rest);
      this.#remember(session);
      this.#notify(session.clusterId);
    });
    this.#notify(session.clusterId);
  }

  /** The dialer a cluster's transport uses; it picks a session per stream. */
  dialer(clusterId: string): TunnelDialer {
    return (authority) => this.open(clusterId, authority);
  }

  open(clusterId: string, authority: string): Duplex {
    const session = this.#pick(clusterId);
    if (session === undefined) {
      return failedStream(tunnelError(`no agent of cluster ${clusterId} is connected`));
    }
    return session.open(authority);
  }

  /** Whether any agent session of the cluster can take streams now. */
  connected(clusterId: string): boolean {
    return this.#pick(clusterId) !== undefined;
  }

  /** Connected, last seen, version and number of sessions, as this replica knows them. */
  health(clusterId: string): AgentHealth {
    const sessions = (this.#sessions.get(clusterId) ?? []).filter((s) => !s.closed);
    const last = this.#lastSeen.get(clusterId);
    let lastSeenAt = last?.at;
    let version = last?.version;
    for (const s of sessions) {
      if (lastSeenAt === undefined || s.lastSeenAt >= lastSeenAt) {
        lastSeenAt = s.lastSeenAt;
        version = s.agentVersion ?? version;
      }
    }
    return {
      connected: sessions.some((s) => s.usable),
      sessions: sessions.length,
      ...(lastSeenAt === undefined ? {} : { lastSeenAt }),
      ...(version === undefined ? {} : { version }),
    };
  }

  /** Open streams of each of the cluster's sessions, in attach order (metrics, tests). */
  streamsPerSession(clusterId: string): number[] {
    return (this.#sessions.get(clusterId) ?? []).map((s) => s.activeStreams);
  }

  /** Closes the sessions of a cluster that `keep` rejects (a rotated-away secret). */
  retain(clusterId: string, keep: (session: AgentSession) => boolean, reason: string): number {
    const doomed = (this.#sessions.get(clusterId) ?? []).filter((s) => !keep(s));
    for (const s of doomed) s.close(reason);
    return doomed.length;
  }

  closeCluster(clusterId: string, reason: string): void {
    this.retain(clusterId, () => false, reason);
  }

  /** Called with a cluster id whenever one of its sessions comes or goes. */
  onChange(listener: (clusterId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Ends each session as soon as it carries no stream (Paddock is stopping): its agent
   * reconnects, through the load balancer, to another replica, while calls under way here
   * finish. A session still busy when the grace period ends goes with the server's sockets.
   */
  drain(reason: string, everyMs = 100): void {
    const pass = () => {
      for (const list of [...this.#sessions.values()]) {
        for (const s of list) if (s.activeStreams === 0) s.close(reason);
      }
    };
    pass();
    clearInterval(this.#draining);
    this.#draining = setInterval(pass, everyMs);
    this.#draining.unref();
  }

  close(): void {
    clearInterval(this.#draining);
    for (const list of [...this.#sessions.values()]) {
      for (const s of list) s.close('Paddock is shutting down');
    }
    this.#sessions.clear();
  }

  /** The usable session with the fewest open streams; ties take turns. */
  #pick(clusterId: string): AgentSession | undefined {
    const list = this.#sessions.get(clusterId);
    if (list === undefined) return undefined;
    this.#turn = (this.#turn + 1) % 1_000_000;
    let best: AgentSession | undefined;
    for (let i = 0; i < list.length; i++) {
      const s = list[(i + this.#turn) % list.length]!;
      if (!s.usable) continue;
      if (best === undefined || s.activeStreams < best.activeStreams) best = s;
    }
    return best;
  }

  #remember(session: AgentSession): void {
    const before = this.#lastSeen.get(session.clusterId);
    if (before === undefined || session.lastSeenAt >= before.at) {
      this.#lastSeen.set(session.clusterId, {
        at: session.lastSeenAt,
        version: session.agentVersion ?? before?.version,
      });
    }
  }

  #notify(clusterId: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(clusterId);
      } catch {
        // One listener's failure must not silence the others.
      }
    }
  }
}
