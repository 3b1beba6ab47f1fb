/**
 * A Prometheus Alertmanager: Paddock posts its alerts to `/api/v2/alerts` as Prometheus does
 * (labels, annotations, startsAt, endsAt; resolved alerts carry their end time), and the
 * Alertmanager groups and routes them itself. Basic-auth password optional.
 */

import { failedAnswer, type NotifierSender } from './notification.js';
import { sendOutbound } from './outbound-http.js';

export const alertmanagerSender: NotifierSender = {
  kind: 'alertmanager',
  settings: {
    url: { type: 'string', required: true, pattern: /^https?:\/\// },
    username: { type: 'string' },
    caPem: { type: 'string' },
  },
  secrets: { password: { required: false } },
  async send(n, { settings, secrets }) {
    const base = String(settings.url).replace(/\/+$/, '');
    const now = new Date().toISOString();
    const body = n.alerts.map((a) => ({
      labels: { ...a.labels, ...(n.test ? { paddock_test: 'true' } : {}) },
      annotations: a.annotations,
      startsAt: a.startsAt,
      ...(a.status === 'resolved' ? { endsAt: a.endsAt || now } : {}),
      generatorURL: n.externalUrl || 'https://paddock.invalid/',
    }));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (typeof settings.username === 'string' && settings.username) {
      headers.authorization = `Basic ${Buffer.from(`${settings.username}:${secrets.password ?? ''}`).toString('base64')}`;
    }
    const answer = await sendOutbound({
      url: `${base}/api/v2/alerts`,
      headers,
      body: JSON.stringify(body),
      ...(typeof settings.caPem === 'string' && settings.caPem ? { caPem: settings.caPem } : {}),
    });
    if (answer.status !== 200) throw failedAnswer('Alertmanager', answer.status, answer.text);
    return `Alertmanager accepted ${body.length} alert(s)`;
  },
};
