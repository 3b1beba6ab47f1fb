import { expect } from 'chai';
import { collectorObjects } from '../../../src/logging/collector-manifest.js';
import { renderFluentBitConfig } from '../../../src/logging/fluent-bit-config.js';
import type { LoggingTargetRecord } from '../../../src/logging/logging-records.js';

/** Parses Fluent Bit's classic format into sections of key/value pairs (keys may repeat). */
function parse(conf: string): { name: string; entries: [string, string][] }[] {
  const sections: { name: string; entries: [string, string][] }[] = [];
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([A-Z]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1]!, entries: [] });
      continue;
    }
    expect(raw.startsWith('    '), `entry is indented: ${raw}`).to.equal(true);
    const at = line.search(/\s/);
    sections.at(-1)!.entries.push([line.slice(0, at), line.slice(at).trim()]);
  }
  return sections;
}
const get = (s: { entries: [string, string][] }, key: string) =>
  s.entries.find(([k]) => k === key)?.[1];
const all = (s: { entries: [string, string][] }, key: string) =>
  s.entries.filter(([k]) => k === key).map(([, v]) => v);

const target = (
  over: Partial<LoggingTargetRecord> & Pick<LoggingTargetRecord, 'kind' | 'settings'>,
): LoggingTargetRecord => ({
  id: `lt-${over.kind}`,
  name: over.kind,
  scope: { clusterId: 'one' },
  sealedSecrets: {},
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const outputs = (targets: LoggingTargetRecord[]) =>
  parse(renderFluentBitConfig('one', targets)['fluent-bit.conf']).filter(
    (s) => s.name === 'OUTPUT',
  );

describe('Fluent Bit configuration rendered from logging targets', () => {
  it('tails container logs with Kubernetes metadata and namespace labels', () => {
    const sections = parse(
      renderFluentBitConfig('one', [
        target({ kind: 'http', settings: { url: 'http://logs:8080/in' } }),
      ])['fluent-bit.conf'],
    );
    expect(sections[0]?.name).to.equal('SERVICE');
    const tail = sections.find((s) => get(s, 'Name') === 'tail')!;
    expect(get(tail, 'Path')).to.equal('/var/log/containers/*.log');
    expect(get(tail, 'Tag')).to.equal('kube.*');
    const k8s = sections.find((s) => get(s, 'Name') === 'kubernetes')!;
    expect(get(k8s, 'Namespace_Labels')).to.equal('On');
    expect(
      sections.find((s) => get(s, 'Name') === 'systemd'),
      'host logs for cluster targets',
    ).to.not.equal(undefined);
  });

  it('renders Elasticsearch with TLS, basic auth and the password as an environment reference', () => {
    const [out] = outputs([
      target({
        kind: 'elasticsearch',
        settings: {
          host: 'es.example.org',
          port: 9243,
          index: 'k8s',
          tls: true,
          username: 'fluent',
        },
        sealedSecrets: { password: 'sealed' },
      }),
    ]);
    expect(get(out!, 'Name')).to.equal('es');
    expect(get(out!, 'Match_Regex')).to.equal('^(kube|host)\\..*');
    expect([get(out!, 'Host'), get(out!, 'Port'), get(out!, 'Index')]).to.deep.equal([
      'es.example.org',
      '9243',
      'k8s',
    ]);
    expect([get(out!, 'tls'), get(out!, 'tls.verify'), get(out!, 'HTTP_User')]).to.deep.equal([
      'On',
      'On',
      'fluent',
    ]);
    expect(get(out!, 'HTTP_Passwd')).to.equal(`\${PADDOCK_LT_ELASTICSEARCH_PASSWORD}`);
    expect(get(out!, 'Suppress_Type_Name')).to.equal('On');
  });

  it('renders Splunk HEC with its token from the environment', () => {
    const [out] = outputs([
      target({
        kind: 'splunk',
        settings: { host: 'splunk', tls: true, index: 'main' },
        sealedSecrets: { token: 's' },
      }),
    ]);
    expect(get(out!, 'Name')).to.equal('splunk');
    expect([get(out!, 'Port'), get(out!, 'Splunk_Token'), get(out!, 'event_index')]).to.deep.equal([
      '8088',
      `\${PADDOCK_LT_SPLUNK_TOKEN}`,
      'main',
    ]);
  });

  it('renders Kafka brokers, topic and SASL over TLS through librdkafka properties', () => {
    const [out] = outputs([
      target({
        kind: 'kafka',
        settings: {
          brokers: ['k1:9093', 'k2:9093'],
          topic: 'logs',
          tls: true,
          saslMechanism: 'SCRAM-SHA-512',
          saslUsername: 'fb',
        },
        sealedSecrets: { saslPassword: 's' },
      }),
    ]);
    expect([
      get(out!, 'Name'),
      get(out!, 'Brokers'),
      get(out!, 'Topics'),
      get(out!, 'Format'),
    ]).to.deep.equal(['kafka', 'k1:9093,k2:9093', 'logs', 'json']);
    expect(get(out!, 'rdkafka.security.protocol')).to.equal('sasl_ssl');
    expect(get(out!, 'rdkafka.sasl.mechanism')).to.equal('SCRAM-SHA-512');
    expect(get(out!, 'rdkafka.sasl.password')).to.equal(`\${PADDOCK_LT_KAFKA_SASL_PASSWORD}`);
  });

  it('renders syslog over UDP, TCP and TLS in RFC 5424 or 3164', () => {
    const outs = outputs([
      target({ id: 'lt-a', kind: 'syslog', settings: { host: 'log1', mode: 'udp' } }),
      target({
        id: 'lt-b',
        kind: 'syslog',
        settings: { host: 'log2', port: 6514, mode: 'tls', format: 'rfc3164' },
      }),
    ]);
    expect(
      outs.map((o) => [
        get(o, 'Name'),
        get(o, 'Mode'),
        get(o, 'Port'),
        get(o, 'Syslog_Format'),
        get(o, 'tls'),
      ]),
    ).to.deep.equal([
      ['syslog', 'udp', '514', 'rfc5424', undefined],
      ['syslog', 'tls', '6514', 'rfc3164', 'On'],
    ]);
    expect(get(outs[0]!, 'Syslog_Message_Key')).to.equal('log');
  });

  it('renders Fluentd forward with a shared key and an HTTP endpoint with an Authorization header', () => {
    const outs = outputs([
      target({
        id: 'lt-f',
        kind: 'fluentd',
        settings: { host: 'fluentd', tls: true },
        sealedSecrets: { sharedKey: 's' },
      }),
      target({
        id: 'lt-h',
        kind: 'http',
        settings: { url: 'https://logs.example.org:8443/ingest?x=1' },
        sealedSecrets: { authorization: 's' },
      }),
    ]);
    const [fwd, http] = outs as [(typeof outs)[0], (typeof outs)[0]];
    expect([
      get(fwd, 'Name'),
      get(fwd, 'Port'),
      get(fwd, 'Shared_Key'),
      get(fwd, 'tls'),
    ]).to.deep.equal(['forward', '24224', `\${PADDOCK_LT_F_SHARED_KEY}`, 'On']);
    expect([
      get(http, 'Name'),
      get(http, 'Host'),
      get(http, 'Port'),
      get(http, 'URI'),
      get(http, 'tls'),
    ]).to.deep.equal(['http', 'logs.example.org', '8443', '/ingest?x=1', 'On']);
    expect(all(http, 'Header')).to.deep.equal([`Authorization \${PADDOCK_LT_H_AUTHORIZATION}`]);
  });

  it("routes a project's logs by the namespace's project label, and only those", () => {
    const sections = parse(
      renderFluentBitConfig('one', [
        target({
          id: 'lt-p',
          kind: 'http',
          scope: { clusterId: 'one', projectId: 'p-shop' },
          settings: { url: 'http://shop-logs/' },
        }),
      ])['fluent-bit.conf'],
    );
    const rewrite = sections.find((s) => get(s, 'Name') === 'rewrite_tag')!;
    expect(get(rewrite, 'Rule')).to.equal(
      "$kubernetes['namespace_labels']['paddock.io/project-id'] ^one_p-shop$ project.p-shop.$TAG true",
    );
    const out = sections.find((s) => s.name === 'OUTPUT')!;
    expect(get(out, 'Match')).to.equal('project.p-shop.*');
    expect(get(out, 'Match_Regex')).to.equal(undefined);
    expect(
      sections.find((s) => get(s, 'Name') === 'systemd'),
      'no host logs for a project',
    ).to.equal(undefined);
  });

  it('puts secrets in the Secret only and removes everything when no enabled target remains', () => {
    const t = target({
      kind: 'splunk',
      settings: { host: 'splunk' },
      sealedSecrets: { token: 'sealed' },
    });
    const objects = collectorObjects('one', [t], { openSecret: () => 'hec-token-value' });
    expect(objects.map((o) => o.kind)).to.deep.equal([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Secret',
      'DaemonSet',
    ]);
    const text = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    expect(text).to.not.include('hec-token-value');
    const secret = objects.find((o) => o.kind === 'Secret') as unknown as {
      data: Record<string, string>;
    };
    expect(Buffer.from(secret.data.PADDOCK_LT_SPLUNK_TOKEN!, 'base64').toString()).to.equal(
      'hec-token-value',
    );
    expect(
      collectorObjects('one', [{ ...t, enabled: false }], { openSecret: () => '' }),
    ).to.deep.equal([]);
  });
});
