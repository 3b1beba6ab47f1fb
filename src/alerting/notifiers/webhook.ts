/**
 * Generic webhook: POSTs the Alertmanager webhook payload (version 4) as JSON, the format most
 * receivers already understand. The URL is secret, as it often carries a token.
 */

import { failedAnswer, type GroupNotification, type NotifierSender } from './notification.js';
import { sendOutbound } from './outbound-http.js';

/** Alertmanager's webhook body for a group. */
export function alertmanagerWebhookPayload(n: GroupNotification) {
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver: n.receiver,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalURL: n.externalUrl,
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: n.externalUrl,
      fingerprint: a.fingerprint,
    })),
  };
}

export const webhookSender: NotifierSender = {
  kind: 'webhook',
  settings: { caPem: { type: 'string' } },
  secrets: { url: { required: true } },
  async send(n, { settings, secrets }) {
    const answer = await sendOutbound({
      url: secrets.url ?? '',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhookPayload(n)),
      ...(typeof settings.caPem === 'string' && settings.caPem ? { caPem: settings.caPem } : {}),
    });
    if (answer.status < 200 || answer.status >= 300)
      throw failedAnswer('the webhook', answer.status, answer.text);
    return `webhook answered ${answer.status}`;
  },
};
