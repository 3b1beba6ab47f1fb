/**
 * Downstream clusters as the entry points see them. `src/datasources` owns the records, the
 * credentials and the connections; the proxy and the resolvers only get this port, so they
 * never touch a token at rest or pick a TLS setting themselves.
 */
import type { Agent } from 'node:https';
import type { Dispatcher } from 'undici';
import type { ClusterUpstream } from './cluster-upstream.js';

/**
 * `pending`: registered, waiting for its manifest to be applied; `active`: the last probes
 * succeeded; `degraded`: it answers, but slowly, or a probe just failed, or it is coming back,
 * or it keeps going up and down (the message says which); `unavailable`: the API server did
 * not answer or is not ready, several probes in a row; `unauthorized`: it answered but refused
 * Paddock's credentials.
 */
export type ClusterState = 'pending' | 'active' | 'degraded' | 'unavailable' | 'unauthorized';

/** Whether a cluster in this state answers requests (perhaps slowly). */
export function isAnswering(state: ClusterState): boolean {
  return state === 'active' || state === 'degraded';
}

/** How the cluster's credentials reached Paddock. */
export type ClusterImportMethod = 'direct' | 'kubeconfig' | 'manifest';

/**
 * How Paddock reaches a cluster's API server: `direct` dials it; `agent` goes through the
 * tunnel that `paddock agent`, running inside the cluster, opened to Paddock (ADR 0017).
 */
export type ClusterTransportKind = 'direct' | 'agent';

/** The agent side of an agent cluster's health, as the replica answering knows it. */
export interface AgentHealth {
  /** At least one agent session can carry streams now. */
  readonly connected: boolean;
  /** Agent sessions connected to this replica (one per agent replica). */
  readonly sessions: number;
  /** Epoch milliseconds of the last sign of life (a PING answer, a registration). */
  readonly lastSeenAt?: number;
  /** The agent's version, from its registration. */
  readonly version?: string;
}

/** The last background health probe of one cluster. */
export interface ClusterHealth {
  readonly state: ClusterState;
  /** Epoch milliseconds of the probe; absent before the first one. */
  readonly checkedAt?: number;
  /** `gitVersion` from `/version`. */
  readonly version?: string;
  readonly nodesTotal?: number;
  readonly nodesReady?: number;
  /** Why the cluster is not active, safe to show to an administrator. */
  readonly message?: string;
  /** Only for agent clusters. */
  readonly agent?: AgentHealth;
}

/** A registered cluster without its credentials: what lists and the GraphQL API show. */
export interface ClusterSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly endpoint: string;
  readonly importMethod: ClusterImportMethod;
  /** How Paddock reaches it; absent = `direct`. */
  readonly transport?: ClusterTransportKind;
  readonly dangerouslySkipTlsVerify: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly health: ClusterHealth;
  /** Id of the user who imported it through the API; absent for operator imports. */
  readonly createdBy?: string;
}

/** Whether a call to a cluster may go out now; fed with the outcome of every call. */
export interface CircuitGate {
  /** False while the circuit is open: answer "unavailable" without dialling the cluster. */
  allowRequest(): boolean;
  /** A call reached the API server (any HTTP status). */
  recordSuccess(): void;
  /** A call failed to connect, was reset or timed out. */
  recordFailure(): void;
  readonly circuit: 'closed' | 'open' | 'half-open';
}

/** Everything needed to send one request to a cluster's API server as the impersonator. */
export interface ClusterConnection {
  readonly clusterId: string;
  /** Base URL of the API server, e.g. `https://10.0.0.1:6443` or `https://host/prefix`. */
  readonly endpoint: URL;
  /** Keep-alive agent verifying the cluster's CA (for upgrades: exec, attach, port-forward). */
  readonly agent: Agent;
  /** Keep-alive undici pool with the same TLS settings (Paddock's own calls). */
  readonly dispatcher: Dispatcher;
  /** Kept-alive HTTP/1.1 connections with the same TLS settings (proxied plain requests). */
  readonly upstream: ClusterUpstream;
  /** Bearer token of the `paddock-impersonator` service account. Never log it. */
  readonly impersonatorToken: string;
  readonly health: ClusterHealth;
  readonly gate: CircuitGate;
}

/** The proxy's view of the cluster registry. */
export interface ClusterRegistry {
  /** The connection to a registered cluster, or `undefined` for an unknown id. */
  connection(clusterId: string): Promise<ClusterConnection | undefined>;
}

/**
 * The `Impersonate-Extra-*` keys the proxy sets (percent-encoded in the header name). The
 * import manifest lets the impersonator set these and no other extra.
 */
export const EXTRA_PRINCIPAL_ID = 'paddock.io/principal-id';
export const EXTRA_USERNAME = 'paddock.io/username';

/** Renders the manifest an operator applies to import a registered cluster. */
export interface ImportManifestSource {
  /**
   * Multi-document YAML; `NOT_FOUND` for an unknown cluster. `baseUrl` is where the caller
   * reached Paddock: an agent cluster's manifest tells its agent to dial there unless
   * Paddock's URL is configured.
   */
  importManifest(clusterId: string, context?: { readonly baseUrl?: string }): Promise<string>;
}
