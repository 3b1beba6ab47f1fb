/**
 * Microsoft Teams incoming webhook (or a Workflows "post to a channel when a webhook request is
 * received" URL): a message carrying one Adaptive Card, which both accept.
 */

import { failedAnswer, linesOf, type NotifierSender, titleOf } from './notification.js';
import { sendOutbound } from './outbound-http.js';

export const teamsSender: NotifierSender = {
  kind: 'teams',
  settings: {},
  secrets: { url: { required: true } },
  async send(n, { secrets }) {
    const body = {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              {
                type: 'TextBlock',
                size: 'Medium',
                weight: 'Bolder',
                text: titleOf(n),
                color: n.status === 'firing' ? 'Attention' : 'Good',
                wrap: true,
              },
              ...linesOf(n).map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
            ],
          },
        },
      ],
    };
    const answer = await sendOutbound({
      url: secrets.url ?? '',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status < 200 || answer.status >= 300)
      throw failedAnswer('Teams', answer.status, answer.text);
    return `Teams answered ${answer.status}`;
  },
};
