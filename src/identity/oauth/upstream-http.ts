/**
 * HTTP calls to an identity provider: every call bounded by a timeout, and every way the
 * provider can fail turned into a `PaddockError` the HTTP layer already knows how to map.
 */
import { PaddockError } from '../../errors/index.js';

/** The subset of the global `fetch` the providers use; injectable so tests need no network. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface UpstreamCall {
  readonly url: string | URL;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string | URLSearchParams;
  readonly timeoutMs: number;
  /** Names the provider endpoint in error messages, e.g. `GitHub token endpoint`. */
  readonly what: string;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * Sends one request and reads the whole body under the same deadline, so a provider that
 * stalls mid-body cannot hold a login open.
 */
export async function callUpstream(
  fetchFn: FetchLike,
  call: UpstreamCall,
): Promise<UpstreamResponse> {
  const signal = AbortSignal.timeout(call.timeoutMs);
  try {
    const response = await fetchFn(call.url, {
      method: call.method ?? 'GET',
      headers: call.headers,
      body: call.body,
      signal,
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (signal.aborted || isAbortError(error)) {
      throw new PaddockError(
        'UPSTREAM_TIMEOUT',
        `${call.what} did not answer within ${call.timeoutMs} ms`,
        { reason: 'upstream_timeout', cause: error },
      );
    }
    throw new PaddockError('UPSTREAM_UNAVAILABLE', `${call.what} is unreachable`, {
      reason: 'upstream_unreachable',
      cause: error,
    });
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Parses a JSON body, or fails as an upstream fault (a proxy's HTML error page, say). */
export function parseJsonBody(response: UpstreamResponse, what: string): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch (error) {
    throw new PaddockError(
      'UPSTREAM_UNAVAILABLE',
      `${what} answered with a body that is not JSON`,
      {
        reason: 'upstream_bad_response',
        details: { status: response.status },
        cause: error,
      },
    );
  }
}

/**
 * Seconds to wait before calling again, from `Retry-After` (seconds or an HTTP date) or from
 * GitHub's `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0.
 */
export function retryAfterSeconds(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - nowMs) / 1000));
  }
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - nowMs / 1000));
  }
  return undefined;
}

/** GitHub signals both primary and secondary rate limits with 403 or 429 plus these headers. */
export function isRateLimited(response: UpstreamResponse): boolean {
  if (response.status === 429) return true;
  return (
    response.status === 403 &&
    (response.headers.get('x-ratelimit-remaining') === '0' || response.headers.has('retry-after'))
  );
}

/** A rate-limited or failing provider: the caller should try again later. */
export function upstreamUnavailable(
  what: string,
  response: UpstreamResponse,
  nowMs: number,
): PaddockError {
  const retry = retryAfterSeconds(response.headers, nowMs);
  const limited = isRateLimited(response);
  const hint = retry === undefined ? '' : `; retry in ${retry} s`;
  return new PaddockError(
    'UPSTREAM_UNAVAILABLE',
    limited
      ? `${what} is rate-limiting Paddock${hint}`
      : `${what} failed with HTTP ${response.status}${hint}`,
    {
      reason: limited ? 'upstream_rate_limited' : 'upstream_error',
      details: {
        status: response.status,
        ...(retry === undefined ? {} : { retryAfterSeconds: retry }),
      },
    },
  );
}
