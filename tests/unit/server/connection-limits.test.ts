import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { expect } from 'chai';
import {
  createHttpMetrics,
  createLogger,
  createPaddockServer,
  type PaddockServer,
} from '../../../src/server/index.js';
import { fetchText } from '../../support/http-client.js';
import { testTlsMaterial } from '../datasources/support/fake-api-server.js';

/** Resolves with how long the socket stayed open, or rejects after `guardMs`. */
function openFor(
  socket: import('node:net').Socket,
  guardMs: number,
  started = Date.now(),
): Promise<number> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the connection was still open after ${guardMs} ms`));
    }, guardMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(Date.now() - started);
    });
  });
}

describe('the listener’s connection limits', () => {
  let server: PaddockServer;
  let port: number;
  let caPem: string;

  before(async () => {
    const tls = await testTlsMaterial();
    caPem = tls.caPem;
    server = createPaddockServer({
      routes: [
        {
          name: 'stream',
          path: '/stream',
          handle: async (_req, res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            // Longer than both request limits: a watch after its complete request.
            for (let i = 0; i < 8; i++) {
              res.write(`line ${i}\n`);
              await new Promise((r) => setTimeout(r, 200));
            }
            res.end('end\n');
          },
        },
      ],
      logger: createLogger({ level: 'silent' }),
      metrics: createHttpMetrics(),
      tls: { ...tls, origin: 'configured' },
      tlsHandshakeTimeoutMs: 400,
      headersTimeoutMs: 600,
      requestTimeoutMs: 800,
    });
    port = (await server.listen(0, '127.0.0.1')).port;
  });
  after(() => server.shutdown(100));

  it('closes a TCP connection that never sends a TLS ClientHello', async () => {
    const ms = await openFor(netConnect({ port, host: '127.0.0.1' }), 5_000);
    expect(ms).to.be.at.least(300).and.below(3_000);
  });

  it('closes a TLS connection whose request head arrives one header at a time', async () => {
    const socket = tlsConnect({ port, host: '127.0.0.1', ca: caPem, servername: 'localhost' });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    let timer: NodeJS.Timeout | undefined;
    socket.on('secureConnect', () => {
      socket.write('GET /stream HTTP/1.1\r\nHost: localhost\r\n');
      timer = setInterval(() => socket.write('X-Slow: yes\r\n'), 100);
    });
    const ms = await openFor(socket, 6_000);
    clearInterval(timer);
    expect(ms).to.be.below(4_000);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).to.equal(true);
  });

  it('does not cut a response that streams longer than the request limits', async () => {
    const res = await fetchText(`https://127.0.0.1:${port}/stream`, { ca: caPem, agent: false });
    expect(res.status).to.equal(200);
    expect(res.body.split('\n').filter(Boolean)).to.have.length(9);
  });
});
