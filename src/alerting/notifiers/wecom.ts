/**
 * WeCom (企业微信) group robot: `POST /cgi-bin/webhook/send?key=…` with a markdown message;
 * answered 200 with `errcode` 0 on success. The robot key is the credential.
 */
import { parseRobotAnswer } from './dingtalk.js';
import {
  DeliveryError,
  failedAnswer,
  linesOf,
  type NotifierSender,
  titleOf,
} from './notification.js';
import { sendOutbound } from './outbound-http.js';

export const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';

export const wecomSender: NotifierSender = {
  kind: 'wecom',
  settings: { url: { type: 'string' }, mentionedMobiles: { type: 'strings' } },
  secrets: { key: { required: true } },
  async send(n, { settings, secrets }) {
    const url = new URL(
      typeof settings.url === 'string' && settings.url ? settings.url : WECOM_URL,
    );
    url.searchParams.set('key', secrets.key ?? '');
    const color = n.status === 'firing' ? 'warning' : 'info';
    const body = {
      msgtype: 'markdown',
      markdown: {
        content: [
          `<font color="${color}">${titleOf(n)}</font>`,
          ...linesOf(n).map((l) => `> ${l}`),
        ].join('\n'),
      },
    };
    const answer = await sendOutbound({
      url: url.toString(),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 200) throw failedAnswer('WeCom', answer.status, answer.text);
    const result = parseRobotAnswer(answer.text);
    if (result.errcode !== 0) {
      // 45009: API frequency limit; retrying later can pass.
      throw new DeliveryError(
        `WeCom refused the message: ${result.errcode} ${result.errmsg}`,
        result.errcode === 45009,
      );
    }
    return 'WeCom answered errcode 0';
  },
};
