/**
 * Just enough of a browser to walk an OpenID Provider's login and consent pages: a cookie jar
 * (name + path, as the provider scopes its interaction cookies by path), manual redirects,
 * and form submission. It stops at the first redirect to the relying party's callback.
 */

interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

export interface PageForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

/** Where a navigation ended: a page to act on, or the redirect back to the callback. */
export type Landing =
  | { readonly kind: 'page'; readonly url: string; readonly status: number; readonly html: string }
  | { readonly kind: 'callback'; readonly url: URL };

const MAX_REDIRECTS = 20;

function decodeEntities(text: string): string {
  return text
    .replaceAll('&amp;', '&')
    .replaceAll('&#x2F;', '/')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}

export class TestBrowser {
  private readonly jar = new Map<string, StoredCookie>();

  /** @param callbackPrefix the relying party's redirect URI; navigation stops there. */
  constructor(private readonly callbackPrefix: string) {}

  navigate(url: string): Promise<Landing> {
    return this.request(url, 'GET');
  }

  /** Submits a form with its hidden fields plus `values`. */
  submit(form: PageForm, values: Record<string, string> = {}): Promise<Landing> {
    return this.request(form.action, 'POST', new URLSearchParams({ ...form.fields, ...values }));
  }

  /** The first form on a page, with the values of its hidden inputs. */
  static formOf(html: string): PageForm {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (form?.[1] === undefined) throw new Error(`no form on the page:\n${html.slice(0, 500)}`);
    const fields: Record<string, string> = {};
    for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
      if (name !== undefined) fields[name] = decodeEntities(value);
    }
    return { action: decodeEntities(form[1]), fields };
  }

  /** The target of the link whose text contains `text` (e.g. the provider's Cancel link). */
  static linkOf(html: string, text: string): string {
    for (const link of html.matchAll(/<a[^>]*href="([^"]+)"[^>]*>([^<]*)<\/a>/g)) {
      if ((link[2] ?? '').includes(text) && link[1] !== undefined) return decodeEntities(link[1]);
    }
    throw new Error(`no link "${text}" on the page`);
  }

  private async request(url: string, method: string, body?: URLSearchParams): Promise<Landing> {
    let current = new URL(url);
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; hop < MAX_REDIRECTS; hop += 1) {
      if (current.href.startsWith(this.callbackPrefix)) return { kind: 'callback', url: current };
      const headers: Record<string, string> = {};
      const cookie = this.cookieHeader(current);
      if (cookie !== '') headers.cookie = cookie;
      if (currentBody !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(current, {
        method: currentMethod,
        headers,
        body: currentBody,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      this.store(current, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.arrayBuffer();
        current = new URL(location, current);
        currentMethod = 'GET';
        currentBody = undefined;
        continue;
      }
      return {
        kind: 'page',
        url: current.href,
        status: response.status,
        html: await response.text(),
      };
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
  }

  private cookieHeader(url: URL): string {
    return [...this.jar.values()]
      .filter(
        (c) =>
          url.pathname === c.path ||
          url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=').map((s) => s.trim());
        if (key.toLowerCase() === 'path' && val.startsWith('/')) path = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${name}\0${path}`;
      if (expired || value === '') this.jar.delete(key);
      else this.jar.set(key, { name, value, path });
    }
  }
}
