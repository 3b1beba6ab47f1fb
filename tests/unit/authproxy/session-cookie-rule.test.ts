import { expect } from 'chai';
import { cookieRefusal } from '../../../src/authproxy/proxy-credentials.js';
import { type ProxyHarness, startProxyHarness } from './support/proxy-harness.js';
import { closedWithin, rawRequest } from './support/raw-http.js';

// The MapAuthenticator reads `paddock_session=<token>` like a session cookie; `alice` is valid.
const COOKIE = 'Cookie: theme=dark; paddock_session=alice';

describe('the session cookie on /k8s/ (ADR 0016)', () => {
  describe('the rule', () => {
    const cases: [string, Record<string, string>, boolean, string | undefined][] = [
      [
        'a same-origin fetch with the header',
        { 'x-paddock-csrf': '1', 'sec-fetch-site': 'same-origin', host: 'p.example' },
        false,
        undefined,
      ],
      ['a non-browser client with the header', { 'x-paddock-csrf': '1' }, false, undefined],
      ['a request without the header', { host: 'p.example' }, false, 'X-Paddock-CSRF is missing'],
      ['an empty header', { 'x-paddock-csrf': ' ' }, false, 'X-Paddock-CSRF is missing'],
      [
        'a cross-site request',
        { 'x-paddock-csrf': '1', 'sec-fetch-site': 'cross-site' },
        false,
        'Sec-Fetch-Site is cross-site',
      ],
      [
        'a same-site request',
        { 'x-paddock-csrf': '1', 'sec-fetch-site': 'same-site' },
        false,
        'Sec-Fetch-Site is same-site',
      ],
      ['a typed-in navigation', { 'sec-fetch-site': 'none' }, false, 'Sec-Fetch-Site is none'],
      [
        'a foreign Origin',
        { 'x-paddock-csrf': '1', origin: 'https://evil.example', host: 'p.example' },
        false,
        'the Origin is not Paddock',
      ],
      [
        'a sandboxed page (Origin null)',
        { 'x-paddock-csrf': '1', origin: 'null', host: 'p.example' },
        false,
        'the Origin is not Paddock',
      ],
      [
        'an upgrade from Paddock',
        { origin: 'https://p.example:8443', host: 'p.example:8443' },
        true,
        undefined,
      ],
      [
        'an upgrade on the default port',
        { origin: 'https://p.example', host: 'p.example:443' },
        true,
        undefined,
      ],
      [
        'an upgrade from another port',
        { origin: 'https://p.example:9443', host: 'p.example:8443' },
        true,
        'the Origin is not Paddock',
      ],
      [
        'an upgrade from a foreign Origin',
        { origin: 'https://evil.example', host: 'p.example' },
        true,
        'the Origin is not Paddock',
      ],
      [
        'an upgrade without an Origin',
        { host: 'p.example', 'x-paddock-csrf': '1' },
        true,
        'an upgrade needs an Origin of Paddock',
      ],
    ];
    for (const [what, headers, upgrade, refusal] of cases) {
      it(`${refusal === undefined ? 'accepts' : 'refuses'} the cookie on ${what}`, () => {
        expect(cookieRefusal({ headers, remoteAddress: undefined, upgrade })).to.equal(refusal);
      });
    }
  });

  describe('through the proxy', () => {
    let h: ProxyHarness;
    before(async () => {
      h = await startProxyHarness();
    });
    after(async () => {
      await h.stop();
    });

    const get = async (extra: string[]) => {
      const res = await rawRequest(h.port, [
        'GET /k8s/clusters/c1/api/v1/namespaces/x/services/web:80/proxy/ HTTP/1.1',
        'Host: paddock.local',
        ...extra,
      ]);
      res.socket.destroy();
      return res;
    };

    it('refuses a cookie-only request with 401 and never calls the cluster', async () => {
      const before = h.api.requests.length;
      const res = await get([COOKIE]);
      expect(res.status).to.equal(401);
      expect(JSON.parse(res.body).message).to.match(/X-Paddock-CSRF is missing/);
      expect(h.api.requests.length).to.equal(before);
    });

    it('accepts the cookie with X-Paddock-CSRF from Paddock itself', async () => {
      const res = await get([COOKIE, 'X-Paddock-CSRF: 1', 'Sec-Fetch-Site: same-origin']);
      expect(res.status).to.equal(200);
    });

    it('refuses the cookie on a cross-site request even with the header', async () => {
      const res = await get([COOKIE, 'X-Paddock-CSRF: 1', 'Sec-Fetch-Site: cross-site']);
      expect(res.status).to.equal(401);
    });

    it('keeps a bearer token working whatever the browser headers say', async () => {
      const res = await get([
        'Authorization: Bearer alice',
        'Sec-Fetch-Site: cross-site',
        'Origin: https://evil.example',
      ]);
      expect(res.status).to.equal(200);
    });

    const upgrade = (extra: string[]) =>
      rawRequest(h.port, [
        'GET /k8s/clusters/c1/api/v1/namespaces/d/pods/p/exec?command=sh&stdout=1 HTTP/1.1',
        'Host: paddock.local',
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        COOKIE,
        ...extra,
      ]);

    it('refuses a cookie-only WebSocket upgrade from a foreign Origin', async () => {
      h.api.onUpgrade((_req, socket) => socket.destroy());
      const before = h.api.requests.length;
      const res = await upgrade(['Origin: https://evil.example']);
      expect(res.status).to.equal(401);
      await closedWithin(res.socket, 2000);
      expect(h.api.requests.length).to.equal(before);
    });

    it("tunnels a cookie WebSocket upgrade whose Origin is Paddock's own", async () => {
      h.api.onUpgrade((req, socket) => {
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n`,
        );
      });
      const res = await upgrade(['Origin: https://paddock.local']);
      expect(res.status).to.equal(101);
      res.socket.destroy();
    });
  });
});
