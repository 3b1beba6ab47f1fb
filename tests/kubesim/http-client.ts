// Raw HTTPS requests to a kubesim cluster with full control over header lines (repeated
// Impersonate-Group lines are sent as separate lines, as an array header value does in node).

import { request } from 'node:https';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

export interface ClusterRef {
  url: string;
  caPem: string;
}

export function api(
  cluster: ClusterRef,
  method: string,
  path: string,
  opts: {
    token?: string;
    headers?: Record<string, string | string[]>;
    body?: unknown;
    /** a new connection instead of a pooled keep-alive one */
    fresh?: boolean;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {
      Accept: 'application/json',
      ...opts.headers,
    };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const req = request(
      new URL(path, cluster.url),
      { method, headers, ca: cluster.caPem, ...(opts.fresh ? { agent: false } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
