import { Field, Int, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { baseOf, KubeObjectBase, kubeListType } from '../cluster/kube-object.type.js';

@ObjectType()
export class ServicePort {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Int)
  port!: number;

  @Field(() => String, { nullable: true, description: 'A number or a named container port.' })
  targetPort!: string | null;

  @Field(() => Int, { nullable: true })
  nodePort!: number | null;

  @Field()
  protocol!: string;
}

@ObjectType()
export class Endpoint {
  @Field()
  ip!: string;

  @Field()
  ready!: boolean;

  @Field(() => String, { nullable: true })
  nodeName!: string | null;

  @Field(() => String, { nullable: true, description: 'The pod behind it.' })
  podName!: string | null;
}

@ObjectType({ implements: KubeObjectBase })
export class Service extends KubeObjectBase {
  @Field()
  type!: string;

  @Field(() => String, { nullable: true })
  clusterIP!: string | null;

  @Field(() => [String])
  externalIPs!: string[];

  @Field(() => [ServicePort])
  ports!: ServicePort[];

  @Field(() => JSONScalar)
  selector!: Record<string, string>;

  @Field({ description: '`<name>.<namespace>.svc.cluster.local`.' })
  dnsName!: string;
}

@ObjectType()
export class IngressBackend {
  @Field(() => String, { nullable: true })
  serviceName!: string | null;

  @Field(() => String, { nullable: true, description: 'Port number or name.' })
  servicePort!: string | null;
}

@ObjectType()
export class IngressPath {
  @Field(() => String, { nullable: true })
  path!: string | null;

  @Field(() => String, { nullable: true })
  pathType!: string | null;

  @Field(() => IngressBackend)
  backend!: IngressBackend;
}

@ObjectType()
export class IngressRule {
  @Field(() => String, { nullable: true })
  host!: string | null;

  @Field(() => [IngressPath])
  paths!: IngressPath[];
}

@ObjectType()
export class IngressTls {
  @Field(() => [String])
  hosts!: string[];

  @Field(() => String, { nullable: true })
  secretName!: string | null;
}

@ObjectType({ implements: KubeObjectBase })
export class Ingress extends KubeObjectBase {
  @Field(() => String, { nullable: true })
  ingressClassName!: string | null;

  @Field(() => [IngressRule])
  rules!: IngressRule[];

  @Field(() => [IngressTls])
  tls!: IngressTls[];

  @Field(() => IngressBackend, { nullable: true })
  defaultBackend!: IngressBackend | null;

  @Field(() => [String], { description: 'Load balancer IPs and host names.' })
  addresses!: string[];
}

export const ServiceList = kubeListType(Service, 'ServiceList');
export const IngressList = kubeListType(Ingress, 'IngressList');

export function toService(clusterId: string, obj: KubeObject): Service {
  const spec = (obj.spec ?? {}) as {
    type?: string;
    clusterIP?: string;
    externalIPs?: string[];
    selector?: Record<string, string>;
    ports?: {
      name?: string;
      port?: number;
      targetPort?: number | string;
      nodePort?: number;
      protocol?: string;
    }[];
  };
  const base = baseOf(clusterId, obj);
  return Object.assign(new Service(), {
    ...base,
    type: spec.type ?? 'ClusterIP',
    clusterIP: spec.clusterIP ?? null,
    externalIPs: spec.externalIPs ?? [],
    ports: (spec.ports ?? []).map((p) => ({
      name: p.name ?? null,
      port: p.port ?? 0,
      targetPort: p.targetPort === undefined ? null : String(p.targetPort),
      nodePort: p.nodePort ?? null,
      protocol: p.protocol ?? 'TCP',
    })),
    selector: spec.selector ?? {},
    dnsName: `${base.name}.${base.namespace ?? 'default'}.svc.cluster.local`,
  });
}

interface RawBackend {
  service?: { name?: string; port?: { number?: number; name?: string } };
}

function backendOf(b: RawBackend | undefined): IngressBackend {
  const port = b?.service?.port;
  return {
    serviceName: b?.service?.name ?? null,
    servicePort: port?.number !== undefined ? String(port.number) : (port?.name ?? null),
  };
}

export function toIngress(clusterId: string, obj: KubeObject): Ingress {
  const spec = (obj.spec ?? {}) as {
    ingressClassName?: string;
    defaultBackend?: RawBackend;
    rules?: {
      host?: string;
      http?: { paths?: { path?: string; pathType?: string; backend?: RawBackend }[] };
    }[];
    tls?: { hosts?: string[]; secretName?: string }[];
  };
  const lb = (
    obj.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined
  )?.loadBalancer?.ingress;
  return Object.assign(new Ingress(), {
    ...baseOf(clusterId, obj),
    ingressClassName: spec.ingressClassName ?? null,
    rules: (spec.rules ?? []).map((r) => ({
      host: r.host ?? null,
      paths: (r.http?.paths ?? []).map((p) => ({
        path: p.path ?? null,
        pathType: p.pathType ?? null,
        backend: backendOf(p.backend),
      })),
    })),
    tls: (spec.tls ?? []).map((t) => ({ hosts: t.hosts ?? [], secretName: t.secretName ?? null })),
    defaultBackend: spec.defaultBackend ? backendOf(spec.defaultBackend) : null,
    addresses: (lb ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((a) => a !== ''),
  });
}

/** The addresses of an Endpoints object. */
export function endpointsOf(obj: KubeObject | undefined): Endpoint[] {
  type Address = { ip?: string; nodeName?: string; targetRef?: { kind?: string; name?: string } };
  const subsets =
    (obj as { subsets?: { addresses?: Address[]; notReadyAddresses?: Address[] }[] } | undefined)
      ?.subsets ?? [];
  const out: Endpoint[] = [];
  for (const s of subsets) {
    for (const [list, ready] of [
      [s.addresses ?? [], true],
      [s.notReadyAddresses ?? [], false],
    ] as const) {
      for (const a of list) {
        out.push({
          ip: a.ip ?? '',
          ready,
          nodeName: a.nodeName ?? null,
          podName: a.targetRef?.kind === 'Pod' ? (a.targetRef.name ?? null) : null,
        });
      }
    }
  }
  return out;
}

/** Endpoints as the endpoints controller would make them: running pods the selector matches. */
export function endpointsFromPods(
  pods: readonly KubeObject[],
  selector: Record<string, string>,
): Endpoint[] {
  return pods
    .filter((pod) => {
      const labels = pod.metadata.labels ?? {};
      const status = pod.status as { phase?: string; podIP?: string } | undefined;
      return (
        Object.entries(selector).every(([k, v]) => labels[k] === v) &&
        status?.phase === 'Running' &&
        status.podIP !== undefined &&
        pod.metadata.deletionTimestamp === undefined
      );
    })
    .map((pod) => {
      const status = pod.status as {
        podIP?: string;
        conditions?: { type?: string; status?: string }[];
      };
      return {
        ip: status.podIP ?? '',
        ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
        nodeName: (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? null,
        podName: pod.metadata.name ?? null,
      };
    });
}
