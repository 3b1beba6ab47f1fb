// A boolean query parameter read as kube-apiserver reads every one of them (watch, follow,
// previous, timestamps, allowWatchBookmarks, sendInitialEvents, stdin/stdout/stderr/tty, ...):
// Convert_Slice_string_To_bool in k8s.io/apimachinery pkg/runtime/conversion.go. Only an
// absent parameter or a first value of `0` or (case-insensitively, strings.EqualFold) `false`
// is false; `True`, `t`, `yes` and the empty value are all true. kubesim keeps its own copy so
// that it never imports Paddock's src/. (`pretty` is the apiserver's one exception, read with
// strconv.ParseBool; kubesim ignores it and always answers compact JSON.)

/** True or false as the API server decodes the parameter; false when absent. */
export function queryBool(params: URLSearchParams, name: string): boolean {
  return optionalQueryBool(params, name) ?? false;
}

/** The same for `*bool` options (sendInitialEvents): undefined when the parameter is absent. */
export function optionalQueryBool(params: URLSearchParams, name: string): boolean | undefined {
  const first = params.get(name);
  if (first === null) return undefined;
  return first !== '0' && !equalFoldFalse(first);
}

// Under Unicode simple case folding only U+017F (long s) and U+212A (Kelvin) equal ASCII letters.
const NON_ASCII_FOLDS: Readonly<Record<string, string>> = { '\u017f': 's', '\u212a': 'k' };

function equalFoldFalse(value: string): boolean {
  if (value.length !== 5) return false;
  return (
    value.replace(/[A-Z\u017f\u212a]/g, (c) => NON_ASCII_FOLDS[c] ?? c.toLowerCase()) === 'false'
  );
}
