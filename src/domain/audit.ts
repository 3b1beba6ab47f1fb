/** The audit trail of requests that change something in a downstream cluster. */

export interface ProxyAuditEvent {
  readonly kind: 'k8s-proxy';
  /** Epoch milliseconds when the request arrived. */
  readonly at: number;
  readonly requestId: string;
  readonly userId: string;
  readonly username: string;
  readonly groups: readonly string[];
  readonly tokenKind: string;
  readonly clusterId: string;
  /** Kubernetes verb derived from method and path (`create`, `update`, `patch`, `delete`, ...). */
  readonly verb: string;
  readonly method: string;
  readonly path: string;
  /** Status sent to the client; 0 when the connection ended before one was sent. */
  readonly status: number;
  readonly durationMs: number;
  readonly remoteAddress?: string;
}

/** Where audit events go (a JSON-lines file, the log, a test array). Must not throw. */
export interface AuditSink {
  write(event: ProxyAuditEvent): void;
}

/** What was done to a cluster's registration (GraphQL mutations and the pending-import sweep). */
export type ClusterAuditAction =
  | 'import'
  | 'create-import'
  | 'complete-import'
  | 'update-connection'
  | 'update'
  | 'remove'
  | 'expire'
  | 'rotate-agent-secret';

/** One audited change (or refused attempt) to a cluster's registration. Never carries a secret. */
export interface ClusterAuditEvent {
  readonly kind: 'cluster-admin';
  /** Epoch milliseconds. */
  readonly at: number;
  readonly action: ClusterAuditAction;
  readonly clusterId: string;
  /** `denied`: the caller may not; `failed`: allowed, but it did not happen. */
  readonly outcome: 'success' | 'denied' | 'failed';
  /** Absent for Paddock's own actions (the sweep). */
  readonly requestId?: string;
  readonly userId?: string;
  readonly username?: string;
  /** The endpoint the caller named, for imports and connection changes. */
  readonly endpoint?: string;
  /** The error code when the outcome is not `success`. */
  readonly error?: string;
}

/** Where cluster audit events go. Must not throw. */
export interface ClusterAuditSink {
  write(event: ClusterAuditEvent): void;
}
