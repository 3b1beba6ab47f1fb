/**
 * Debian's nginx as the load balancer in front of several Paddock replicas (plain HTTP on
 * loopback, as behind a TLS-terminating balancer), started by the test on a free port with a
 * config of its own, as an operator would configure it: a replica that refuses a connection
 * or drops one is skipped and the request tried on the next (without marking the replica
 * down: the one that stays up must never be), and idle connections are given up before
 * Paddock would close them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { fetchText } from './http-client.js';
import { waitFor } from './wait-for.js';

const NGINX = '/usr/sbin/nginx';

export interface NginxBalancer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startNginxBalancer(options: {
  dir: string;
  upstreamPorts: readonly number[];
  /** Also pass WebSocket upgrades on `/v1/connect` through (what agents dial), as documented. */
  websockets?: boolean;
}): Promise<NginxBalancer> {
  if (!existsSync(NGINX)) {
    throw new Error(`${NGINX} not found: install it with \`apt-get install -y nginx\``);
  }
  const dir = join(options.dir, 'nginx');
  await mkdir(join(dir, 'logs'), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const servers = options.upstreamPorts
    .map((p) => `server 127.0.0.1:${p} max_fails=0;`)
    .join('\n    ');
  await writeFile(
    conf,
    `${process.getuid?.() === 0 ? 'user root root;' : ''}
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream paddock {
    ${servers}
    keepalive 16;
    # Below Node's 5 s keep-alive timeout, so nginx never reuses a connection Paddock is closing.
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${port};${
      options.websockets
        ? `
    location /v1/connect {
      proxy_pass http://paddock;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header Host $http_host;
      proxy_read_timeout 1h;
    }`
        : ''
    }
    location / {
      proxy_pass http://paddock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_next_upstream error timeout http_502 non_idempotent;
      proxy_next_upstream_tries 6;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-c', conf, '-e', join(dir, 'logs', 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`nginx on ${url}`, async () => {
      if (child.exitCode !== null) {
        const log = await readFile(join(dir, 'logs', 'error.log'), 'utf8').catch(() => '');
        throw new Error(`nginx exited: ${stderr} ${log}`);
      }
      await fetchText(`${url}/healthz`);
      return true;
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
