// Decodes application/vnd.kubernetes.protobuf request bodies (the "k8s\0" envelope around a
// runtime.Unknown) into the JSON objects the rest of kubesim works with. kubectl's typed clients
// (create configmap/secret/namespace/deployment, auth can-i, auth whoami, create token) send these.

import { badRequest } from '../api/status.js';
import { PROTO_SCHEMA } from './schema.generated.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  name: string;
  repeated: boolean;
  type: string;
}

const parsed = new Map<string, Map<number, Field>>();

function fieldsOf(message: string): Map<number, Field> {
  let m = parsed.get(message);
  if (m) return m;
  m = new Map();
  for (const entry of (PROTO_SCHEMA[message] ?? '').split('|')) {
    if (!entry) continue;
    const [num, name, rawType] = entry.split(' ') as [string, string, string];
    const repeated = rawType.startsWith('*');
    m.set(Number(num), { name, repeated, type: repeated ? rawType.slice(1) : rawType });
  }
  parsed.set(message, m);
  return m;
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw badRequest('protobuf: unexpected end of data');
      const b = this.buf[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
}

const INLINE = new Set([
  'LocalObjectReference',
  'VolumeSource',
  'PersistentVolumeSource',
  'ProbeHandler',
  'EphemeralContainerCommon',
  'IngressRuleValue',
]);
const KEEP_ZERO = new Set(['replicas', 'exitCode', 'expirationSeconds', 'port', 'containerPort']);

function scalar(type: string, wire: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'uint32':
    case 'uint64':
      return Number(r.varint());
    case 'double': {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    default:
      r.skip(wire);
      return undefined;
  }
}

function special(type: string, buf: Buffer): { value: unknown } | undefined {
  const short = type.slice(type.lastIndexOf('.') + 1);
  if (type.endsWith('meta.v1.Time') || type.endsWith('meta.v1.MicroTime')) {
    const o = decodeMessage('k8s.io.apimachinery.pkg.apis.meta.v1.Time', buf) as {
      seconds?: number;
      nanos?: number;
    };
    if (!o.seconds && !o.nanos) return { value: undefined };
    const iso = new Date((o.seconds ?? 0) * 1000).toISOString().slice(0, 19);
    if (short === 'MicroTime')
      return { value: `${iso}.${String(Math.floor((o.nanos ?? 0) / 1000)).padStart(6, '0')}Z` };
    return { value: `${iso}Z` };
  }
  if (type.endsWith('resource.Quantity'))
    return { value: new Reader(buf).done ? '0' : decodeMessage(type, buf).string };
  if (type.endsWith('intstr.IntOrString')) {
    const o = decodeMessage(type, buf, true) as { type?: number; intVal?: number; strVal?: string };
    return { value: o.type === 1 ? (o.strVal ?? '') : (o.intVal ?? 0) };
  }
  if (type.endsWith('runtime.RawExtension') || type.endsWith('meta.v1.FieldsV1')) {
    const o = decodeMessage(type, buf, true) as { raw?: string; Raw?: string };
    const raw = o.raw ?? o.Raw;
    return { value: raw ? JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) : undefined };
  }
  const fields = fieldsOf(type);
  const only = fields.get(1);
  if (fields.size === 1 && only?.name === 'items' && only.repeated) {
    return { value: (decodeMessage(type, buf, true) as { items?: unknown[] }).items ?? [] };
  }
  return undefined;
}

function decodeValue(type: string, wire: number, r: Reader): unknown {
  if (PROTO_SCHEMA[type] === undefined) return scalar(type, wire, r);
  const buf = r.bytes();
  const s = special(type, buf);
  return s ? s.value : decodeMessage(type, buf);
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length === 0;
  return false;
}

/** Decodes one message into a JSON object, dropping Go zero values as omitempty would. */
export function decodeMessage(
  type: string,
  buf: Buffer,
  keepZeros = false,
): Record<string, unknown> {
  const fields = fieldsOf(type);
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (!r.done) {
    const tag = Number(r.varint());
    const num = tag >>> 3;
    const wire = tag & 7;
    const f = fields.get(num);
    if (!f) {
      r.skip(wire);
      continue;
    }
    if (f.type.startsWith('map<')) {
      const valueType = f.type.slice(4, -1);
      const entry = new Reader(r.bytes());
      let key = '';
      let value: unknown;
      while (!entry.done) {
        const t = Number(entry.varint());
        if (t >>> 3 === 1) key = entry.bytes().toString('utf8');
        else value = decodeValue(valueType, t & 7, entry);
      }
      const map = (out[f.name] ?? {}) as Record<string, unknown>;
      map[key] = value ?? (valueType === 'string' ? '' : valueType === 'bytes' ? '' : {});
      out[f.name] = map;
      continue;
    }
    if (
      f.repeated &&
      wire === 2 &&
      PROTO_SCHEMA[f.type] === undefined &&
      f.type !== 'string' &&
      f.type !== 'bytes'
    ) {
      // packed repeated scalars
      const packed = new Reader(r.bytes());
      const list = (out[f.name] ?? []) as unknown[];
      while (!packed.done) list.push(scalar(f.type, 0, packed));
      out[f.name] = list;
      continue;
    }
    const value = decodeValue(f.type, wire, r);
    if (f.repeated) {
      const list = (out[f.name] ?? []) as unknown[];
      list.push(value);
      out[f.name] = list;
    } else if (
      INLINE.has(f.type.slice(f.type.lastIndexOf('.') + 1)) &&
      typeof value === 'object' &&
      value
    ) {
      Object.assign(out, value);
    } else {
      out[f.name] = value;
    }
  }
  if (!keepZeros) {
    for (const [k, v] of Object.entries(out)) {
      if (isEmpty(v) || (v === 0 && !KEEP_ZERO.has(k))) delete out[k];
    }
  }
  return out;
}

const GROUP_PACKAGES: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  batch: 'batch',
  policy: 'policy',
  autoscaling: 'autoscaling',
  'networking.k8s.io': 'networking',
  'rbac.authorization.k8s.io': 'rbac',
  'authentication.k8s.io': 'authentication',
  'authorization.k8s.io': 'authorization',
  'coordination.k8s.io': 'coordination',
  'storage.k8s.io': 'storage',
};

const META_OPTION_KINDS = new Set([
  'DeleteOptions',
  'CreateOptions',
  'PatchOptions',
  'UpdateOptions',
]);

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('application/vnd.kubernetes.protobuf');
}

/** Decodes an enveloped protobuf object into JSON with apiVersion and kind. */
export function decodeEnvelope(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw badRequest(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  }
  const unknown = decodeMessage('k8s.io.apimachinery.pkg.runtime.Unknown', body.subarray(4), true);
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = tm.apiVersion ?? '';
  const kind = tm.kind ?? '';
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const pkg = GROUP_PACKAGES[group];
  // Option kinds (DeleteOptions, ...) are registered in every group version, as
  // metav1.AddToGroupVersion does, so `helm uninstall`'s apps/v1 DeleteOptions decodes too.
  const meta = `k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`;
  const message = META_OPTION_KINDS.has(kind)
    ? meta
    : pkg
      ? `k8s.io.api.${pkg}.${version}.${kind}`
      : '';
  if (message === '' || PROTO_SCHEMA[message] === undefined) {
    throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme`);
  }
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  return { apiVersion, kind, ...decodeMessage(message, raw) };
}
