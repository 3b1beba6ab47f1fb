/**
 * One bounded wrk run against one leg: the request (with repeated header lines, which
 * `wrk.headers` cannot express) is written raw into a Lua script, and `done()` prints the
 * figures as one JSON line.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Leg } from './legs.js';

export const WRK_BINARY = '/usr/bin/wrk';

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  /** Successful answers per second: error answers (e.g. a peer's 503s) do not count. */
  readonly perSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly errors: number;
}

interface WrkJson {
  requests: number;
  durationUs: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p99: number;
}

const DONE = `
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

export function assertWrk(): void {
  if (!existsSync(WRK_BINARY))
    throw new Error(`${WRK_BINARY} not found: install the Debian package wrk`);
}

/** Writes the Lua script for GET `path` on `leg`; returns its file name. */
export async function writeWrkScript(dir: string, leg: Leg, path: string, tag: string) {
  const url = new URL(leg.base);
  const lines = [
    `GET ${url.pathname.replace(/\/$/, '')}${path} HTTP/1.1`,
    `Host: ${url.host}`,
    'Accept: application/json',
    ...leg.headers.map(([n, v]) => `${n}: ${v}`),
  ];
  for (const line of lines) {
    if (!/^[\x20-\x7e]*$/.test(line)) throw new Error(`not a plain ASCII header: ${line}`);
  }
  const raw = `${lines.join('\r\n')}\r\n\r\n`;
  // JSON string escapes (\r, \n, \", \\) are valid Lua string escapes for ASCII text.
  const script = `local raw = ${JSON.stringify(raw)}\nwrk.format = function() return raw end\n${DONE}`;
  const file = join(dir, `wrk-${tag}.lua`);
  await writeFile(file, script);
  return file;
}

/** Runs wrk for `seconds` with `connections`; rejects if it fails or exceeds its deadline. */
export async function runWrk(
  leg: Leg,
  script: string,
  connections: number,
  seconds: number,
  threads: number,
): Promise<WrkResult> {
  const url = new URL(leg.base);
  const args = [
    `-t${Math.min(threads, connections)}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '30s',
    '-s',
    script,
    `${url.protocol}//${url.host}/`,
  ];
  const child = spawn(WRK_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 40) * 1000);
    child.once('error', reject);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const line = out.split('\n').find((l) => l.startsWith('BENCHJSON '));
  if (code !== 0 || line === undefined) {
    throw new Error(`wrk ${args.join(' ')} failed (${code}):\n${out}`);
  }
  const j = JSON.parse(line.slice('BENCHJSON '.length)) as WrkJson;
  const secondsRun = j.durationUs / 1e6;
  return {
    requests: j.requests,
    seconds: secondsRun,
    perSecond: Math.max(0, j.requests - j.status) / secondsRun,
    p50Us: j.p50,
    p99Us: j.p99,
    errors: j.connect + j.read + j.write + j.status + j.timeout,
  };
}
