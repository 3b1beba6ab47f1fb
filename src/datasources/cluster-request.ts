import type { Dispatcher } from 'undici';
import { PaddockError } from '../errors/index.js';

export interface ClusterCallTarget {
  readonly endpoint: URL;
  readonly dispatcher: Dispatcher;
}

export interface ClusterCall {
  readonly method?: Dispatcher.HttpMethod;
  /** Path below the endpoint, starting with `/`. */
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly timeoutMs: number;
  /** Ends the call early, e.g. when Paddock shuts down or a controller loses its lease. */
  readonly signal?: AbortSignal;
}

export interface ClusterAnswer {
  readonly status: number;
  readonly text: string;
  json<T = unknown>(): T;
}

/** The path on the wire: the endpoint's own prefix (if any) followed by `path`. */
export function upstreamPath(endpoint: URL, path: string): string {
  const prefix = endpoint.pathname.replace(/\/+$/, '');
  return `${prefix}${path}`;
}

/**
 * One bounded call to a cluster with Paddock's own credentials (health, token reads, manifest
 * installs). Network failures become `UPSTREAM_*` errors; HTTP statuses are returned as data.
 */
export async function callCluster(
  target: ClusterCallTarget,
  call: ClusterCall,
): Promise<ClusterAnswer> {
  const deadline = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal === undefined ? deadline : AbortSignal.any([deadline, call.signal]);
  const headers: Record<string, string> = {
    authorization: `Bearer ${call.token}`,
    accept: 'application/json',
  };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
    headers['content-type'] = call.contentType ?? 'application/json';
  }
  try {
    const answer = await target.dispatcher.request({
      origin: target.endpoint.origin,
      path: upstreamPath(target.endpoint, call.path),
      method: call.method ?? 'GET',
      headers,
      body,
      signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
    const text = await answer.body.text();
    return {
      status: answer.statusCode,
      text,
      json<T>() {
        return JSON.parse(text) as T;
      },
    };
  } catch (err) {
    if (call.signal?.aborted) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', 'the call was cancelled', {
        cause: err,
        reason: 'cancelled',
      });
    }
    throw upstreamError(err, deadline.aborted);
  }
}

/** Maps a socket-level failure to the error code the caller should see. */
export function upstreamError(err: unknown, timedOut = false): PaddockError {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (timedOut || /TIMEOUT|ETIMEDOUT|AbortError/.test(code) || isAbort(err)) {
    return new PaddockError('UPSTREAM_TIMEOUT', 'the cluster did not answer in time', {
      cause: err,
    });
  }
  if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED/.test(code)) {
    return new PaddockError('UPSTREAM_RESET', 'the cluster closed the connection', {
      cause: err,
    });
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new PaddockError('UPSTREAM_RESET', `TLS verification of the cluster failed: ${code}`, {
      cause: err,
      reason: 'tls_verification_failed',
    });
  }
  return new PaddockError(
    'UPSTREAM_UNAVAILABLE',
    `the cluster is unreachable: ${code || message}`,
    {
      cause: err,
    },
  );
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/**
 * Whether an answer is a Kubernetes `Status` object: proof that an API server (not just any
 * web server) answered, before an error is told apart from "cannot reach endpoint" (ADR 0011).
 */
export function isKubeStatus(answer: ClusterAnswer): boolean {
  try {
    const body = answer.json<{ kind?: unknown; apiVersion?: unknown }>();
    return body !== null && typeof body === 'object' && body.kind === 'Status';
  } catch {
    return false;
  }
}
