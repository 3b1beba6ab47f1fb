/** Kubernetes objects built from the config and network mutation inputs. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KubeObject } from '../../domain/kube-api.js';
import { isQuantity } from '../../rbac/quantity.js';
import { dnsLabel, invalid, objectName, stringMap } from '../cluster/validate-input.js';
import type {
  CertificateInput,
  ConfigMapInput,
  IngressInput,
  ObjectRefInput,
  PersistentVolumeClaimInput,
  RegistryCredentialInput,
  SecretInput,
  ServiceInput,
} from './config.input.js';
import { DOCKER_CONFIG_JSON, TLS_SECRET } from './config.type.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function meta(ref: ObjectRefInput, labels?: unknown) {
  return {
    name: objectName('name', ref.name),
    namespace: dnsLabel('namespace', ref.namespace),
    ...(labels ? { labels: stringMap('labels', labels) } : {}),
  };
}

const portValue = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);

export function serviceManifest(input: ServiceInput): KubeObject {
  if (input.ports.length === 0) throw invalid('ports', 'a service needs at least one port');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta(input, input.labels), name: dnsLabel('name', input.name) },
    spec: {
      type: input.type ?? 'ClusterIP',
      selector: stringMap('selector', input.selector),
      ports: input.ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        targetPort: p.targetPort ? portValue(p.targetPort) : p.port,
        protocol: p.protocol ?? 'TCP',
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
      })),
    },
  };
}

export function ingressManifest(input: IngressInput): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(input, input.labels),
    spec: {
      ...(input.ingressClassName ? { ingressClassName: input.ingressClassName } : {}),
      rules: input.rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: {
          paths: r.paths.map((p) => {
            const port = portValue(p.servicePort);
            return {
              path: p.path ?? '/',
              pathType: p.pathType ?? 'Prefix',
              backend: {
                service: {
                  name: p.serviceName,
                  port: typeof port === 'number' ? { number: port } : { name: port },
                },
              },
            };
          }),
        },
      })),
      ...(input.tls
        ? {
            tls: input.tls.map((t) => ({
              hosts: t.hosts,
              ...(t.secretName ? { secretName: t.secretName } : {}),
            })),
          }
        : {}),
    },
  };
}

export function pvcManifest(input: PersistentVolumeClaimInput): KubeObject {
  if (!isQuantity(input.storage)) throw invalid('storage', `${input.storage} is not a quantity`);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(input),
    spec: {
      accessModes: input.accessModes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: input.storage } },
      ...(input.storageClassName ? { storageClassName: input.storageClassName } : {}),
    },
  };
}

export function configMapManifest(input: ConfigMapInput): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(input, input.labels),
    data: stringMap('data', input.data),
  };
}

export function secretManifest(input: SecretInput): KubeObject {
  const type = input.type ?? 'Opaque';
  if (type === DOCKER_CONFIG_JSON || type === TLS_SECRET) {
    throw invalid('type', 'use the registry credential or certificate mutations for this type');
  }
  const data = stringMap('data', input.data);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type,
    metadata: meta(input, input.labels),
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

export function registryCredentialManifest(input: RegistryCredentialInput): KubeObject {
  if (input.registries.length === 0) throw invalid('registries', 'needs at least one registry');
  const auths = Object.fromEntries(
    input.registries.map((r) => [
      r.server,
      {
        username: r.username,
        password: r.password,
        ...(r.email ? { email: r.email } : {}),
        auth: b64(`${r.username}:${r.password}`),
      },
    ]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: DOCKER_CONFIG_JSON,
    metadata: meta(input),
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
  };
}

/** A TLS secret; the key must match the certificate, so a typo never reaches an ingress. */
export function certificateManifest(input: CertificateInput): KubeObject {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(input.certificatePem);
  } catch {
    throw invalid('certificatePem', 'is not a PEM certificate');
  }
  let matches = false;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(input.privateKeyPem));
  } catch {
    throw invalid('privateKeyPem', 'is not a PEM private key');
  }
  if (!matches) throw invalid('privateKeyPem', 'does not match the certificate');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: TLS_SECRET,
    metadata: meta(input),
    data: { 'tls.crt': b64(input.certificatePem), 'tls.key': b64(input.privateKeyPem) },
  };
}
