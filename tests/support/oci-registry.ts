// Debian's docker-registry (CNCF Distribution 2.8) on a loopback port with htpasswd basic auth:
// a real OCI registry that `helm push` writes charts to. Plain HTTP, because Helm speaks plain
// HTTP to any registry on a loopback address. Install it with `apt-get install -y
// docker-registry`; the test fails with that hint when it is missing.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { fetchText } from './http-client.js';
import { waitFor } from './wait-for.js';

const REGISTRY = '/usr/bin/docker-registry';
const run = promisify(execFile);

export interface OciRegistryProcess {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

export async function startOciRegistry(options: { dir: string }): Promise<OciRegistryProcess> {
  if (!existsSync(REGISTRY)) {
    throw new Error(
      `${REGISTRY} not found: install it with \`apt-get install -y docker-registry\``,
    );
  }
  const username = 'pusher';
  const password = 'registry-secret';
  // Distribution's htpasswd accepts bcrypt only; Python's crypt makes one with libxcrypt.
  const { stdout } = await run('python3', [
    '-W',
    'ignore',
    '-c',
    'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))',
    password,
  ]);
  await mkdir(join(options.dir, 'storage'), { recursive: true });
  await writeFile(join(options.dir, 'htpasswd'), `${username}:${stdout.trim()}\n`);
  const port = await freePort();
  const config = join(options.dir, 'config.yml');
  await writeFile(
    config,
    stringify({
      version: 0.1,
      log: { level: 'warn' },
      storage: {
        filesystem: { rootdirectory: join(options.dir, 'storage') },
        delete: { enabled: true },
      },
      http: { addr: `127.0.0.1:${port}` },
      auth: { htpasswd: { realm: 'paddock-test', path: join(options.dir, 'htpasswd') } },
    }),
  );
  const child: ChildProcess = spawn(REGISTRY, ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const host = `127.0.0.1:${port}`;
  try {
    await waitFor(
      `docker-registry on ${host} (${output})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited: ${output}`);
        const res = await fetchText(`http://${host}/v2/`).catch(() => undefined);
        return res?.status === 401 ? true : undefined;
      },
      { timeoutMs: 20_000 },
    );
  } catch (err) {
    // A registry that never answered must not outlive the test that started it.
    child.kill('SIGKILL');
    throw err;
  }
  return {
    host,
    username,
    password,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
