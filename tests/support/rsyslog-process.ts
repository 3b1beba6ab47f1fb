/**
 * A real rsyslog (Debian `rsyslog`, `rsyslog-openssl` for TLS) as a test fixture: its own
 * configuration, work directory and pid file in a temporary directory, listening on loopback
 * UDP, TCP and TLS ports, writing every message it receives to a file. The system's rsyslog is
 * not touched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export const RSYSLOGD = '/usr/sbin/rsyslogd';

export interface RsyslogProcess {
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly tlsPort: number;
  /** Lines received so far: `<hostname> <app-name> <msg>`. */
  lines(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startRsyslog(
  dir: string,
  tls: { caPath: string; certPath: string; keyPath: string },
): Promise<RsyslogProcess> {
  if (!existsSync(RSYSLOGD))
    throw new Error(`${RSYSLOGD} not found: apt-get install -y rsyslog rsyslog-openssl`);
  const work = join(dir, 'rsyslog-work');
  await mkdir(work, { recursive: true });
  const [udpPort, tcpPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const received = join(dir, 'rsyslog-received.log');
  const conf = join(dir, 'rsyslog.conf');
  await writeFile(
    conf,
    `global(
  workDirectory="${work}"
  defaultNetstreamDriverCAFile="${tls.caPath}"
  defaultNetstreamDriverCertFile="${tls.certPath}"
  defaultNetstreamDriverKeyFile="${tls.keyPath}"
)
module(load="imudp")
module(load="imtcp" maxSessions="50")
input(type="imudp" address="127.0.0.1" port="${udpPort}")
input(type="imtcp" address="127.0.0.1" port="${tcpPort}")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon")
template(name="paddockLine" type="string" string="%hostname% %app-name% %msg%\\n")
*.* action(type="omfile" file="${received}" template="paddockLine" flushOnTXEnd="on" asyncWriting="off")
`,
  );
  const child: ChildProcess = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(dir, 'rsyslog.pid')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // Listening once the TCP port accepts a connection.
  const { connect } = await import('node:net');
  await waitFor(
    `rsyslogd on ${tcpPort}`,
    () => {
      if (exited) throw new Error(`rsyslogd exited: ${output}`);
      return new Promise<true | undefined>((resolve) => {
        const s = connect(tcpPort, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(undefined));
      });
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  return {
    udpPort,
    tcpPort,
    tlsPort,
    async lines() {
      const text = await readFile(received, 'utf8').catch(() => '');
      return text.split('\n').filter((l) => l !== '');
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
