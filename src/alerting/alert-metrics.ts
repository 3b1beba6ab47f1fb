/** `paddock_alerts{cluster,rule,severity,state}`: how many alerts are in each state now. */
import { Gauge, type Registry } from 'prom-client';
import type { Alert } from '../domain/alerting.js';

export interface AlertMetrics {
  set(alerts: Iterable<Alert>): void;
}

export function createAlertMetrics(registry: Registry): AlertMetrics {
  const gauge =
    (registry.getSingleMetric('paddock_alerts') as
      | Gauge<'cluster' | 'rule' | 'severity' | 'state'>
      | undefined) ??
    new Gauge({
      name: 'paddock_alerts',
      help: 'Alerts by cluster, rule, severity and state (pending, firing, resolved)',
      labelNames: ['cluster', 'rule', 'severity', 'state'] as const,
      registers: [registry],
    });
  return {
    set(alerts) {
      const counts = new Map<string, { labels: Record<string, string>; n: number }>();
      for (const a of alerts) {
        const labels = {
          cluster: a.clusterId,
          rule: a.ruleId,
          severity: a.severity,
          state: a.state,
        };
        const key = JSON.stringify(labels);
        const entry = counts.get(key) ?? { labels, n: 0 };
        entry.n++;
        counts.set(key, entry);
      }
      gauge.reset();
      for (const { labels, n } of counts.values()) gauge.set(labels, n);
    },
  };
}
