import type { HttpRoute } from './http-route.js';

/**
 * Finds the route for a request path; exact routes win over prefixes, longer prefixes first.
 * A prefix route at `/` (the web console) catches whatever no other route matched.
 */
export class Router {
  readonly #exact = new Map<string, HttpRoute>();
  readonly #prefixes: HttpRoute[] = [];
  #fallback: HttpRoute | undefined;

  constructor(routes: readonly HttpRoute[]) {
    for (const route of routes) {
      if (route.prefix && route.path === '/') {
        if (this.#fallback !== undefined) throw new Error('duplicate route /');
        this.#fallback = route;
      } else if (route.prefix) this.#prefixes.push(route);
      else if (this.#exact.has(route.path)) throw new Error(`duplicate route ${route.path}`);
      else this.#exact.set(route.path, route);
    }
    this.#prefixes.sort((a, b) => b.path.length - a.path.length);
  }

  /** `rawUrl` is the request target as received; the query string is ignored. */
  match(rawUrl: string): HttpRoute | undefined {
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const exact = this.#exact.get(path);
    if (exact !== undefined) return exact;
    for (const route of this.#prefixes) {
      if (path === route.path || path.startsWith(`${route.path}/`)) return route;
    }
    return this.#fallback;
  }
}
