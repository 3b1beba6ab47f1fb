/** Requests/s and latency of every leg, for each request and connection count, with wrk. */
import { type Leg, LIST_PATH, OBJECT_PATH } from './legs.js';
import { cpuSecondsOfTree } from './process-cpu.js';
import { runWrk, type WrkResult, writeWrkScript } from './wrk-run.js';

export type RequestName = 'GET one object' | 'LIST 500 pods';

export interface Cell {
  readonly request: RequestName;
  readonly connections: number;
  readonly leg: Leg['name'];
  readonly result: WrkResult;
  /** CPU time the leg's serving process spent per request (kubesim's for the direct leg). */
  readonly cpuUsPerRequest: number | undefined;
}

export interface HttpPhaseOptions {
  readonly dir: string;
  readonly legs: readonly Leg[];
  readonly connectionCounts: readonly number[];
  /** Which requests to time (both by default). */
  readonly requests?: readonly ('object' | 'list')[];
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly threads: number;
  /**
   * Each cell runs this many rounds (every leg once per round, alternating) and reports each
   * figure's median over the rounds: on a shared machine one run's p50 can be off by 2×.
   */
  readonly rounds: number;
  readonly progress: (line: string) => void;
}

/**
 * Runs each (request, connections) cell on every leg in turn, so that a change in the machine's
 * load during the run hits all legs of a cell alike. Each run has a short warm-up first, which
 * opens the keep-alive connections on both sides of the proxy.
 */
export async function runHttpPhase(options: HttpPhaseOptions): Promise<Cell[]> {
  const wanted = options.requests ?? ['object', 'list'];
  const requests: [RequestName, string][] = [];
  if (wanted.includes('object')) requests.push(['GET one object', OBJECT_PATH]);
  if (wanted.includes('list')) requests.push(['LIST 500 pods', LIST_PATH]);
  const cells: Cell[] = [];
  for (const [request, path] of requests) {
    const scripts = new Map<string, string>();
    for (const [i, leg] of options.legs.entries()) {
      scripts.set(leg.name, await writeWrkScript(options.dir, leg, path, `${i}-${request.length}`));
    }
    for (const connections of options.connectionCounts) {
      const runs = new Map<Leg['name'], Run[]>();
      for (let round = 1; round <= options.rounds; round++) {
        for (const leg of options.legs) {
          const run = await timeLeg(leg, scripts.get(leg.name)!, connections, options);
          runs.set(leg.name, [...(runs.get(leg.name) ?? []), run]);
          options.progress(
            `${request}, ${connections} conn, ${leg.name}, round ${round}/${options.rounds}: ` +
              `${Math.round(run.result.perSecond)} req/s, p50 ${run.result.p50Us} µs, ` +
              `p99 ${run.result.p99Us} µs` +
              `${run.cpuUsPerRequest === undefined ? '' : `, ${Math.round(run.cpuUsPerRequest)} CPU µs/req`}` +
              `${run.result.errors ? `, ${run.result.errors} errors` : ''}`,
          );
        }
      }
      for (const leg of options.legs) {
        cells.push({ request, connections, leg: leg.name, ...medianOf(runs.get(leg.name)!) });
      }
    }
  }
  return cells;
}

interface Run {
  readonly result: WrkResult;
  readonly cpuUsPerRequest: number | undefined;
}

async function timeLeg(
  leg: Leg,
  script: string,
  connections: number,
  options: HttpPhaseOptions,
): Promise<Run> {
  await runWrk(leg, script, connections, options.warmupSeconds, options.threads);
  const pids = leg.pid === undefined ? [] : [leg.pid, ...(leg.extraPids ?? [])];
  const cpu = () => pids.reduce((sum, pid) => sum + cpuSecondsOfTree(pid), 0);
  const cpuBefore = cpu();
  const result = await runWrk(leg, script, connections, options.seconds, options.threads);
  const cpuUsPerRequest =
    pids.length === 0 || result.requests === 0
      ? undefined
      : ((cpu() - cpuBefore) * 1e6) / result.requests;
  return { result, cpuUsPerRequest };
}

/** Each figure's median over the rounds (errors and requests: summed). */
function medianOf(runs: readonly Run[]): Run {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const results = runs.map((r) => r.result);
  const cpu = runs.map((r) => r.cpuUsPerRequest).filter((c): c is number => c !== undefined);
  return {
    result: {
      requests: results.reduce((n, r) => n + r.requests, 0),
      seconds: results.reduce((n, r) => n + r.seconds, 0),
      perSecond: median(results.map((r) => r.perSecond)),
      p50Us: median(results.map((r) => r.p50Us)),
      p99Us: median(results.map((r) => r.p99Us)),
      errors: results.reduce((n, r) => n + r.errors, 0),
    },
    cpuUsPerRequest: cpu.length === 0 ? undefined : median(cpu),
  };
}
