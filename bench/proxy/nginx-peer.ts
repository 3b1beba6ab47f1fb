/**
 * Debian's nginx as the floor for a reverse proxy: TLS on both sides, keep-alive to kubesim,
 * the same identity lines Paddock sends, set statically. One worker process, as Paddock is one
 * process; response buffering off, as Paddock streams; no access log.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import type { ProcessGroup } from './process-group.js';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface NginxPeerOptions {
  readonly dir: string;
  readonly upstreamUrl: string;
  readonly upstreamCaFile: string;
  /** Name the upstream certificate is checked against (nginx matches DNS names only). */
  readonly upstreamTlsName: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Header name → value(s); each value becomes one `proxy_set_header` line. */
  readonly headers: Record<string, string | readonly string[]>;
}

/** Starts nginx in the foreground on a free loopback port; resolves with its base URL. */
export async function startNginx(
  group: ProcessGroup,
  options: NginxPeerOptions,
): Promise<{ url: string; pid: number | undefined }> {
  if (!existsSync(NGINX_BINARY)) {
    throw new Error(`${NGINX_BINARY} not found: install the Debian package nginx`);
  }
  const port = await freePort();
  const dir = join(options.dir, 'nginx');
  await mkdir(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(options, port, dir));
  const started = group.spawn('nginx', NGINX_BINARY, [
    '-p',
    dir,
    '-c',
    conf,
    '-e',
    join(dir, 'logs', 'error.log'),
  ]);
  return { url: `https://127.0.0.1:${port}`, pid: started.child.pid };
}

export function nginxConfig(options: NginxPeerOptions, port: number, dir: string): string {
  const upstream = new URL(options.upstreamUrl);
  const setHeaders = Object.entries(options.headers)
    .flatMap(([name, value]) => [value].flat().map((v) => `proxy_set_header ${name} ${quote(v)};`))
    .join('\n      ');
  const runAs = process.getuid?.() === 0 ? 'user root root;' : '';
  return `${runAs}
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  upstream kubesim {
    server ${upstream.host};
    keepalive 256;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
  }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${options.certFile};
    ssl_certificate_key ${options.keyFile};
    location / {
      proxy_pass https://kubesim;
      proxy_http_version 1.1;
      proxy_buffering off;
      proxy_read_timeout 3600s;
      proxy_ssl_verify on;
      proxy_ssl_trusted_certificate ${options.upstreamCaFile};
      proxy_ssl_name ${options.upstreamTlsName};
      proxy_ssl_session_reuse on;
      proxy_set_header Connection "";
      proxy_set_header Host ${quote(upstream.host)};
      ${setHeaders}
    }
  }
}
`;
}

// nginx expands `$name` inside values and has no escape for it: refuse rather than mangle.
function quote(value: string): string {
  if (/[$"\\\r\n]/.test(value))
    throw new Error(`cannot put ${JSON.stringify(value)} into nginx.conf`);
  return `"${value}"`;
}
