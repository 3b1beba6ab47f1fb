/**
 * Many concurrent watches on one ConfigMap, each on its own TLS connection (as each kubectl or
 * informer would hold one), and the delay from a write in kubesim to the event at every watcher.
 * Raw TLS sockets keep the client's own cost per event to a substring search.
 */
import { performance } from 'node:perf_hooks';
import { connect, type TLSSocket } from 'node:tls';
import { Pool } from 'undici';
import { Http1ResponseParser } from '../../src/datasources/upstream/http1-response-parser.js';
import { quantile } from '../support/measure.js';
import type { Leg } from './legs.js';
import { BENCH_NAMESPACE, WATCHED_NAME } from './protocol.js';

export interface Watchers {
  readonly count: number;
  /** Resolves when every watcher has seen the event of write `seq` (or at the deadline). */
  arrivals(seq: number, deadlineMs: number): Promise<Float64Array>;
  close(): void;
}

/** Opens `count` watches through `leg`, `parallel` handshakes at a time, within `timeoutMs`. */
export async function openWatches(
  leg: Leg,
  resourceVersion: string,
  count: number,
  { parallel = 64, timeoutMs = 300_000 } = {},
): Promise<Watchers> {
  const url = new URL(leg.base);
  const path =
    `${url.pathname.replace(/\/$/, '')}/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps` +
    `?watch=true&fieldSelector=metadata.name%3D${WATCHED_NAME}&resourceVersion=${resourceVersion}`;
  const request = Buffer.from(
    `${[
      `GET ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      'Accept: application/json',
      ...leg.headers.map(([n, v]) => `${n}: ${v}`),
    ].join('\r\n')}\r\n\r\n`,
  );
  const sockets: TLSSocket[] = [];
  // arrival time (performance.now) of the event of the current write, per watcher; NaN = not yet
  let times = new Float64Array(count).fill(Number.NaN);
  let marker = '';
  let seen = 0;
  let onAll: (() => void) | undefined;
  const deadline = Date.now() + timeoutMs;

  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({
        host: url.hostname,
        port: Number(url.port),
        ca: leg.caPem,
      });
      sockets.push(socket);
      let tail = '';
      let opened = false;
      const timer = setTimeout(
        () => reject(new Error(`watch ${index} not answered`)),
        Math.max(1, deadline - Date.now()),
      );
      // Chunk boundaries carry no meaning: a proxy may split one event over two chunks, so
      // the body is de-chunked before looking for the marker.
      const parser = new Http1ResponseParser(
        {
          onHead(status) {
            clearTimeout(timer);
            if (status !== 200) {
              let body = '';
              socket.on('data', (c: Buffer) => {
                body += c.toString('latin1');
              });
              // Wait a moment for the Status body: it says why.
              setTimeout(() => reject(new Error(`watch ${index}: ${status} ${body}`)), 200);
              return;
            }
            opened = true;
            resolve();
          },
          onData(chunk) {
            if (!opened) return;
            const text = chunk.toString('latin1');
            // An event may straddle two pieces: keep the end of the previous one.
            const window = tail + text;
            tail = window.slice(-64);
            if (marker !== '' && Number.isNaN(times[index]!) && window.includes(marker)) {
              times[index] = performance.now();
              seen += 1;
              if (seen === count) onAll?.();
            }
          },
        },
        false,
      );
      socket.setNoDelay(true);
      socket.on('secureConnect', () => socket.write(request));
      socket.on('error', (err) => {
        clearTimeout(timer);
        if (!opened) reject(err);
      });
      socket.on('data', (chunk: Buffer) => {
        if (!opened && parser.headReceived) return;
        try {
          parser.execute(chunk);
        } catch (err) {
          socket.destroy(err as Error);
        }
      });
    });

  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await open(i);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  } catch (err) {
    for (const s of sockets) s.destroy();
    throw err;
  }

  return {
    count,
    async arrivals(seq, deadlineMs) {
      times = new Float64Array(count).fill(Number.NaN);
      seen = 0;
      marker = `"seq":"${markerOf(seq)}"`;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        onAll = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      onAll = undefined;
      marker = '';
      return times;
    },
    close() {
      for (const s of sockets) s.destroy();
    },
  };
}

export const markerOf = (seq: number) => `bench-${seq}`;

export interface EventDelay {
  readonly samples: number;
  readonly missed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Writes the watched ConfigMap `writes` times through `writer` (an admin client of kubesim)
 * and measures, per write, the time from sending the write to each watcher seeing it.
 */
export async function measureEventDelay(
  watchers: Watchers,
  writer: { pool: Pool; adminToken: string },
  firstSeq: number,
  writes: number,
  perWriteDeadlineMs = 30_000,
): Promise<EventDelay> {
  const delays: number[] = [];
  let missed = 0;
  for (let k = 0; k < writes; k += 1) {
    const seq = firstSeq + k;
    const arrived = watchers.arrivals(seq, perWriteDeadlineMs);
    const sentAt = performance.now();
    const res = await writer.pool.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps/${WATCHED_NAME}`,
      headers: {
        authorization: `Bearer ${writer.adminToken}`,
        'content-type': 'application/merge-patch+json',
      },
      body: JSON.stringify({ data: { seq: markerOf(seq) } }),
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`write ${seq} answered ${res.statusCode}`);
    for (const t of await arrived) {
      if (Number.isNaN(t)) missed += 1;
      else delays.push(t - sentAt);
    }
  }
  delays.sort((a, b) => a - b);
  return {
    samples: delays.length,
    missed,
    p50Ms: quantile(delays, 0.5),
    p99Ms: quantile(delays, 0.99),
    maxMs: delays.at(-1) ?? 0,
  };
}
