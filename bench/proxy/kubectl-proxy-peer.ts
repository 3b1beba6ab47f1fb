/**
 * `kubectl proxy` with a kubeconfig that carries the impersonator's token and the same
 * impersonation (as, as-groups, as-user-extra). kubectl proxy only listens on plain HTTP, so
 * the client → kubectl leg is HTTP (which favours kubectl); kubectl → kubesim is HTTPS.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type ProcessGroup, waitFor } from './process-group.js';

export const KUBECTL_BINARY = '/usr/bin/kubectl';

export interface KubectlProxyOptions {
  readonly dir: string;
  readonly upstreamUrl: string;
  readonly upstreamCaFile: string;
  /** The identity lines Paddock sends upstream (see PaddockReady.upstreamIdentity). */
  readonly identity: Record<string, string | readonly string[]>;
}

const EXTRA_PREFIX = 'impersonate-extra-';

/** Starts `kubectl proxy` on a free loopback port; resolves with its base URL. */
export async function startKubectlProxy(
  group: ProcessGroup,
  options: KubectlProxyOptions,
): Promise<{ url: string; pid: number | undefined }> {
  if (!existsSync(KUBECTL_BINARY)) {
    throw new Error(`${KUBECTL_BINARY} not found: install the Debian package kubectl`);
  }
  const kubeconfig = join(options.dir, 'kubectl-proxy.kubeconfig');
  await writeFile(kubeconfig, stringify(kubeconfigFor(options)), { mode: 0o600 });
  const started = group.spawn('kubectl proxy', KUBECTL_BINARY, [
    'proxy',
    '--address=127.0.0.1',
    '--port=0',
    `--kubeconfig=${kubeconfig}`,
  ]);
  let printed = '';
  started.child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  const port = await waitFor(
    'kubectl proxy to print its port',
    () => /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(printed)?.[1],
    15_000,
  );
  return { url: `http://127.0.0.1:${port}`, pid: started.child.pid };
}

function kubeconfigFor(options: KubectlProxyOptions) {
  const one = (v: string | readonly string[] | undefined) => [v ?? []].flat();
  const [authorization] = one(options.identity.authorization);
  const [user] = one(options.identity['impersonate-user']);
  if (authorization === undefined || user === undefined) throw new Error('identity incomplete');
  const extra: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(options.identity)) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    // kubectl percent-encodes the key itself.
    extra[decodeURIComponent(name.slice(EXTRA_PREFIX.length))] = one(value);
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'bench',
    clusters: [
      {
        name: 'bench',
        cluster: { server: options.upstreamUrl, 'certificate-authority': options.upstreamCaFile },
      },
    ],
    users: [
      {
        name: 'bench',
        user: {
          token: authorization.replace(/^Bearer /, ''),
          as: user,
          'as-groups': one(options.identity['impersonate-group']),
          'as-user-extra': extra,
        },
      },
    ],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
  };
}
