/**
 * A plain TCP relay in a process of its own, the peer of the agent leg: Paddock reaches
 * kubesim through one more process that only copies bytes (no TLS, no framing, no HTTP/2),
 * so the `paddock relay` leg shows what one more hop costs on this machine by itself, and the
 * agent leg what the tunnel costs beyond that hop.
 *
 *   forked by bench/proxy/main.ts: relay-child.js <target host> <target port>
 */
import { type AddressInfo, connect, createServer } from 'node:net';
import type { RelayReady } from './protocol.js';

const [host, port] = process.argv.slice(2);
if (host === undefined || port === undefined) {
  throw new Error('usage: relay-child.js <target host> <target port>');
}
const server = createServer((client) => {
  const upstream = connect({ host, port: Number(port) });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream).on('error', () => client.destroy());
  upstream.pipe(client).on('error', () => upstream.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const ready: RelayReady = { type: 'relay-ready', port: (server.address() as AddressInfo).port };
  process.send?.(ready);
});
process.once('disconnect', () => process.exit(0));
