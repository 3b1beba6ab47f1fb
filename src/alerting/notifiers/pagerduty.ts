/**
 * PagerDuty Events API v2: one `trigger` or `resolve` event per alert to `/v2/enqueue`, with
 * the alert's fingerprint as `dedup_key` so PagerDuty opens one incident per alert and closes
 * it on resolve. The integration's routing key is the credential.
 */
import type { AlertSeverity } from '../../domain/alerting.js';
import { failedAnswer, type NotifierSender } from './notification.js';
import { sendOutbound } from './outbound-http.js';

export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

const SEVERITY: Record<AlertSeverity, 'critical' | 'warning' | 'info'> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
};

export const pagerdutySender: NotifierSender = {
  kind: 'pagerduty',
  settings: { url: { type: 'string' } },
  secrets: { routingKey: { required: true } },
  async send(n, { settings, secrets }) {
    const url = typeof settings.url === 'string' && settings.url ? settings.url : PAGERDUTY_URL;
    let sent = 0;
    for (const alert of n.alerts) {
      const body = {
        routing_key: secrets.routingKey ?? '',
        event_action: alert.status === 'firing' ? 'trigger' : 'resolve',
        dedup_key: n.test ? `paddock-test-${alert.fingerprint}` : alert.fingerprint,
        ...(alert.status === 'firing'
          ? {
              payload: {
                summary:
                  `${n.test ? '[TEST] ' : ''}${alert.annotations.summary ?? n.ruleName}`.slice(
                    0,
                    1024,
                  ),
                source: n.clusterId,
                severity: SEVERITY[n.severity],
                timestamp: alert.startsAt,
                component: alert.labels.node ?? alert.labels.pod ?? alert.labels.workload,
                group: n.clusterId,
                class: alert.labels.alertname,
                custom_details: alert.labels,
              },
              client: 'Paddock',
              ...(n.externalUrl ? { client_url: n.externalUrl } : {}),
            }
          : {}),
      };
      const answer = await sendOutbound({
        url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status !== 202) throw failedAnswer('PagerDuty', answer.status, answer.text);
      sent++;
    }
    return `PagerDuty accepted ${sent} event(s)`;
  },
};
