/**
 * A boolean query parameter (`watch`, `follow`, `allowWatchBookmarks`, `stdin`, ...) read the
 * way kube-apiserver reads it: `Convert_Slice_string_To_bool` in k8s.io/apimachinery
 * (`pkg/runtime/conversion.go`). Only an absent parameter, or a first value equal to `0` or,
 * ignoring case, `false` is false; anything else is true, the empty value included, so
 * `watch=True` (the Python client), `watch=t`, `watch=yes` and `watch=` all ask for a watch.
 *
 * `URLSearchParams` is more lenient than Go's `url.ParseQuery` (which drops a pair holding `;`
 * or a bad `%` escape), and every such difference makes this read `true` where the API server
 * reads the parameter as absent: the proxy may track a plain request as a watch, never the
 * reverse. (`pretty` is the exception in Kubernetes: it goes through `strconv.ParseBool`; the
 * proxy does not read it.)
 */
export function kubeQueryBool(params: URLSearchParams, name: string): boolean {
  const first = params.get(name);
  if (first === null) return false;
  return first !== '0' && !equalFoldFalse(first);
}

// Go's strings.EqualFold folds by Unicode simple case folding, under which the only non-ASCII
// letters equal to ASCII ones are U+017F (long s ~ s) and U+212A (Kelvin sign ~ k).
const NON_ASCII_FOLDS: Readonly<Record<string, string>> = { '\u017f': 's', '\u212a': 'k' };

function equalFoldFalse(value: string): boolean {
  if (value.length !== 5) return false;
  const folded = value.replace(/[A-Z\u017f\u212a]/g, (c) => NON_ASCII_FOLDS[c] ?? c.toLowerCase());
  return folded === 'false';
}
