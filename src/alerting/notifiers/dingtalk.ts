/**
 * DingTalk (钉钉) custom robot: `POST /robot/send?access_token=…` with a markdown message. With
 * "加签" (sign) enabled the URL also carries `timestamp` (ms) and `sign` =
 * base64(HMAC-SHA256(secret, "<timestamp>\n<secret>")). DingTalk answers 200 with
 * `errcode` 0 on success and a non-zero `errcode` otherwise.
 */
import { createHmac } from 'node:crypto';
import {
  DeliveryError,
  failedAnswer,
  linesOf,
  type NotifierSender,
  titleOf,
} from './notification.js';
import { sendOutbound } from './outbound-http.js';

export const DINGTALK_URL = 'https://oapi.dingtalk.com/robot/send';

/** The `sign` query value for a timestamp, as DingTalk documents it. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function createDingtalkSender(now: () => number = Date.now): NotifierSender {
  return {
    kind: 'dingtalk',
    settings: { url: { type: 'string' }, atMobiles: { type: 'strings' } },
    secrets: { accessToken: { required: true }, signSecret: { required: false } },
    async send(n, { settings, secrets }) {
      const url = new URL(
        typeof settings.url === 'string' && settings.url ? settings.url : DINGTALK_URL,
      );
      url.searchParams.set('access_token', secrets.accessToken ?? '');
      if (secrets.signSecret) {
        const timestamp = now();
        url.searchParams.set('timestamp', String(timestamp));
        url.searchParams.set('sign', dingtalkSign(secrets.signSecret, timestamp));
      }
      const mobiles = Array.isArray(settings.atMobiles) ? (settings.atMobiles as string[]) : [];
      const body = {
        msgtype: 'markdown',
        markdown: {
          title: titleOf(n),
          text: [
            `### ${titleOf(n)}`,
            ...linesOf(n).map((l) => `- ${l}`),
            ...mobiles.map((m) => `@${m}`),
          ].join('\n'),
        },
        at: { atMobiles: mobiles, isAtAll: false },
      };
      const answer = await sendOutbound({
        url: url.toString(),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status !== 200) throw failedAnswer('DingTalk', answer.status, answer.text);
      const result = parseErr(answer.text);
      if (result.errcode !== 0) {
        // 130101: sending too fast (rate limit); the others are configuration errors.
        throw new DeliveryError(
          `DingTalk refused the message: ${result.errcode} ${result.errmsg}`,
          result.errcode === 130101,
        );
      }
      return 'DingTalk answered errcode 0';
    },
  };
}

function parseErr(text: string): { errcode: number; errmsg: string } {
  try {
    const parsed = JSON.parse(text) as { errcode?: number; errmsg?: string };
    return { errcode: parsed.errcode ?? -1, errmsg: parsed.errmsg ?? '' };
  } catch {
    return { errcode: -1, errmsg: text.slice(0, 100) };
  }
}

export { parseErr as parseRobotAnswer };
