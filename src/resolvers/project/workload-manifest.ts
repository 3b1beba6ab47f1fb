/** Builds the Kubernetes object of a `deployWorkload` input. */
import type { KubeObject } from '../../domain/kube-api.js';
import { isQuantity } from '../../rbac/quantity.js';
import {
  dnsLabel,
  invalid,
  nonNegativeInt,
  objectName,
  stringMap,
} from '../cluster/validate-input.js';
import type { DeployWorkloadInput, ResourcesInput } from './workload.input.js';
import type { WorkloadKind } from './workload.type.js';

export const WORKLOAD_LABEL = 'workload.paddock.io/name';

const apiVersions: Record<WorkloadKind, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

function quantities(field: string, value: unknown): Record<string, string> {
  const map = stringMap(field, value);
  for (const [k, v] of Object.entries(map)) {
    if (!isQuantity(v)) throw invalid(`${field}.${k}`, `${JSON.stringify(v)} is not a quantity`);
  }
  return map;
}

function resourcesOf(r: ResourcesInput | null | undefined) {
  if (!r) return undefined;
  return {
    ...(r.requests ? { requests: quantities('resources.requests', r.requests) } : {}),
    ...(r.limits ? { limits: quantities('resources.limits', r.limits) } : {}),
  };
}

export function workloadManifest(input: DeployWorkloadInput): KubeObject {
  const kind = input.kind ?? 'Deployment';
  const name = dnsLabel('name', input.name);
  if (input.image.trim() === '') throw invalid('image', 'must not be empty');
  const labels = { ...stringMap('labels', input.labels), [WORKLOAD_LABEL]: name };
  const volumes = (input.volumes ?? []).map((v, i) => {
    const sources = [v.configMap, v.secret, v.persistentVolumeClaim].filter((s) => s);
    if (sources.length !== 1) throw invalid(`volumes[${i}]`, 'needs exactly one source');
    return {
      name: dnsLabel(`volumes[${i}].name`, v.name),
      ...(v.configMap
        ? { configMap: { name: objectName(`volumes[${i}].configMap`, v.configMap) } }
        : {}),
      ...(v.secret ? { secret: { secretName: objectName(`volumes[${i}].secret`, v.secret) } } : {}),
      ...(v.persistentVolumeClaim
        ? {
            persistentVolumeClaim: {
              claimName: objectName(`volumes[${i}].persistentVolumeClaim`, v.persistentVolumeClaim),
            },
          }
        : {}),
      mount: { name: v.name, mountPath: v.mountPath, ...(v.readOnly ? { readOnly: true } : {}) },
    };
  });
  const resources = resourcesOf(input.resources);
  const container = {
    name,
    image: input.image,
    ...(input.command ? { command: input.command } : {}),
    ...(input.args ? { args: input.args } : {}),
    ...(input.env
      ? {
          env: input.env.map((e, i) => {
            const sources = [e.value, e.configMapKey, e.secretKey].filter(
              (s) => s !== null && s !== undefined,
            );
            if (sources.length !== 1)
              throw invalid(`env[${i}]`, 'needs exactly one of value, configMapKey, secretKey');
            if (e.value !== null && e.value !== undefined) return { name: e.name, value: e.value };
            return e.configMapKey
              ? {
                  name: e.name,
                  valueFrom: {
                    configMapKeyRef: { name: e.configMapKey.name, key: e.configMapKey.key },
                  },
                }
              : {
                  name: e.name,
                  valueFrom: { secretKeyRef: { name: e.secretKey!.name, key: e.secretKey!.key } },
                };
          }),
        }
      : {}),
    ...(input.ports
      ? {
          ports: input.ports.map((p) => ({
            ...(p.name ? { name: p.name } : {}),
            containerPort: p.containerPort,
            protocol: p.protocol ?? 'TCP',
          })),
        }
      : {}),
    ...(resources ? { resources } : {}),
    ...(volumes.length > 0 ? { volumeMounts: volumes.map((v) => v.mount) } : {}),
  };
  const podSpec = {
    containers: [container],
    ...(volumes.length > 0 ? { volumes: volumes.map(({ mount: _m, ...v }) => v) } : {}),
    ...(kind === 'Job' || kind === 'CronJob' ? { restartPolicy: 'OnFailure' } : {}),
  };
  const template = { metadata: { labels }, spec: podSpec };
  const replicas = nonNegativeInt('replicas', input.replicas ?? 1);
  let spec: Record<string, unknown>;
  switch (kind) {
    case 'Deployment':
      spec = { replicas, selector: { matchLabels: { [WORKLOAD_LABEL]: name } }, template };
      break;
    case 'StatefulSet':
      spec = {
        replicas,
        serviceName: name,
        selector: { matchLabels: { [WORKLOAD_LABEL]: name } },
        template,
      };
      break;
    case 'DaemonSet':
      spec = { selector: { matchLabels: { [WORKLOAD_LABEL]: name } }, template };
      break;
    case 'Job':
      spec = { parallelism: replicas, template };
      break;
    case 'CronJob':
      if (!input.schedule) throw invalid('schedule', 'a cron job needs a schedule');
      spec = { schedule: input.schedule, jobTemplate: { spec: { template } } };
      break;
  }
  return {
    apiVersion: apiVersions[kind],
    kind,
    metadata: { name, namespace: dnsLabel('namespace', input.namespace), labels },
    spec,
  };
}
