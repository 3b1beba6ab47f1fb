/**
 * Requests to user-given URLs (webhooks, chat robots, log targets). One implementation
 * (`src/alerting/notifiers/outbound-http.ts`) is the single place an outbound policy applies;
 * other adapters get it injected by the composition root.
 */
export interface OutboundRequest {
  readonly url: string;
  readonly method?: 'POST' | 'PUT' | 'GET';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Extra CA certificates (PEM) trusted for this target. */
  readonly caPem?: string;
  readonly timeoutMs?: number;
}

export interface OutboundAnswer {
  readonly status: number;
  readonly text: string;
}

export type OutboundHttp = (request: OutboundRequest) => Promise<OutboundAnswer>;
