import type { Socket } from 'node:net';
import { expect } from 'chai';
import { pairsOf } from '../datasources/support/fake-api-server.js';
import {
  IMPERSONATOR_TOKEN,
  type ProxyHarness,
  startProxyHarness,
} from './support/proxy-harness.js';
import { closedWithin, rawRequest } from './support/raw-http.js';

const EXPECTED_IDENTITY: [string, string][] = sortByName([
  ['authorization', `Bearer ${IMPERSONATOR_TOKEN}`],
  ['impersonate-user', 'u-alice'],
  ['impersonate-group', 'openldap_group://cn=devs,dc=example'],
  ['impersonate-group', 'github_team://42'],
  ['impersonate-group', 'system:authenticated'],
  ['impersonate-extra-paddock.io%2fprincipal-id', 'local://u-alice'],
  ['impersonate-extra-paddock.io%2fusername', 'alice'],
]);

const IDENTITY_LIKE =
  /impersonat|authorization|^x-remote-|^x-forwarded-|^forwarded$|^cookie$|^x-real-ip$/i;

/** The identity-bearing lines the fake cluster received, lowercased names, in order. */
function identityLines(headers: [string, string][]): [string, string][] {
  return sortByName(
    headers.filter(([n]) => IDENTITY_LIKE.test(n)).map(([n, v]) => [n.toLowerCase(), v]),
  );
}

