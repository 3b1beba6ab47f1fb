/**
 * The tunnel bench's API server stand-in: an HTTPS server that answers every request with the
 * same ~1 KB JSON object, so the legs differ only in how Paddock's transport reaches it.
 *
 *   forked by bench/tunnel/main.ts: https-child.js <cert file> <key file>
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const [certFile, keyFile] = process.argv.slice(2);
if (certFile === undefined || keyFile === undefined) {
  throw new Error('usage: https-child.js <cert file> <key file>');
}
const body = JSON.stringify({ kind: 'ConfigMap', data: { value: 'x'.repeat(960) } });
const server = createServer(
  { cert: readFileSync(certFile), key: readFileSync(keyFile) },
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  },
);
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'https-ready', port: (server.address() as AddressInfo).port });
});
process.once('disconnect', () => process.exit(0));
