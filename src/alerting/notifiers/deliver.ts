/**
 * Sends one notification to one notifier, retrying what may pass later (network errors, 429,
 * 5xx) with exponential backoff, and reports the outcome as the notifier's delivery record.
 */
import type { NotifierDelivery } from '../../domain/alerting.js';
import { isPaddockError } from '../../errors/index.js';
import {
  DeliveryError,
  type GroupNotification,
  type NotifierSender,
  type SenderTarget,
} from './notification.js';

export interface RetryOptions {
  /** Attempts in all; default 4. */
  readonly attempts?: number;
  /** Pause before the second attempt, doubled each time; default 1 s. */
  readonly backoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

export async function deliver(
  sender: NotifierSender,
  notification: GroupNotification,
  target: SenderTarget,
  options: RetryOptions = {},
): Promise<NotifierDelivery> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  let pause = options.backoffMs ?? 1_000;
  let message = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const answer = await sender.send(notification, target);
      return { at: now(), ok: true, attempts: attempt, message: answer, test: notification.test };
    } catch (err) {
      message = errorText(err, target);
      const retryable = err instanceof DeliveryError ? err.retryable : !isPaddockError(err);
      if (!retryable || attempt === attempts || options.signal?.aborted) {
        return { at: now(), ok: false, attempts: attempt, message, test: notification.test };
      }
      await sleep(pause);
      pause *= 2;
    }
  }
  return { at: now(), ok: false, attempts, message, test: notification.test };
}

/** The error's text with every secret value blotted out (a URL with a token, a key). */
function errorText(err: unknown, target: SenderTarget): string {
  let text = err instanceof Error ? err.message : String(err);
  for (const secret of Object.values(target.secrets)) {
    if (secret.length >= 4) text = text.split(secret).join('***');
  }
  return text.slice(0, 500);
}
