/** What a notifier sends: one group of alerts, in Alertmanager's terms. */
import type { AlertSeverity, NotifierKind } from '../../domain/alerting.js';
import type { FieldSpec } from '../../domain/field-specs.js';

export interface NotifiedAlert {
  readonly status: 'firing' | 'resolved';
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** RFC 3339. */
  readonly startsAt: string;
  /** RFC 3339; the zero time `0001-01-01T00:00:00Z` while firing, as Alertmanager sends. */
  readonly endsAt: string;
}

export interface GroupNotification {
  readonly groupKey: string;
  /** `firing` while any alert of the group fires. */
  readonly status: 'firing' | 'resolved';
  /** The notifier's name (Alertmanager's receiver). */
  readonly receiver: string;
  readonly ruleName: string;
  readonly clusterId: string;
  readonly severity: AlertSeverity;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly alerts: readonly NotifiedAlert[];
  /** Paddock's public URL (or '' when unknown). */
  readonly externalUrl: string;
  /** A "send test notification" message. */
  readonly test: boolean;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface SenderTarget {
  readonly settings: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
}

/** A delivery that failed; `retryable` is false when repeating cannot help (400, 401, 403). */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'DeliveryError';
    this.retryable = retryable;
  }
}

/** One notifier kind: its settings, which fields are secret, and how it sends. */
export interface NotifierSender {
  readonly kind: NotifierKind;
  /** Fields of `settings` with their types; unknown fields are refused. */
  readonly settings: Readonly<Record<string, FieldSpec>>;
  readonly secrets: Readonly<Record<string, { readonly required: boolean }>>;
  /** Sends; resolves with a short description of the receiver's answer. */
  send(notification: GroupNotification, target: SenderTarget): Promise<string>;
}

/** A one-line text of a group, for chat robots and mail subjects. */
export function titleOf(n: GroupNotification): string {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const prefix = n.test ? '[TEST] ' : '';
  return n.status === 'firing'
    ? `${prefix}[FIRING:${firing}] ${n.ruleName} (${n.clusterId}, ${n.severity})`
    : `${prefix}[RESOLVED] ${n.ruleName} (${n.clusterId})`;
}

/** One line per alert: its state and summary. */
export function linesOf(n: GroupNotification): string[] {
  return n.alerts.map(
    (a) => `${a.status === 'firing' ? 'FIRING' : 'RESOLVED'}: ${a.annotations.summary ?? ''}`,
  );
}

/** Answers other than 2xx: 408, 429 and 5xx may pass on a retry. */
export function failedAnswer(what: string, status: number, text: string): DeliveryError {
  const retryable = status === 408 || status === 429 || status >= 500 || status === 0;
  return new DeliveryError(`${what} answered ${status}: ${text.slice(0, 200)}`, retryable);
}
