/**
 * Renders Fluent Bit's configuration (classic format) from a cluster's logging targets:
 * container logs are tailed and enriched with Kubernetes metadata including namespace labels;
 * a project's records are re-tagged `project.<projectId>.*` by the namespace's
 * `paddock.io/project-id` label, so moving a namespace between projects needs no new config;
 * cluster targets receive every container and host (kubelet, container runtime) log.
 */
import { PROJECT_ID_KEY, projectLabelValue } from '../rbac/project-label.js';
import type { LoggingTargetRecord } from './logging-records.js';
import { secretEnvName } from './logging-records.js';
import { targetKind } from './targets/target-kinds.js';

export interface FluentBitFiles {
  readonly 'fluent-bit.conf': string;
  readonly 'parsers.conf': string;
}

type Entries = [string, string][];

function section(name: string, entries: Entries): string {
  const width = Math.max(...entries.map(([k]) => k.length)) + 1;
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)}${v}`)].join('\n');
}

/** Fluent Bit's own values may not carry newlines; user settings are checked anyway. */
function safe(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error('a Fluent Bit setting may not contain a line break');
  return value;
}

export function renderFluentBitConfig(
  clusterId: string,
  targets: readonly LoggingTargetRecord[],
): FluentBitFiles {
  const enabled = targets.filter((t) => t.enabled).sort((a, b) => a.id.localeCompare(b.id));
  const hasCluster = enabled.some((t) => t.scope.projectId === undefined);
  const projects = [...new Set(enabled.flatMap((t) => t.scope.projectId ?? []))].sort();
  const sections: string[] = [
    section('SERVICE', [
      ['Flush', '1'],
      ['Log_Level', 'info'],
      ['Daemon', 'off'],
      ['Parsers_File', 'parsers.conf'],
      ['HTTP_Server', 'On'],
      ['HTTP_Listen', '0.0.0.0'],
      ['HTTP_Port', '2020'],
      ['storage.path', '/var/lib/fluent-bit/paddock-storage'],
    ]),
    section('INPUT', [
      ['Name', 'tail'],
      ['Tag', 'kube.*'],
      ['Path', '/var/log/containers/*.log'],
      ['multiline.parser', 'docker, cri'],
      ['DB', '/var/lib/fluent-bit/paddock-containers.db'],
      ['Mem_Buf_Limit', '32MB'],
      ['Skip_Long_Lines', 'On'],
      ['Refresh_Interval', '10'],
    ]),
  ];
  if (hasCluster) {
    sections.push(
      section('INPUT', [
        ['Name', 'systemd'],
        ['Tag', 'host.*'],
        ['Systemd_Filter', '_SYSTEMD_UNIT=kubelet.service'],
        ['Systemd_Filter', '_SYSTEMD_UNIT=containerd.service'],
        ['Read_From_Tail', 'On'],
        ['DB', '/var/lib/fluent-bit/paddock-systemd.db'],
      ]),
    );
  }
  sections.push(
    section('FILTER', [
      ['Name', 'kubernetes'],
      ['Match', 'kube.*'],
      ['Kube_Tag_Prefix', 'kube.var.log.containers.'],
      ['Merge_Log', 'On'],
      ['Keep_Log', 'Off'],
      ['K8S-Logging.Parser', 'On'],
      ['K8S-Logging.Exclude', 'On'],
      ['Namespace_Labels', 'On'],
    ]),
    section('FILTER', [
      ['Name', 'record_modifier'],
      ['Match', '*'],
      ['Record', `paddock_cluster ${clusterId}`],
    ]),
  );
  for (const projectId of projects) {
    const label = projectLabelValue({ clusterId, projectId });
    sections.push(
      section('FILTER', [
        ['Name', 'rewrite_tag'],
        ['Match', 'kube.*'],
        [
          'Rule',
          `$kubernetes['namespace_labels']['${PROJECT_ID_KEY}'] ^${label.replace(/[.]/g, '\\.')}$ project.${projectId}.$TAG true`,
        ],
        ['Emitter_Name', `paddock_${projectId.replace(/-/g, '_')}`],
      ]),
    );
  }
  for (const t of enabled) {
    const kind = targetKind(t.kind);
    const secrets = new Set(Object.keys(t.sealedSecrets));
    const entries: Entries = [
      ['Name', OUTPUT_PLUGIN[t.kind]],
      ...(t.scope.projectId === undefined
        ? ([['Match_Regex', '^(kube|host)\\..*']] as Entries)
        : ([['Match', `project.${t.scope.projectId}.*`]] as Entries)),
      ['Alias', `paddock_${t.id.replace(/-/g, '_')}`],
      ['Retry_Limit', '10'],
      ...kind.output(t.settings, secrets, (field) => `\${${secretEnvName(t.id, field)}}`),
    ];
    sections.push(
      section(
        'OUTPUT',
        entries.map(([k, v]) => [k, safe(v)]),
      ),
    );
  }
  return {
    'fluent-bit.conf': `# Rendered by Paddock from the cluster's logging targets; edits are overwritten.\n${sections.join('\n\n')}\n`,
    'parsers.conf': `${section('PARSER', [
      ['Name', 'paddock-json'],
      ['Format', 'json'],
      ['Time_Key', 'time'],
      ['Time_Format', '%Y-%m-%dT%H:%M:%S.%L%z'],
    ])}\n`,
  };
}

const OUTPUT_PLUGIN: Record<LoggingTargetRecord['kind'], string> = {
  elasticsearch: 'es',
  splunk: 'splunk',
  kafka: 'kafka',
  syslog: 'syslog',
  fluentd: 'forward',
  http: 'http',
};
