/** Splunk HTTP Event Collector: Fluent Bit's `splunk` output; the test posts one event. */
import { HOST, httpFailure, num, onOff, PORT, str, type TargetKind } from './target-kind.js';

export const splunkTarget: TargetKind = {
  kind: 'splunk',
  settings: {
    host: HOST,
    port: PORT,
    tls: { type: 'boolean' },
    index: { type: 'string' },
    caPem: { type: 'string' },
  },
  secrets: { token: { required: true } },
  output(s, _secrets, env) {
    return [
      ['Host', str(s.host)],
      ['Port', String(num(s.port, 8088))],
      ['Splunk_Token', env('token')],
      ['Splunk_Send_Raw', 'Off'],
      ['tls', onOff(s.tls)],
      ...(s.tls === true ? ([['tls.verify', 'On']] as [string, string][]) : []),
      ...(str(s.index) ? ([['event_index', str(s.index)]] as [string, string][]) : []),
    ];
  },
  async test(s, secrets, record, io) {
    const scheme = s.tls === false ? 'http' : 'https';
    const answer = await io.http({
      url: `${scheme}://${str(s.host)}:${num(s.port, 8088)}/services/collector/event`,
      headers: {
        'content-type': 'application/json',
        authorization: `Splunk ${secrets.token ?? ''}`,
      },
      body: JSON.stringify({
        time: record.time.getTime() / 1000,
        sourcetype: 'paddock',
        ...(str(s.index) ? { index: str(s.index) } : {}),
        event: { log: record.message, cluster: record.cluster, source: record.source },
      }),
      ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
      timeoutMs: io.timeoutMs,
    });
    if (answer.status !== 200) throw httpFailure('Splunk HEC', answer.status, answer.text);
    return `Splunk HEC accepted the event: ${answer.text.slice(0, 80)}`;
  },
};
