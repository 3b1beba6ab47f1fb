/**
 * Slack incoming webhook: `{ channel?, username?, text, attachments }`, answered `ok`. The
 * webhook URL is the credential.
 */

import { failedAnswer, linesOf, type NotifierSender, titleOf } from './notification.js';
import { sendOutbound } from './outbound-http.js';

const COLOR = { firing: '#d63232', resolved: '#2eb886' } as const;

export const slackSender: NotifierSender = {
  kind: 'slack',
  settings: { channel: { type: 'string' }, username: { type: 'string' } },
  secrets: { url: { required: true } },
  async send(n, { settings, secrets }) {
    const body = {
      ...(settings.channel ? { channel: settings.channel } : {}),
      ...(settings.username ? { username: settings.username } : {}),
      text: titleOf(n),
      attachments: [{ color: COLOR[n.status], title: titleOf(n), text: linesOf(n).join('\n') }],
    };
    const answer = await sendOutbound({
      url: secrets.url ?? '',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 200) throw failedAnswer('Slack', answer.status, answer.text);
    return `Slack answered ${answer.text.slice(0, 40)}`;
  },
};
