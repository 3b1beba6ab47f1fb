/**
 * N concurrent watches directly on kubesim (the baseline) and through Paddock: Paddock's RSS
 * (its process alone) before, with the watches open and at its peak, and the event delay.
 */
import { readFile } from 'node:fs/promises';
import { Pool } from 'undici';
import type { Leg } from './legs.js';
import { nextMessage, type Started, waitFor } from './process-group.js';
import { BENCH_NAMESPACE, isStats, WATCHED_NAME } from './protocol.js';
import { type EventDelay, measureEventDelay, openWatches } from './watch-fanout.js';

export interface WatchRow {
  /** Watches asked for, and watches actually opened (see `maxPaddockWatches`). */
  readonly requested: number;
  readonly watches: number;
  readonly leg: 'direct' | 'paddock';
  readonly openSeconds: number;
  readonly delay: EventDelay;
  /** Paddock's RSS (bytes) before opening, with all open, and its high-water mark. */
  readonly paddockRss?: { readonly before: number; readonly open: number; readonly peak: number };
  /** Paddock's V8 heap in use with all watches open. */
  readonly paddockHeapUsed?: number;
  readonly kubesimRss: number;
}

export interface WatchPhaseOptions {
  readonly direct: Leg;
  readonly paddock: Leg;
  readonly counts: readonly number[];
  /**
   * Paddock holds two sockets per watch (client and cluster side); where the open-files hard
   * limit cannot be raised, the Paddock leg opens at most this many and says so.
   */
  readonly maxPaddockWatches: number;
  readonly writes: number;
  readonly kubesim: Started;
  readonly paddockProcess: Started;
  readonly kubesimUrl: string;
  readonly kubesimCaPem: string;
  readonly adminToken: string;
  readonly progress: (line: string) => void;
}

export async function runWatchPhase(options: WatchPhaseOptions): Promise<WatchRow[]> {
  const pool = new Pool(options.kubesimUrl, { connect: { ca: options.kubesimCaPem } });
  const writer = { pool, adminToken: options.adminToken };
  const rows: WatchRow[] = [];
  let seq = 1;
  const kubesimStats = async () => {
    options.kubesim.child.send({ type: 'stats' });
    return nextMessage(options.kubesim, isStats, 10_000);
  };
  // Paddock itself may hold watches on the cluster, and closed watches take a moment to go:
  // the baseline is the count once it stops changing.
  const settled = () => {
    let last = -1;
    return waitFor(
      'kubesim to settle its watch count',
      async () => {
        const { watches } = await kubesimStats();
        const stable = watches === last;
        last = watches;
        return stable ? watches : undefined;
      },
      120_000,
      1000,
    );
  };
  const watchesOpen = async (baseline: number, n: number) =>
    waitFor(
      `kubesim to hold ${baseline} + ${n} watches`,
      async () => {
        const s = await kubesimStats();
        return s.watches >= baseline + n ? s : undefined;
      },
      120_000,
      200,
    );
  try {
    for (const requested of options.counts) {
      for (const leg of [options.direct, options.paddock]) {
        const count =
          leg.name === 'paddock' ? Math.min(requested, options.maxPaddockWatches) : requested;
        const baseline = await settled();
        if (baseline > 0) options.progress(`kubesim holds ${baseline} other watch(es)`);
        const rv = await resourceVersion(writer);
        const before = await rssOf(options.paddockProcess.child.pid!);
        const started = Date.now();
        const watchers = await openWatches(leg, rv, count);
        try {
          const openSeconds = (Date.now() - started) / 1000;
          const held = await watchesOpen(baseline, count);
          const open = await rssOf(options.paddockProcess.child.pid!);
          options.paddockProcess.child.send({ type: 'stats' });
          const paddockStats = await nextMessage(options.paddockProcess, isStats, 10_000);
          const delay = await measureEventDelay(watchers, writer, seq, options.writes);
          seq += options.writes;
          const peak = await rssOf(options.paddockProcess.child.pid!);
          const row: WatchRow = {
            requested,
            watches: count,
            leg: leg.name === 'paddock' ? 'paddock' : 'direct',
            openSeconds,
            delay,
            ...(leg.name === 'paddock'
              ? {
                  paddockRss: { before: before.rss, open: open.rss, peak: peak.hwm },
                  paddockHeapUsed: paddockStats.heapUsedBytes,
                }
              : {}),
            kubesimRss: held.rssBytes,
          };
          rows.push(row);
          options.progress(
            `${count} watches, ${leg.name}: opened in ${openSeconds.toFixed(1)} s, ` +
              `delay p50 ${delay.p50Ms.toFixed(1)} ms p99 ${delay.p99Ms.toFixed(1)} ms, ` +
              `missed ${delay.missed}, Paddock RSS ${mib(open.rss)} MiB ` +
              `(V8 heap used ${mib(paddockStats.heapUsedBytes)} MiB)`,
          );
        } finally {
          watchers.close();
        }
      }
    }
  } finally {
    await pool.close();
  }
  return rows;
}

export const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** VmRSS and VmHWM of a process, in bytes, from /proc. */
export async function rssOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

async function resourceVersion(writer: { pool: Pool; adminToken: string }): Promise<string> {
  const res = await writer.pool.request({
    method: 'GET',
    path: `/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps/${WATCHED_NAME}`,
    headers: { authorization: `Bearer ${writer.adminToken}` },
  });
  const body = (await res.body.json()) as { metadata?: { resourceVersion?: string } };
  const rv = body.metadata?.resourceVersion;
  if (res.statusCode !== 200 || rv === undefined) throw new Error('cannot read the watched object');
  return rv;
}
