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

/**
 * Where alerting and logging may dial for a user-given target (an outbound allow/deny list):
 * `check` refuses a host (FORBIDDEN) before anything is sent; `lookup`, when given, is what
 * sockets resolve names with, so they dial only addresses the policy checked.
 */
export interface OutboundDialPolicy {
  check(host: string): Promise<void>;
  readonly lookup?: import('node:net').LookupFunction;
}

/** Allows every host; the composition root installs a real policy where one is configured. */
export const ALLOW_ALL_OUTBOUND: OutboundDialPolicy = { check: async () => undefined };
