/**
 * The Kubernetes verb of a request, worked out the way the API server does (a list and a get
 * differ by whether a name follows the resource), for audit lines and metric labels, and
 * whether its answer streams (watch, `logs -f`), which decides whether revocation must follow
 * it for its whole life.
 */
import { kubeQueryBool } from './kube-query-bool.js';

export interface RequestKind {
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, ... */
  readonly verb: string;
  /** The response stays open for as long as the client wants (watch, `logs -f`). */
  readonly streaming: boolean;
  /** Writes something (audited). */
  readonly mutating: boolean;
}

/** A segment as the API server's router sees it (the proxy path was validated: no `/` inside). */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function requestKindOf(method: string, path: string, query: string): RequestKind {
  const params = new URLSearchParams(query);
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  let rest: string[] = [];
  if (segments[0] === 'api') rest = segments.slice(2);
  else if (segments[0] === 'apis') rest = segments.slice(3);
  const isResource = segments[0] === 'api' || segments[0] === 'apis';

  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  // namespaces/{ns}/{resource}/... addresses a namespaced resource; namespaces/{ns} alone is a
  // namespace object.
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const hasName = rest.length >= 2;

  const follow = kubeQueryBool(params, 'follow');
  const watchParam = isResource && kubeQueryBool(params, 'watch');
  // The API server watches on `?watch` only for a collection; a named GET stays a get.
  const watch = watchPath || (watchParam && !hasName);
  let verb: string;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watch ? 'watch' : isResource && !hasName ? 'list' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = hasName || !isResource ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase();
  }
  const mutating = !['get', 'list', 'watch', 'head', 'options'].includes(verb);
  // Tracking a request that turns out short costs a little; missing a stream lets it outlive
  // a revocation, so any watch or follow flag counts.
  return { verb, streaming: watch || watchParam || follow, mutating };
}
