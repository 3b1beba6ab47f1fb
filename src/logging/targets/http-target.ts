/** A generic HTTP endpoint: Fluent Bit's `http` output (JSON lines); the test posts one record. */
import { httpFailure, str, type TargetKind } from './target-kind.js';

export const httpTarget: TargetKind = {
  kind: 'http',
  settings: {
    url: { type: 'string', required: true, pattern: /^https?:\/\/[^\s]+$/ },
    caPem: { type: 'string' },
  },
  secrets: { authorization: { required: false } },
  output(s, secrets, env) {
    const url = new URL(str(s.url));
    const tls = url.protocol === 'https:';
    return [
      ['Host', url.hostname],
      ['Port', url.port || (tls ? '443' : '80')],
      ['URI', `${url.pathname}${url.search}`],
      ['Format', 'json'],
      ['Json_Date_Key', 'time'],
      ['Json_Date_Format', 'iso8601'],
      ['tls', tls ? 'On' : 'Off'],
      ...(tls ? ([['tls.verify', 'On']] as [string, string][]) : []),
      ...(secrets.has('authorization')
        ? ([['Header', `Authorization ${env('authorization')}`]] as [string, string][])
        : []),
    ];
  },
  async test(s, secrets, record, io) {
    const answer = await io.http({
      url: str(s.url),
      headers: {
        'content-type': 'application/json',
        ...(secrets.authorization ? { authorization: secrets.authorization } : {}),
      },
      body: JSON.stringify([
        {
          time: record.time.toISOString(),
          log: record.message,
          cluster: record.cluster,
          source: record.source,
        },
      ]),
      ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
      timeoutMs: io.timeoutMs,
    });
    if (answer.status < 200 || answer.status >= 300)
      throw httpFailure('the endpoint', answer.status, answer.text);
    return `the endpoint answered ${answer.status}`;
  },
};
