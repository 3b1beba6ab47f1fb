import { stringify } from 'yaml';

export interface KubeconfigCluster {
  readonly id: string;
  readonly name: string;
}

export interface RenderKubeconfigInput {
  /** Paddock's public base URL, e.g. `https://paddock.example.com`. */
  readonly serverUrl: string;
  /** CA that signed Paddock's serving certificate; omitted for a publicly trusted one. */
  readonly caPem: string | undefined;
  readonly clusters: readonly KubeconfigCluster[];
  /** Name of the kubeconfig user entry (the Paddock username). */
  readonly username: string;
  readonly token: string;
}

/** A kubeconfig with one context per cluster, all reaching it through Paddock's proxy. */
export function renderKubeconfig(input: RenderKubeconfigInput): string {
  const base = input.serverUrl.replace(/\/+$/, '');
  const userName = `paddock-${input.username}`;
  const caData =
    input.caPem === undefined
      ? {}
      : {
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
        };
  const contextName = (c: KubeconfigCluster) => c.name || c.id;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': input.clusters[0] === undefined ? '' : contextName(input.clusters[0]),
    clusters: input.clusters.map((c) => ({
      name: contextName(c),
      cluster: { server: `${base}/k8s/clusters/${encodeURIComponent(c.id)}`, ...caData },
    })),
    users: [{ name: userName, user: { token: input.token } }],
    contexts: input.clusters.map((c) => ({
      name: contextName(c),
      context: { cluster: contextName(c), user: userName },
    })),
    preferences: {},
  });
}
