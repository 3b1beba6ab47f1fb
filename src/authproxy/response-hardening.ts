/**
 * Headers every answer on `/k8s/` carries, whatever the cluster sent (ADR 0016). A page a pod
 * serves through `services/…/proxy` or `pods/…/proxy` comes from Paddock's origin; these keep
 * a browser from treating it as Paddock's own: `sandbox` (without `allow-same-origin`) gives the
 * document an opaque origin, so it cannot read Paddock's cookies or storage nor make
 * same-origin requests, and lets it run no script, form, popup or top navigation;
 * `default-src 'none'` loads nothing else; `frame-ancestors 'none'` keeps it out of frames;
 * `nosniff` stops JSON or text from being read as HTML or script. kubectl and the client
 * libraries ignore all of them.
 */
export const RELAYED_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
});

/** Sets Paddock's headers on a response header record, replacing the cluster's values. */
export function hardenResponseHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): void {
  for (const name of Object.keys(headers)) {
    if (Object.hasOwn(RELAYED_RESPONSE_HEADERS, name.toLowerCase())) delete headers[name];
  }
  Object.assign(headers, RELAYED_RESPONSE_HEADERS);
}

/** The same headers as raw HTTP/1.1 header lines (each ending in CRLF). */
export function hardeningHeaderLines(): string {
  return Object.entries(RELAYED_RESPONSE_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}