// Header order is not meaningful across names, but the order of repeated lines is.
function sortByName(lines: [string, string][]): [string, string][] {
  return [...lines].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function casings(name: string): string[] {
  const alternating = [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
  return [name, name.toLowerCase(), name.toUpperCase(), alternating];
}

const SPOOFED_NAMES = [
  'Impersonate-User',
  'Impersonate-Group',
  'Impersonate-Uid',
  'Impersonate-Extra-Scopes',
  'Impersonate-Extra-paddock.io%2fprincipal-id',
  'Impersonate-Extra-paddock.io%2fusername',
  'Impersonate-Extra-Paddock.io%2FUsername',
];

const LOOK_ALIKES = [
  'Impersonate_User',
  'Impersonate-User2',
  'X-Impersonate-User',
  'ImpersonateUser',
  'Impersonate-Group-',
  'Impersonate-',
];

const FORWARDING = [
  'X-Forwarded-For: 10.0.0.1',
  'X-Forwarded-Host: evil.example',
  'X-Forwarded-Proto: http',
  'X-Forwarded-User: admin',
  'Forwarded: for=10.0.0.1;host=evil',
  'X-Real-IP: 10.0.0.1',
  'X-Remote-User: admin',
  'X-Remote-Group: system:masters',
  'X-Remote-Extra-Scopes: all',
  'Cookie: paddock_session=stolen',
];

describe('the proxy security matrix', () => {
  let h: ProxyHarness;
  before(async () => {
    h = await startProxyHarness();
  });
  after(async () => {
    await h.stop();
  });

  async function get(extraLines: string[], path = '/k8s/clusters/c1/api/v1/pods') {
    const res = await rawRequest(h.port, [
      `GET ${path} HTTP/1.1`,
      'Host: paddock.local',
      'Authorization: Bearer alice',
      ...extraLines,
    ]);
    res.socket.destroy();
    return res;
  }

  async function upstreamLinesFor(extraLines: string[]): Promise<[string, string][]> {
    const res = await get(extraLines);
    expect(res.status, res.body).to.equal(200);
    const echoed = JSON.parse(res.body) as { headers: [string, string][]; url: string };
    expect(echoed.url).to.equal('/clusters/c1/api/v1/pods');
    return identityLines(echoed.headers);
  }

  describe('plain requests', () => {
    it('sends exactly the impersonation of the caller', async () => {
      expect(await upstreamLinesFor([])).to.deep.equal(EXPECTED_IDENTITY);
    });

    for (const name of SPOOFED_NAMES) {
      for (const cased of casings(name)) {
        it(`drops a client-supplied ${cased}`, async () => {
          expect(await upstreamLinesFor([`${cased}: system:masters`])).to.deep.equal(
            EXPECTED_IDENTITY,
          );
        });
      }
    }

    it('drops repeated and empty spoofed impersonation lines', async () => {
      const lines = [
        'Impersonate-User: admin',
        'impersonate-user: root',
        'Impersonate-Group: system:masters',
        'IMPERSONATE-GROUP: system:masters',
        'Impersonate-Group:',
        'Impersonate-User:',
        'Impersonate-Uid:',
        'Impersonate-Extra-x:',
      ];
      expect(await upstreamLinesFor(lines)).to.deep.equal(EXPECTED_IDENTITY);
    });

    for (const name of LOOK_ALIKES) {
      it(`drops the look-alike header ${name}`, async () => {
        expect(await upstreamLinesFor([`${name}: admin`])).to.deep.equal(EXPECTED_IDENTITY);
      });
    }

    it('never forwards the caller’s own Authorization, however often it is sent', async () => {
      const res = await rawRequest(h.port, [
        'GET /k8s/clusters/c1/api/v1/pods HTTP/1.1',
        'Host: x',
        'Authorization: Bearer alice',
        'authorization: Bearer alice',
      ]);
      res.socket.destroy();
      // Node joins repeated Authorization lines, which no longer parse as one bearer token.
      if (res.status === 200) {
        const lines = identityLines(
          (JSON.parse(res.body) as { headers: [string, string][] }).headers,
        );
        expect(lines).to.deep.equal(EXPECTED_IDENTITY);
      } else {
        expect(res.status).to.equal(401);
      }
    });

    for (const trick of [
      'Connection: Authorization',
      'Connection: Impersonate-User',
      'Connection: impersonate-group, Impersonate-Extra-paddock.io%2fusername',
      'Connection: keep-alive, Authorization, Impersonate-User, Impersonate-Group',
    ]) {
      it(`keeps Paddock's headers despite "${trick}"`, async () => {
        expect(await upstreamLinesFor([trick, 'Impersonate-User: admin'])).to.deep.equal(
          EXPECTED_IDENTITY,
        );
      });
    }

    it('removes headers the client names in Connection', async () => {
      const res = await get(['Connection: X-Custom', 'X-Custom: 1', 'X-Kept: 2']);
      const names = (JSON.parse(res.body) as { headers: [string, string][] }).headers.map(([n]) =>
        n.toLowerCase(),
      );
      expect(names).to.include('x-kept').and.not.include('x-custom');
    });

    for (const line of FORWARDING) {
      it(`drops the forged ${line.split(':')[0]} header`, async () => {
        expect(await upstreamLinesFor([line])).to.deep.equal(EXPECTED_IDENTITY);
      });
    }

    const traversals = [
      '/k8s/clusters/c1/../c2/api/v1/pods',
      '/k8s/clusters/c1/%2e%2e/c2/api/v1/pods',
      '/k8s/clusters/c1/%2E%2e/c2/api/v1/pods',
      '/k8s/clusters/c1/api/v1/..%2f..%2f..%2fc2/api',
      '/k8s/clusters/c1/api%2fv1/pods',
      '/k8s/clusters/c1/api%5Cv1/pods',
      '/k8s/clusters/c1//api/v1/pods',
      '/k8s/clusters/c1/%252e%252e/c2',
      '/k8s/clusters/c1/api\\v1',
    ];
    for (const path of traversals) {
      it(`refuses the traversal ${path} with a 400 Status and never calls a cluster`, async () => {
        const before = h.api.requests.length;
        const res = await get([], path);
        expect(res.status).to.equal(400);
        expect(JSON.parse(res.body)).to.include({
          kind: 'Status',
          code: 400,
          reason: 'BadRequest',
        });
        expect(h.api.requests.length).to.equal(before);
      });
    }

    it('answers 404 Status for an unknown cluster', async () => {
      const res = await get([], '/k8s/clusters/nope/api/v1/pods');
      expect(res.status).to.equal(404);
      expect(JSON.parse(res.body)).to.include({ kind: 'Status', reason: 'NotFound', code: 404 });
    });

    it('answers 401 Status without credentials and with an unknown token', async () => {
      for (const auth of [[], ['Authorization: Bearer wrong']]) {
        const res = await rawRequest(h.port, [
          'GET /k8s/clusters/c1/api HTTP/1.1',
          'Host: x',
          ...auth,
        ]);
        res.socket.destroy();
        expect(res.status).to.equal(401);
        expect(JSON.parse(res.body)).to.include({ kind: 'Status', reason: 'Unauthorized' });
      }
    });

    it('lets a cluster-scoped key reach its own cluster only', async () => {
      const own = await rawRequest(h.port, [
        'GET /k8s/clusters/c1/api HTTP/1.1',
        'Host: x',
        'Authorization: Bearer scoped',
      ]);
      own.socket.destroy();
      expect(own.status).to.equal(200);
      const other = await rawRequest(h.port, [
        'GET /k8s/clusters/c2/api HTTP/1.1',
        'Host: x',
        'Authorization: Bearer scoped',
      ]);
      other.socket.destroy();
      expect(other.status).to.equal(403);
      expect(JSON.parse(other.body)).to.include({ kind: 'Status', reason: 'Forbidden' });
    });
  });

  describe('upgrade requests', () => {
    let upstreamSockets: Socket[] = [];
    beforeEach(() => {
      upstreamSockets = [];
      h.api.onUpgrade((req, socket) => {
        const protocol = req.headers.upgrade ?? '';
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\n' +
            `Upgrade: ${protocol}\r\nConnection: Upgrade\r\n` +
            `X-Seen-Headers: ${Buffer.from(JSON.stringify(pairsOf(req.rawHeaders))).toString('base64')}\r\n\r\n`,
        );
        upstreamSockets.push(socket as Socket);
        socket.on('data', (d: Buffer) => socket.write(d));
      });
    });

    async function upgrade(extra: string[], method = 'POST', protocol = 'SPDY/3.1') {
      const res = await rawRequest(h.port, [
        `${method} /k8s/clusters/c1/api/v1/namespaces/default/pods/p1/exec?command=sh&stdin=true HTTP/1.1`,
        'Host: paddock.local',
        'Authorization: Bearer alice',
        'Connection: Upgrade',
        `Upgrade: ${protocol}`,
        'X-Stream-Protocol-Version: v4.channel.k8s.io',
        'X-Stream-Protocol-Version: channel.k8s.io',
        ...extra,
      ]);
      expect(res.status).to.equal(101);
      const seenHeader = res.headers.find(([n]) => n.toLowerCase() === 'x-seen-headers')?.[1] ?? '';
      const seen = JSON.parse(Buffer.from(seenHeader, 'base64').toString()) as [string, string][];
      return { res, seen };
    }

    it('tunnels a SPDY exec with exactly the caller’s impersonation', async () => {
      const { res, seen } = await upgrade([]);
      expect(identityLines(seen)).to.deep.equal(EXPECTED_IDENTITY);
      const versions = seen.filter(([n]) => n.toLowerCase() === 'x-stream-protocol-version');
      expect(versions.map(([, v]) => v)).to.deep.equal(['v4.channel.k8s.io', 'channel.k8s.io']);
      res.socket.write('ping');
      const echoed = await new Promise<string>((resolve) =>
        res.socket.once('data', (d: Buffer) => resolve(d.toString())),
      );
      expect(echoed).to.equal('ping');
      res.socket.destroy();
    });

    it('tunnels a WebSocket upgrade too', async () => {
      const { res, seen } = await upgrade(
        ['Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'],
        'GET',
        'websocket',
      );
      expect(identityLines(seen)).to.deep.equal(EXPECTED_IDENTITY);
      expect(seen.map(([n]) => n.toLowerCase())).to.include('sec-websocket-key');
      res.socket.destroy();
    });

    it('drops spoofed impersonation, forwarding headers and Connection tricks on upgrades', async () => {
      const spoofs = [
        ...SPOOFED_NAMES.flatMap((n) => casings(n).map((c) => `${c}: system:masters`)),
        ...LOOK_ALIKES.map((n) => `${n}: admin`),
        ...FORWARDING,
        'Impersonate-Group:',
      ];
      const { res, seen } = await upgrade(spoofs);
      expect(identityLines(seen)).to.deep.equal(EXPECTED_IDENTITY);
      res.socket.destroy();
      const tricked = await rawRequest(h.port, [
        'POST /k8s/clusters/c1/api/v1/namespaces/default/pods/p1/exec HTTP/1.1',
        'Host: x',
        'Authorization: Bearer alice',
        'Connection: Upgrade, Authorization, Impersonate-User',
        'Upgrade: SPDY/3.1',
        'Impersonate-User: admin',
      ]);
      expect(tricked.status).to.equal(101);
      const seenHeader =
        tricked.headers.find(([n]) => n.toLowerCase() === 'x-seen-headers')?.[1] ?? '';
      const seen2 = JSON.parse(Buffer.from(seenHeader, 'base64').toString()) as [string, string][];
      expect(identityLines(seen2)).to.deep.equal(EXPECTED_IDENTITY);
      tricked.socket.destroy();
    });

    it('refuses an upgrade with a traversal path or on another cluster with a scoped key', async () => {
      const traversal = await rawRequest(h.port, [
        'GET /k8s/clusters/c1/%2e%2e/c2/api HTTP/1.1',
        'Host: x',
        'Authorization: Bearer alice',
        'Connection: Upgrade',
        'Upgrade: websocket',
      ]);
      expect(traversal.status).to.equal(400);
      await closedWithin(traversal.socket, 2000);
      const scoped = await rawRequest(h.port, [
        'POST /k8s/clusters/c2/api/v1/namespaces/d/pods/p/exec HTTP/1.1',
        'Host: x',
        'Authorization: Bearer scoped',
        'Connection: Upgrade',
        'Upgrade: SPDY/3.1',
      ]);
      expect(scoped.status).to.equal(403);
      await closedWithin(scoped.socket, 2000);
    });

    it('relays an upstream answer other than 101 and closes the connection', async () => {
      h.api.onUpgrade((_req, socket) => {
        const body = JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden' });
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      });
      const res = await rawRequest(h.port, [
        'POST /k8s/clusters/c1/api/v1/namespaces/d/pods/p/exec HTTP/1.1',
        'Host: x',
        'Authorization: Bearer alice',
        'Connection: Upgrade',
        'Upgrade: SPDY/3.1',
      ]);
      expect(res.status).to.equal(403);
      expect(JSON.parse(res.body)).to.include({ reason: 'Forbidden' });
      await closedWithin(res.socket, 2000);
    });

    it('closes a tunnel within seconds when the caller’s key is revoked', async () => {
      h.auth.tokens.set('short-lived', {
        ...h.auth.tokens.get('alice')!,
        tokenId: 'tok-short',
      });
      const res = await rawRequest(h.port, [
        'POST /k8s/clusters/c1/api/v1/namespaces/d/pods/p/exec HTTP/1.1',
        'Host: x',
        'Authorization: Bearer short-lived',
        'Connection: Upgrade',
        'Upgrade: SPDY/3.1',
      ]);
      expect(res.status).to.equal(101);
      h.auth.revoke('short-lived');
      await closedWithin(res.socket, 3000);
      expect(
        upstreamSockets.at(-1)?.destroyed || upstreamSockets.at(-1)?.readableEnded,
      ).to.not.equal(undefined);
    });
  });
});
