/**
 * The log collector's objects for one cluster, as the push-down applies them in
 * `paddock-system`: a ServiceAccount, a ClusterRole to read pod and namespace metadata and its
 * binding, the ConfigMap with the rendered configuration, a Secret with the targets' secrets
 * (handed to Fluent Bit as environment variables) and the Fluent Bit DaemonSet on every node.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../domain/kube-api.js';
import { renderFluentBitConfig } from './fluent-bit-config.js';
import { type LoggingTargetRecord, secretEnvName } from './logging-records.js';

export const COLLECTOR_NAMESPACE = 'paddock-system';
export const COLLECTOR_NAME = 'paddock-logging';
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:3.2.10';

export interface CollectorOptions {
  readonly image?: string;
  /** Opens a sealed secret of a target. */
  readonly openSecret: (target: LoggingTargetRecord, field: string) => string;
}

/** The objects to push, or `[]` when no enabled target remains (the collector is removed). */
export function collectorObjects(
  clusterId: string,
  targets: readonly LoggingTargetRecord[],
  options: CollectorOptions,
): KubeObject[] {
  const enabled = targets.filter((t) => t.enabled);
  if (enabled.length === 0) return [];
  const files = renderFluentBitConfig(clusterId, enabled);
  const env: { name: string; valueFrom: unknown }[] = [];
  const data: Record<string, string> = {};
  for (const t of enabled) {
    for (const field of Object.keys(t.sealedSecrets).sort()) {
      const name = secretEnvName(t.id, field);
      data[name] = Buffer.from(options.openSecret(t, field), 'utf8').toString('base64');
      env.push({ name, valueFrom: { secretKeyRef: { name: COLLECTOR_NAME, key: name } } });
    }
  }
  // Pods restart when the configuration or a secret changes.
  const checksum = createHash('sha256')
    .update(JSON.stringify([files, data]))
    .digest('hex')
    .slice(0, 16);
  const labels = {
    'app.kubernetes.io/name': 'fluent-bit',
    'app.kubernetes.io/instance': COLLECTOR_NAME,
  };
  const meta = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: COLLECTOR_NAMESPACE } : {}),
    labels: { ...labels },
  });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(COLLECTOR_NAME) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(COLLECTOR_NAME, false),
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(COLLECTOR_NAME, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: COLLECTOR_NAME },
      subjects: [{ kind: 'ServiceAccount', name: COLLECTOR_NAME, namespace: COLLECTOR_NAMESPACE }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(COLLECTOR_NAME), data: { ...files } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta(COLLECTOR_NAME), type: 'Opaque', data },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(COLLECTOR_NAME),
      spec: {
        selector: { matchLabels: { ...labels } },
        template: {
          metadata: {
            labels: { ...labels },
            annotations: { 'paddock.io/config-checksum': checksum },
          },
          spec: {
            serviceAccountName: COLLECTOR_NAME,
            tolerations: [{ operator: 'Exists' }],
            containers: [
              {
                name: 'fluent-bit',
                image: options.image ?? FLUENT_BIT_IMAGE,
                args: ['--config=/fluent-bit/etc/paddock/fluent-bit.conf'],
                env,
                ports: [{ name: 'http', containerPort: 2020 }],
                resources: {
                  requests: { cpu: '50m', memory: '64Mi' },
                  limits: { memory: '256Mi' },
                },
                volumeMounts: [
                  { name: 'config', mountPath: '/fluent-bit/etc/paddock', readOnly: true },
                  { name: 'varlog', mountPath: '/var/log', readOnly: true },
                  { name: 'state', mountPath: '/var/lib/fluent-bit' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: COLLECTOR_NAME } },
              { name: 'varlog', hostPath: { path: '/var/log' } },
              {
                name: 'state',
                hostPath: { path: '/var/lib/fluent-bit', type: 'DirectoryOrCreate' },
              },
            ],
          },
        },
      },
    },
  ];
}
