/** Every notifier kind by name: the dispatcher picks the sender of a notifier's kind. */
import type { NotifierKind } from '../../domain/alerting.js';
import { UnreachableCaseError } from '../../errors/index.js';
import { alertmanagerSender } from './alertmanager.js';
import { createDingtalkSender } from './dingtalk.js';
import { emailSender } from './email.js';
import type { NotifierSender } from './notification.js';
import { pagerdutySender } from './pagerduty.js';
import { slackSender } from './slack.js';
import { teamsSender } from './teams.js';
import { webhookSender } from './webhook.js';
import { wecomSender } from './wecom.js';

export const NOTIFIER_KINDS: readonly NotifierKind[] = [
  'webhook',
  'slack',
  'email',
  'pagerduty',
  'teams',
  'dingtalk',
  'wecom',
  'alertmanager',
];

const dingtalk = createDingtalkSender();

export function senderFor(kind: NotifierKind): NotifierSender {
  switch (kind) {
    case 'webhook':
      return webhookSender;
    case 'slack':
      return slackSender;
    case 'email':
      return emailSender;
    case 'pagerduty':
      return pagerdutySender;
    case 'teams':
      return teamsSender;
    case 'dingtalk':
      return dingtalk;
    case 'wecom':
      return wecomSender;
    case 'alertmanager':
      return alertmanagerSender;
    default:
      throw new UnreachableCaseError(kind);
  }
}
