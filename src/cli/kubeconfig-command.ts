import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
import { type CliIo, exitCodes } from './cli-io.js';

const usage = `Usage: paddock kubeconfig --server URL --username NAME [flags]

Logs in to a running Paddock and writes a kubeconfig with one context per cluster you may see.

  --server URL          Paddock's URL, e.g. https://paddock.example.com:8443
  --username NAME       user to log in as
  --provider NAME       login provider (default local; openldap, activedirectory, ...)
  --clusters a,b        only these clusters (one cluster scopes the token to it)
  --ca-file FILE        CA to trust for Paddock's certificate (e.g. data/tls/ca.crt)
  --out FILE            write here instead of standard output (mode 0600)
The password is read from PADDOCK_PASSWORD, or from standard input.
`;

/** `paddock kubeconfig`: log in, then download `/v1/kubeconfig` for the caller. */
export async function kubeconfigCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        server: { type: 'string' },
        username: { type: 'string' },
        provider: { type: 'string', default: 'local' },
        clusters: { type: 'string' },
        'ca-file': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.stderr(`paddock: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return exitCodes.usage;
  }
  if (values.help === true) {
    io.stdout(usage);
    return exitCodes.ok;
  }
  const server = typeof values.server === 'string' ? values.server.replace(/\/+$/, '') : undefined;
  if (server === undefined || typeof values.username !== 'string') {
    io.stderr(`paddock: kubeconfig needs --server and --username\n\n${usage}`);
    return exitCodes.usage;
  }
  const password = io.env.PADDOCK_PASSWORD ?? readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  const ca =
    typeof values['ca-file'] === 'string' ? readFileSync(values['ca-file'], 'utf8') : undefined;
  try {
    const login = await send(`${server}/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ provider: values.provider, username: values.username, password }),
      headers: { 'content-type': 'application/json' },
      ca,
    });
    const { token } = JSON.parse(login) as { token: string };
    const query =
      typeof values.clusters === 'string' ? `?clusters=${encodeURIComponent(values.clusters)}` : '';
    const kubeconfig = await send(`${server}/v1/kubeconfig${query}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      ca,
    });
    if (typeof values.out === 'string') writeFileSync(values.out, kubeconfig, { mode: 0o600 });
    else io.stdout(kubeconfig);
    return exitCodes.ok;
  } catch (err) {
    io.stderr(`paddock: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failure;
  }
}

function send(
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    ca: string | undefined;
  },
): Promise<string> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: options.method, headers: options.headers, ca: options.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) < 300) {
            resolve(text);
            return;
          }
          const message = (() => {
            try {
              return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
            } catch {
              return text;
            }
          })();
          reject(
            new Error(
              `${options.method} ${target.pathname} answered ${res.statusCode}: ${message}`,
            ),
          );
        });
      },
    );
    req.setTimeout(30_000, () =>
      req.destroy(new Error(`no answer from ${target.origin} within 30 s`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
