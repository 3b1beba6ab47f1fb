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
