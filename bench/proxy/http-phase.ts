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
      for (const leg of options.legs) {
        const script = scripts.get(leg.name)!;
        await runWrk(leg, script, connections, options.warmupSeconds, options.threads);
        const cpuBefore = leg.pid === undefined ? 0 : cpuSecondsOfTree(leg.pid);
        const result = await runWrk(leg, script, connections, options.seconds, options.threads);
        const cpuUsPerRequest =
          leg.pid === undefined || result.requests === 0
            ? undefined
            : ((cpuSecondsOfTree(leg.pid) - cpuBefore) * 1e6) / result.requests;
        cells.push({ request, connections, leg: leg.name, result, cpuUsPerRequest });
        options.progress(
          `${request}, ${connections} conn, ${leg.name}: ${Math.round(result.perSecond)} req/s, ` +
            `p50 ${result.p50Us} µs, p99 ${result.p99Us} µs` +
            `${cpuUsPerRequest === undefined ? '' : `, ${Math.round(cpuUsPerRequest)} CPU µs/req`}` +
            `${result.errors ? `, ${result.errors} errors` : ''}`,
        );
      }
    }
  }
  return cells;
}
