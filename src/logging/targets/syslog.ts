/**
 * Syslog over UDP, TCP or TLS: Fluent Bit's `syslog` output in RFC 5424 (or 3164) format; the
 * test sends one message from Paddock the same way (TCP and TLS frames end with a newline).
 */
import { createSocket, type SocketOptions } from 'node:dgram';
import { hostname } from 'node:os';
import { connect, write } from './socket-io.js';
import { HOST, num, PORT, str, type TargetKind, type TestRecord } from './target-kind.js';

/** `<PRI>1 TIMESTAMP HOST APP - - - MSG` (facility local0, severity info). */
export function rfc5424(record: TestRecord, app = 'paddock'): string {
  return `<134>1 ${record.time.toISOString()} ${hostname()} ${app} - - - ${record.message}`;
}

export function rfc3164(record: TestRecord, app = 'paddock'): string {
  const d = record.time;
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const time = d.toISOString().slice(11, 19);
  return `<134>${month} ${day} ${time} ${hostname()} ${app}: ${record.message}`;
}

export const syslogTarget: TargetKind = {
  kind: 'syslog',
  settings: {
    host: HOST,
    port: PORT,
    mode: { type: 'enum', values: ['udp', 'tcp', 'tls'] },
    format: { type: 'enum', values: ['rfc5424', 'rfc3164'] },
    caPem: { type: 'string' },
  },
  secrets: {},
  output(s) {
    const mode = str(s.mode, 'udp');
    return [
      ['Host', str(s.host)],
      ['Port', String(num(s.port, 514))],
      ['Mode', mode],
      ['Syslog_Format', str(s.format, 'rfc5424')],
      ['Syslog_Message_Key', 'log'],
      ['Syslog_Appname_Preset', 'paddock'],
      ...(mode === 'tls'
        ? ([
            ['tls', 'On'],
            ['tls.verify', 'On'],
          ] as [string, string][])
        : []),
    ];
  },
  async test(s, _secrets, record, io) {
    const line = str(s.format, 'rfc5424') === 'rfc3164' ? rfc3164(record) : rfc5424(record);
    const host = str(s.host);
    const port = num(s.port, 514);
    const mode = str(s.mode, 'udp');
    if (mode === 'udp') {
      await io.policy.check(host);
      const socket = createSocket({
        type: host.includes(':') ? 'udp6' : 'udp4',
        // net's lookup answers a single-address request like dns.lookup does.
        ...(io.policy.lookup
          ? { lookup: io.policy.lookup as unknown as SocketOptions['lookup'] }
          : {}),
      });
      try {
        await new Promise<void>((resolve, reject) =>
          socket.send(line, port, host, (err) => (err ? reject(err) : resolve())),
        );
      } finally {
        socket.close();
      }
      return `sent one message to ${host}:${port}/udp (UDP has no acknowledgement)`;
    }
    const socket = await connect({
      host,
      port,
      tls: mode === 'tls',
      ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
      timeoutMs: io.timeoutMs,
      policy: io.policy,
    });
    try {
      await write(socket, `${line}\n`);
    } finally {
      await new Promise<void>((resolve) => socket.end(resolve));
    }
    return `sent one message to ${host}:${port}/${mode}`;
  },
};
