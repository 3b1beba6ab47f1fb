/** Elasticsearch (or OpenSearch): Fluent Bit's `es` output; the test indexes one document. */
import { HOST, httpFailure, num, onOff, PORT, str, type TargetKind } from './target-kind.js';

export const elasticsearchTarget: TargetKind = {
  kind: 'elasticsearch',
  settings: {
    host: HOST,
    port: PORT,
    index: { type: 'string', pattern: /^[a-z0-9][a-z0-9._-]{0,254}$/ },
    tls: { type: 'boolean' },
    username: { type: 'string' },
    caPem: { type: 'string' },
  },
  secrets: { password: { required: false } },
  output(s, secrets, env) {
    return [
      ['Host', str(s.host)],
      ['Port', String(num(s.port, 9200))],
      ['Index', str(s.index, 'paddock')],
      ['Suppress_Type_Name', 'On'],
      ['Replace_Dots', 'On'],
      ['tls', onOff(s.tls)],
      ...(s.tls === true ? ([['tls.verify', 'On']] as [string, string][]) : []),
      ...(str(s.username) ? ([['HTTP_User', str(s.username)]] as [string, string][]) : []),
      ...(secrets.has('password')
        ? ([['HTTP_Passwd', env('password')]] as [string, string][])
        : []),
    ];
  },
  async test(s, secrets, record, io) {
    const base = `${s.tls === true ? 'https' : 'http'}://${str(s.host)}:${num(s.port, 9200)}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (str(s.username)) {
      headers.authorization = `Basic ${Buffer.from(`${str(s.username)}:${secrets.password ?? ''}`).toString('base64')}`;
    }
    const answer = await io.http({
      url: `${base}/${encodeURIComponent(str(s.index, 'paddock'))}/_doc`,
      headers,
      body: JSON.stringify({
        '@timestamp': record.time.toISOString(),
        log: record.message,
        cluster: record.cluster,
        source: record.source,
      }),
      ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
      timeoutMs: io.timeoutMs,
    });
    if (answer.status !== 200 && answer.status !== 201)
      throw httpFailure('Elasticsearch', answer.status, answer.text);
    return `Elasticsearch indexed the record (${answer.status})`;
  },
};
