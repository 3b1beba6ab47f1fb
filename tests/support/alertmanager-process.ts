/**
 * A real Prometheus Alertmanager (Debian `prometheus-alertmanager`) on a free loopback port
 * with a temporary configuration and storage, clustering off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { fetchText } from './http-client.js';
import { waitFor } from './wait-for.js';

export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerProcess {
  readonly url: string;
  /** `GET /api/v2/alerts` as parsed JSON. */
  alerts(): Promise<
    {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      status: { state: string };
    }[]
  >;
  stop(): Promise<void>;
}

export async function startAlertmanager(dir: string): Promise<AlertmanagerProcess> {
  if (!existsSync(ALERTMANAGER))
    throw new Error(`${ALERTMANAGER} not found: apt-get install -y prometheus-alertmanager`);
  await mkdir(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'alertmanager.yml');
  await writeFile(config, 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `alertmanager on ${port}`,
    async () => {
      if (exited) throw new Error(`alertmanager exited: ${stderr}`);
      const r = await fetchText(`${url}/-/ready`).catch(() => undefined);
      return r?.status === 200 ? true : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  return {
    url,
    async alerts() {
      const r = await fetchText(`${url}/api/v2/alerts`);
      return JSON.parse(r.body);
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
