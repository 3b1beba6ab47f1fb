/**
 * A real SMTP server for tests: Debian's python3-aiosmtpd, started on a free loopback port,
 * in plain, STARTTLS-required or implicit-TLS mode, optionally requiring AUTH. Every message
 * it receives is printed as one JSON line and collected here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export const PYTHON = '/usr/bin/python3';

const SCRIPT = `
import asyncio, json, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
port, mode, cert, key, user, password = sys.argv[1:7]
class Handler:
    async def handle_DATA(self, server, session, envelope):
        auth = getattr(session, "paddock_login", None)
        print(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
            "data": envelope.content.decode("utf8", "replace"), "auth": auth,
            "tls": session.ssl is not None}), flush=True)
        return "250 Message accepted for delivery"
def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    if ok: session.paddock_login = user
    return AuthResult(success=ok, handled=False)
kwargs = {}
ctx = None
if mode in ("starttls", "tls"):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
if mode == "starttls":
    kwargs.update(tls_context=ctx, require_starttls=True)
if user:
    kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=(mode != "none"))
else:
    kwargs.update(auth_require_tls=False)
c = Controller(Handler(), hostname="127.0.0.1", port=int(port),
    ssl_context=(ctx if mode == "tls" else None), **kwargs)
c.start()
print("READY", flush=True)
try:
    while True: time.sleep(3600)
except KeyboardInterrupt:
    c.stop()
`;

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly data: string;
  readonly auth: string | null;
  readonly tls: boolean;
}

export interface SmtpServer {
  readonly port: number;
  readonly messages: ReceivedMail[];
  stop(): Promise<void>;
}

export async function startSmtpServer(
  options: {
    mode?: 'none' | 'starttls' | 'tls';
    certPath?: string;
    keyPath?: string;
    user?: string;
    password?: string;
  } = {},
): Promise<SmtpServer> {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} not found: apt-get install -y python3-aiosmtpd`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PYTHON,
    [
      '-c',
      SCRIPT,
      String(port),
      options.mode ?? 'none',
      options.certPath ?? '',
      options.keyPath ?? '',
      options.user ?? '',
      options.password ?? '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const messages: ReceivedMail[] = [];
  let ready = false;
  let stderr = '';
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      if (line === 'READY') ready = true;
      else if (line.startsWith('{')) messages.push(JSON.parse(line) as ReceivedMail);
    }
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitFor(`aiosmtpd on ${port}`, () => {
    if (exited) throw new Error(`aiosmtpd exited: ${stderr}`);
    return ready ? true : undefined;
  });
  return {
    port,
    messages,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
