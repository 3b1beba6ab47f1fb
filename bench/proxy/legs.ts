/**
 * The five ways the bench reaches kubesim, and a check that each one reaches it as the same
 * caller and sees the same objects before anything is timed.
 */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { BENCH_NAMESPACE, OBJECT_NAME, POD_COUNT } from './protocol.js';

export type LegName =
  | 'direct'
  | 'paddock'
  | 'paddock agent'
  | 'paddock relay'
  | 'nginx'
  | 'kubectl proxy';

export interface Leg {
  readonly name: LegName;
  /** Base URL the Kubernetes API paths are appended to. */
  readonly base: string;
  /** Headers the client itself sends (the direct leg sends the identity lines itself). */
  readonly headers: readonly (readonly [string, string])[];
  /** CA of the certificate the client sees (unused for http:). */
  readonly caPem: string;
  /** The serving process (with its children), whose CPU time per request is reported. */
  readonly pid?: number;
  /** More processes serving this leg (the agent of the agent leg), counted in its CPU time. */
  readonly extraPids?: readonly number[];
}

export const OBJECT_PATH = `/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps/${OBJECT_NAME}`;
export const LIST_PATH = '/api/v1/pods';

/** Header lines from a name → value(s) record, one line per value. */
export function headerLines(
  record: Record<string, string | readonly string[]>,
): [string, string][] {
  return Object.entries(record).flatMap(([name, value]) =>
    [value].flat().map((v): [string, string] => [name, v]),
  );
}

export async function caOf(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

export interface LegFacts {
  readonly user: string;
  readonly groups: readonly string[];
  readonly objectBytes: number;
  readonly listBytes: number;
}

/** Asks who the leg reaches kubesim as and reads the two timed paths once. */
export async function probeLeg(leg: Leg): Promise<LegFacts> {
  const dispatcher = new Agent({ connect: { ca: leg.caPem } });
  try {
    const call = async (method: 'GET' | 'POST', path: string, body?: string) => {
      const headers: string[] = leg.headers.flat();
      if (body !== undefined) headers.push('content-type', 'application/json');
      const res = await request(`${leg.base}${path}`, {
        method,
        headers,
        body: body ?? null,
        dispatcher,
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) {
        throw new Error(`${leg.name}: ${method} ${path} answered ${res.statusCode}: ${text}`);
      }
      return text;
    };
    const review = JSON.parse(
      await call(
        'POST',
        '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      ),
    ) as { status?: { userInfo?: { username?: string; groups?: string[] } } };
    const object = await call('GET', OBJECT_PATH);
    const list = await call('GET', LIST_PATH);
    const items = (JSON.parse(list) as { items?: unknown[] }).items?.length ?? 0;
    if (items !== POD_COUNT) throw new Error(`${leg.name}: the list has ${items} pods`);
    return {
      user: review.status?.userInfo?.username ?? '',
      groups: review.status?.userInfo?.groups ?? [],
      objectBytes: Buffer.byteLength(object),
      listBytes: Buffer.byteLength(list),
    };
  } finally {
    await dispatcher.close();
  }
}
