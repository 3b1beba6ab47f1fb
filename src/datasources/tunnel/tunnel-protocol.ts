/**
 * The wire contract between `paddock agent` and Paddock (ADR 0017, 0022). The agent opens a
 * WebSocket to `/v1/connect` with its registration token; over that one socket runs one
 * HTTP/2 session in which the agent is the server and Paddock the client. Paddock sends
 * `CONNECT <api-server host:port>` for every TLS connection it wants to the API server, and
 * `GET /registration` once to learn the API server's address, CA and the two account tokens.
 * Both sides import this file and the carriers (`tunnel-carrier.ts`, `websocket-stream.ts`).
 */
import { z } from 'zod';
import { AGENT_TUNNEL_ERROR_CODE } from '../../domain/cluster-upstream.js';

/** Where the agent dials (WebSocket upgrade on Paddock's one listener). */
export const AGENT_CONNECT_PATH = '/v1/connect';

/**
 * How the WebSocket carries the HTTP/2 bytes, named by its subprotocol (ADR 0022): `stream`
 * sends one endless binary message each way, so node:http2 works on the socket itself;
 * `messages` sends one message per write, for intermediaries that hold messages whole.
 */
export type TunnelFraming = 'stream' | 'messages';

/** The WebSocket subprotocol of each framing; a new incompatible wire format gets a new name. */
export const AGENT_TUNNEL_PROTOCOLS: Readonly<Record<TunnelFraming, string>> = {
  stream: 'paddock-tunnel.v2',
  messages: 'paddock-tunnel.v1',
};

/** Asked by Paddock on a fresh session: what the agent knows of its cluster. */
export const AGENT_REGISTRATION_PATH = '/registration';

/** Registration tokens: `pdkagent_<clusterId>_<secret>`. */
export const AGENT_TOKEN_PREFIX = 'pdkagent';

/** The `code` of every failure the tunnel itself causes (no agent, agent gone, refused). */
export const TUNNEL_ERROR_CODE = AGENT_TUNNEL_ERROR_CODE;

/** Largest registration answer Paddock reads (a CA bundle and two tokens fit easily). */
export const MAX_REGISTRATION_BYTES = 256 * 1024;

/**
 * HTTP/2 settings both sides use. Windows larger than the 64 KiB default let one stream (a
 * LIST of a big namespace) fill a link with some latency, while each stream still has its own
 * flow control, so a slow watch consumer stalls only its own stream.
 */
export const TUNNEL_HTTP2_SETTINGS = {
  enablePush: false,
  initialWindowSize: 1024 * 1024,
  maxConcurrentStreams: 10_000,
  maxHeaderListSize: 64 * 1024,
} as const;

/** Window of the whole session (all streams together), set with `setLocalWindowSize`. */
export const TUNNEL_SESSION_WINDOW = 16 * 1024 * 1024;

/** Memory nghttp2 may hold for one session, in MiB (Node's default of 10 is tight here). */
export const TUNNEL_SESSION_MEMORY_MB = 64;

/** What the agent reports about its cluster when Paddock asks. */
export interface AgentRegistration {
  /** The agent's own version (`paddock version`). */
  readonly agentVersion: string;
  /** `https://host:port` of the API server as the agent reaches it inside the cluster. */
  readonly apiServer: string;
  /** PEM of the cluster's CA (the service account's `ca.crt`). */
  readonly caPem: string;
  /** Name to check the API server's certificate against, when not the URL's host. */
  readonly tlsServerName?: string;
  readonly impersonatorToken: string;
  readonly managerToken: string;
}

const registrationSchema = z.object({
  agentVersion: z.string().min(1).max(100),
  apiServer: z.string().min(1).max(2048),
  caPem: z.string().min(1).max(MAX_REGISTRATION_BYTES),
  tlsServerName: z.string().min(1).max(253).optional(),
  impersonatorToken: z
    .string()
    .min(1)
    .max(16 * 1024),
  managerToken: z
    .string()
    .min(1)
    .max(16 * 1024),
});

/** Parses an agent's registration answer; throws an Error naming the bad field. */
export function parseAgentRegistration(text: string): AgentRegistration {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('the registration answer is not JSON');
  }
  const parsed = registrationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the registration answer is invalid: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
    );
  }
  const { tlsServerName, ...rest } = parsed.data;
  return tlsServerName === undefined ? rest : { ...rest, tlsServerName };
}

/** The token the agent presents: the cluster it is for and its secret. */
export function formatAgentToken(clusterId: string, secret: string): string {
  return `${AGENT_TOKEN_PREFIX}_${clusterId}_${secret}`;
}

/**
 * Splits a registration token; undefined when it does not have the shape. Cluster ids have
 * no `_`, so the id ends at the second one and the secret (base64url) may contain more.
 */
export function parseAgentToken(
  token: string,
): { readonly clusterId: string; readonly secret: string } | undefined {
  const prefix = `${AGENT_TOKEN_PREFIX}_`;
  if (!token.startsWith(prefix)) return undefined;
  const rest = token.slice(prefix.length);
  const end = rest.indexOf('_');
  if (end <= 0) return undefined;
  const clusterId = rest.slice(0, end);
  const secret = rest.slice(end + 1);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(clusterId)) return undefined;
  if (!/^[A-Za-z0-9_-]{32,128}$/.test(secret)) return undefined;
  return { clusterId, secret };
}

/** An Error with the tunnel's code: the proxy answers it with a 503 Status. */
export function tunnelError(message: string, cause?: unknown): Error & { code: string } {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), {
    code: TUNNEL_ERROR_CODE,
  });
}
