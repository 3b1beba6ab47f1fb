/** Small, dependency-free measuring helpers shared by the benchmarks. */
import { loadavg } from 'node:os';

export interface Throughput {
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/** Runs `fn` back to back for about `durationMs` (at most `maxOps` calls) after a warm-up. */
export async function throughput(
  fn: () => Promise<unknown> | unknown,
  { durationMs = 2000, maxOps = 2_000_000, warmupOps = 200 } = {},
): Promise<Throughput> {
  for (let i = 0; i < warmupOps; i++) await fn();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let ops = 0;
  while (ops < maxOps) {
    await fn();
    ops += 1;
    if ((ops & 63) === 0 && process.hrtime.bigint() > deadline) break;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ops, seconds, perSecond: ops / seconds };
}

export interface Latency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** Calls `fn` `samples` times one after another and reports latency percentiles. */
export async function latency(
  fn: () => Promise<unknown>,
  samples: number,
  warmup = 5,
): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    samples,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

/** Prints rows as an aligned text table. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The `q` quantile (0..1) of an ascending array, by nearest rank; 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** The 1-minute load average, to print beside figures taken on a shared machine. */
export function loadAverage(): number {
  return loadavg()[0] ?? 0;
}
