import { expect } from 'chai';
import { type ProxyHarness, startProxyHarness } from './support/proxy-harness.js';
import { closedWithin, rawRequest } from './support/raw-http.js';

const CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

function header(headers: [string, string][], name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
}

function expectHardened(headers: [string, string][]): void {
  expect(header(headers, 'x-content-type-options')).to.deep.equal(['nosniff']);
  expect(header(headers, 'content-security-policy')).to.deep.equal([CSP]);
}

describe('headers on every answer relayed by the proxy', () => {
  let h: ProxyHarness;
  before(async () => {
    h = await startProxyHarness();
  });
  after(async () => {
    await h.stop();
  });

  const send = async (lines: string[]) => {
    const res = await rawRequest(h.port, lines);
    res.socket.destroy();
    return res;
  };

  it("replaces the cluster's own CSP and nosniff on a relayed HTML page", async () => {
    h.api.route('GET /clusters/c1/api/v1/namespaces/x/services/web:80/proxy/', (_req, res) => {
      const body = '<script>parent.document.title="owned"</script>';
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-length': String(Buffer.byteLength(body)),
        'content-security-policy': 'script-src *',
        'x-content-type-options': 'sniff-please',
      });
      res.end(body);
    });
    const res = await send([
      'GET /k8s/clusters/c1/api/v1/namespaces/x/services/web:80/proxy/ HTTP/1.1',
      'Host: x',
      'Authorization: Bearer alice',
    ]);
    expect(res.status).to.equal(200);
    expectHardened(res.headers);
    expect(res.body).to.contain('<script>');
  });

  it('adds them to a streaming watch and to an error relayed from the cluster', async () => {
    h.api.route('GET /clusters/c1/api/v1/pods', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"type":"ADDED"}\n');
    });
    const watch = await send([
      'GET /k8s/clusters/c1/api/v1/pods?watch=True HTTP/1.1',
      'Host: x',
      'Authorization: Bearer alice',
      'Connection: close',
    ]);
    expect(watch.status).to.equal(200);
    expectHardened(watch.headers);
    h.api.route('GET /clusters/c1/api/v1/secrets', (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
    const refused = await send([
      'GET /k8s/clusters/c1/api/v1/secrets HTTP/1.1',
      'Host: x',
      'Authorization: Bearer alice',
    ]);
    expect(refused.status).to.equal(403);
    expectHardened(refused.headers);
  });

  it("adds them to Paddock's own refusals, plain and on an upgrade socket", async () => {
    const plain = await send(['GET /k8s/clusters/c1/api/v1/pods HTTP/1.1', 'Host: x']);
    expect(plain.status).to.equal(401);
    expectHardened(plain.headers);
    const upgrade = await send([
      'GET /k8s/clusters/c1/api/v1/namespaces/d/pods/p/exec HTTP/1.1',
      'Host: x',
      'Connection: Upgrade',
      'Upgrade: websocket',
    ]);
    expect(upgrade.status).to.equal(401);
    expectHardened(upgrade.headers);
  });

  it('adds them to the 101 of a tunnel and to a non-101 answer to an upgrade', async () => {
    h.api.onUpgrade((req, socket) => {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\n' +
          `Upgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n` +
          'Content-Security-Policy: script-src *\r\n\r\n',
      );
      socket.on('data', (d: Buffer) => socket.write(d));
    });
    const tunnel = await rawRequest(h.port, [
      'POST /k8s/clusters/c1/api/v1/namespaces/d/pods/p/exec HTTP/1.1',
      'Host: x',
      'Authorization: Bearer alice',
      'Connection: Upgrade',
      'Upgrade: SPDY/3.1',
    ]);
    expect(tunnel.status).to.equal(101);
    expectHardened(tunnel.headers);
    tunnel.socket.destroy();

    h.api.onUpgrade((_req, socket) => {
      const body = '<html>no</html>';
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    });
    const refused = await rawRequest(h.port, [
      'GET /k8s/clusters/c1/api/v1/namespaces/d/pods/p/exec HTTP/1.1',
      'Host: x',
      'Authorization: Bearer alice',
      'Connection: Upgrade',
      'Upgrade: websocket',
    ]);
    expect(refused.status).to.equal(400);
    expectHardened(refused.headers);
    await closedWithin(refused.socket, 2000);
  });
});
