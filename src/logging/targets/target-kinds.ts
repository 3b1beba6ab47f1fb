/** Every logging target kind by name. */
import type { LoggingTargetKind } from '../../domain/logging.js';
import { UnreachableCaseError } from '../../errors/index.js';
import { elasticsearchTarget } from './elasticsearch.js';
import { fluentdTarget } from './fluentd.js';
import { httpTarget } from './http-target.js';
import { kafkaTarget } from './kafka.js';
import { splunkTarget } from './splunk.js';
import { syslogTarget } from './syslog.js';
import type { TargetKind } from './target-kind.js';

export const LOGGING_TARGET_KINDS: readonly LoggingTargetKind[] = [
  'elasticsearch',
  'splunk',
  'kafka',
  'syslog',
  'fluentd',
  'http',
];

export function targetKind(kind: LoggingTargetKind): TargetKind {
  switch (kind) {
    case 'elasticsearch':
      return elasticsearchTarget;
    case 'splunk':
      return splunkTarget;
    case 'kafka':
      return kafkaTarget;
    case 'syslog':
      return syslogTarget;
    case 'fluentd':
      return fluentdTarget;
    case 'http':
      return httpTarget;
    default:
      throw new UnreachableCaseError(kind);
  }
}
