import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { WebSocket, WebSocketServer } from 'ws';
import {
  MAX_TUNNEL_MESSAGE_BYTES,
  websocketDuplex,
} from '../../../../src/datasources/tunnel/websocket-duplex.js';
import { waitFor } from '../../../support/wait-for.js';

describe('websocketDuplex', () => {
  let server: WebSocketServer;
  let client: WebSocket;
  let received: Buffer[];
  let peer: WebSocket;

  beforeEach(async () => {
    // As Paddock's and the agent's ends do, the peer refuses messages above a limit.
    server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      maxPayload: 2 * MAX_TUNNEL_MESSAGE_BYTES,
    });
    await new Promise((r) => server.once('listening', r));
    received = [];
    const accepted = new Promise<WebSocket>((resolve) =>
      server.once('connection', (ws) => {
        ws.on('message', (data: Buffer) => received.push(data));
        resolve(ws);
      }),
    );
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((r) => client.once('open', r));
    peer = await accepted;
  });

  afterEach(async () => {
    client.terminate();
    await new Promise((r) => server.close(r));
  });

  it('sends writes made together as one binary message', async () => {
    const duplex = websocketDuplex(client);
    duplex.cork();
    duplex.write(Buffer.from('frame-header|'));
    duplex.write(Buffer.from('payload'));
    duplex.uncork();
    await waitFor('a message', () => (received.length > 0 ? true : undefined));
    expect(received.map((b) => b.toString())).to.deep.equal(['frame-header|payload']);
  });

  it('splits a write larger than the message limit, which the peer reassembles in order', async () => {
    // Regression: node:http2 handed the agent's socket everything its windows allowed in one
    // write, over the peer's maxPayload, and Paddock dropped the tunnel under load.
    const duplex = websocketDuplex(client);
    const big = Buffer.alloc(4 * MAX_TUNNEL_MESSAGE_BYTES + 10);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    duplex.cork();
    duplex.write(big.subarray(0, 100));
    duplex.write(big.subarray(100));
    duplex.uncork();
    await waitFor('five messages', () => (received.length === 5 ? true : undefined));
    expect(received.map((b) => b.length)).to.deep.equal([
      ...Array(4).fill(MAX_TUNNEL_MESSAGE_BYTES),
      10,
    ]);
    expect(Buffer.concat(received).equals(big)).to.equal(true);
  });

  it('reads binary messages in order and ends when the socket closes', async () => {
    const duplex = websocketDuplex(client);
    const chunks: string[] = [];
    duplex.on('data', (c: Buffer) => chunks.push(c.toString()));
    const ended = new Promise((r) => duplex.once('end', r));
    peer.send(Buffer.from('one'));
    peer.send(Buffer.from('two'));
    await waitFor('two chunks', () => (chunks.length === 2 ? true : undefined));
    peer.close();
    await ended;
    expect(chunks).to.deep.equal(['one', 'two']);
  });

  it('refuses a text message, which no tunnel peer sends', async () => {
    const duplex = websocketDuplex(client);
    const failed = new Promise<Error>((r) => duplex.once('error', r));
    duplex.resume();
    peer.send('text');
    expect((await failed).message).to.match(/text message/);
  });
});
