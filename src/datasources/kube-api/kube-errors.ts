/** Turns downstream answers and socket failures into typed `KubeApiError`s. */
import { isKubeApiError, KubeApiError, type KubeErrorCode } from '../../domain/kube-api.js';
import { isPaddockError } from '../../errors/index.js';

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
}

/** The code for an HTTP status other than 2xx. */
export function codeOfStatus(status: number): KubeErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 410:
      return 'GONE';
    case 422:
      return 'INVALID';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 503:
    case 502:
      return 'UNAVAILABLE';
    case 504:
      return 'TIMEOUT';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}

/** The error for a non-2xx answer, carrying the downstream's `Status.message`. */
export function errorOfAnswer(clusterId: string, status: number, text: string): KubeApiError {
  let body: StatusBody | undefined;
  try {
    body = JSON.parse(text) as StatusBody;
  } catch {
    body = undefined;
  }
  const code = codeOfStatus(status);
  const message =
    code === 'UNAUTHORIZED'
      ? `cluster ${clusterId} refused Paddock's impersonator credentials`
      : (body?.message ?? (text.trim().slice(0, 300) || `the cluster answered ${status}`));
  return new KubeApiError(clusterId, code, message, {
    status,
    ...(body?.reason ? { kubeReason: body.reason } : {}),
  });
}

/** The error for a call that got no answer. */
export function errorOfFailure(clusterId: string, err: unknown, timedOut: boolean): KubeApiError {
  if (isKubeApiError(err)) return err;
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (timedOut || isTimeout(err)) {
    return new KubeApiError(clusterId, 'TIMEOUT', `cluster ${clusterId} did not answer in time`, {
      cause: err,
    });
  }
  if (isPaddockError(err) && err.code === 'UPSTREAM_UNAVAILABLE') {
    return new KubeApiError(clusterId, 'UNREACHABLE', err.message, { cause: err });
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new KubeApiError(
      clusterId,
      'UNREACHABLE',
      `TLS verification of cluster ${clusterId} failed: ${code}`,
      { cause: err },
    );
  }
  const detail = code || (err instanceof Error ? err.message : String(err));
  return new KubeApiError(
    clusterId,
    'UNREACHABLE',
    `cluster ${clusterId} is unreachable: ${detail}`,
    {
      cause: err,
    },
  );
}

function isTimeout(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  return (
    /TIMEOUT|ETIMEDOUT/.test(code) ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  );
}
