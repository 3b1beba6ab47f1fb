/**
 * The objects an agent import adds to the import manifest: the agent's Secret (registration
 * token, Paddock's URL and CA), a service account without any role (the agent reads its tokens
 * from mounted Secrets and the cluster CA from its own service-account volume), and the
 * Deployment running `paddock agent`. Two replicas by default: each opens its own tunnel, and
 * Paddock spreads streams over them.
 */
import {
  IMPERSONATOR_TOKEN_SECRET,
  MANAGER_TOKEN_SECRET,
  PADDOCK_NAMESPACE,
} from '../import-manifest.js';

export const AGENT_NAME = 'paddock-agent';
/** Where the Deployment mounts the agent Secret and the two account tokens. */
export const AGENT_SECRET_DIR = '/etc/paddock-agent';
export const AGENT_IMPERSONATOR_TOKEN_FILE = '/var/run/secrets/paddock/impersonator/token';
export const AGENT_MANAGER_TOKEN_FILE = '/var/run/secrets/paddock/manager/token';

export interface AgentManifestOptions {
  readonly clusterId: string;
  /** `pdkagent_<id>_<secret>`: goes into the Secret only. */
  readonly token: string;
  /** Paddock's URL as the agent reaches it. */
  readonly serverUrl: string;
  /** PEM of the CA that signs Paddock's certificate; absent = the image's trusted roots. */
  readonly serverCaPem?: string;
  readonly image: string;
  readonly replicas?: number;
}

type KubeObject = Record<string, unknown>;

export function agentManifestObjects(o: AgentManifestOptions): KubeObject[] {
  const labels = {
    'app.kubernetes.io/managed-by': 'paddock',
    'app.kubernetes.io/name': AGENT_NAME,
    'paddock.io/cluster-id': o.clusterId,
  };
  const meta = { name: AGENT_NAME, namespace: PADDOCK_NAMESPACE, labels };
  const caFile = `${AGENT_SECRET_DIR}/server-ca.crt`;
  const tokenSecret = (name: string): KubeObject => ({
    secret: { secretName: name, defaultMode: 0o440, items: [{ key: 'token', path: 'token' }] },
  });
  const user = 65532;
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: meta,
      stringData: {
        token: o.token,
        server: o.serverUrl,
        ...(o.serverCaPem === undefined ? {} : { 'server-ca.crt': o.serverCaPem }),
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: AGENT_NAME,
            securityContext: { runAsNonRoot: true, runAsUser: user, fsGroup: user },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: 'kubernetes.io/hostname',
                      labelSelector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } },
                    },
                  },
                ],
              },
            },
            containers: [
              {
                name: 'agent',
                image: o.image,
                args: ['agent'],
                env: [
                  { name: 'PADDOCK_AGENT_SERVER', value: o.serverUrl },
                  { name: 'PADDOCK_AGENT_TOKEN_FILE', value: `${AGENT_SECRET_DIR}/token` },
                  ...(o.serverCaPem === undefined
                    ? []
                    : [{ name: 'PADDOCK_AGENT_SERVER_CA_FILE', value: caFile }]),
                  {
                    name: 'PADDOCK_AGENT_IMPERSONATOR_TOKEN_FILE',
                    value: AGENT_IMPERSONATOR_TOKEN_FILE,
                  },
                  { name: 'PADDOCK_AGENT_MANAGER_TOKEN_FILE', value: AGENT_MANAGER_TOKEN_FILE },
                ],
                volumeMounts: [
                  { name: 'agent', mountPath: AGENT_SECRET_DIR, readOnly: true },
                  {
                    name: 'impersonator-token',
                    mountPath: AGENT_IMPERSONATOR_TOKEN_FILE.replace(/\/token$/, ''),
                    readOnly: true,
                  },
                  {
                    name: 'manager-token',
                    mountPath: AGENT_MANAGER_TOKEN_FILE.replace(/\/token$/, ''),
                    readOnly: true,
                  },
                ],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                resources: {
                  requests: { cpu: '50m', memory: '64Mi' },
                  limits: { memory: '256Mi' },
                },
              },
            ],
            volumes: [
              { name: 'agent', secret: { secretName: AGENT_NAME, defaultMode: 0o440 } },
              { name: 'impersonator-token', ...tokenSecret(IMPERSONATOR_TOKEN_SECRET) },
              { name: 'manager-token', ...tokenSecret(MANAGER_TOKEN_SECRET) },
            ],
          },
        },
      },
    },
  ];
}
