/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`) as exact numbers of milli-units
 * in a bigint, enough to add and compare quotas without floating-point surprises.
 */
import { PaddockError } from '../errors/index.js';

const SUFFIX: Record<string, bigint> = {
  '': 1000n,
  m: 1n,
  k: 1000n * 1000n,
  M: 1000n * 1000n ** 2n,
  G: 1000n * 1000n ** 3n,
  T: 1000n * 1000n ** 4n,
  P: 1000n * 1000n ** 5n,
  E: 1000n * 1000n ** 6n,
  Ki: 1000n * 1024n,
  Mi: 1000n * 1024n ** 2n,
  Gi: 1000n * 1024n ** 3n,
  Ti: 1000n * 1024n ** 4n,
  Pi: 1000n * 1024n ** 5n,
  Ei: 1000n * 1024n ** 6n,
};
const QUANTITY = /^([+-]?)(\d+)(?:\.(\d+))?(?:(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;

/** The quantity in milli-units, rounded up (as the API server rounds). */
export function parseQuantity(text: string): bigint {
  const m = QUANTITY.exec(text.trim());
  if (!m) {
    throw new PaddockError('VALIDATION_FAILED', `invalid quantity ${JSON.stringify(text)}`, {
      reason: 'invalid_quantity',
    });
  }
  const [, sign, whole = '0', fraction = '', suffix = '', exponent] = m;
  const digits = BigInt(whole + fraction);
  let scale = 10n ** BigInt(fraction.length);
  let multiplier = SUFFIX[suffix] ?? 1000n;
  if (exponent !== undefined) {
    const e = Number(exponent);
    if (Math.abs(e) > 30) {
      throw new PaddockError('VALIDATION_FAILED', `quantity ${text} is out of range`, {
        reason: 'invalid_quantity',
      });
    }
    if (e >= 0) multiplier *= 10n ** BigInt(e);
    else scale *= 10n ** BigInt(-e);
  }
  const numerator = digits * multiplier;
  const value = (numerator + scale - 1n) / scale;
  return sign === '-' ? -value : value;
}

export function isQuantity(text: string): boolean {
  try {
    parseQuantity(text);
    return true;
  } catch {
    return false;
  }
}
