/** Shared wiring for identity unit tests: a controllable clock, a memory store, a key ring. */
import { randomBytes } from 'node:crypto';
import type { PaddockError } from '../../../src/errors/index.js';
import type { IdentityRuntime } from '../../../src/identity/runtime.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import type { SessionPolicy } from '../../../src/identity/session-policy.js';
import { SessionService } from '../../../src/identity/session-service.js';
import { SessionTokenCodec } from '../../../src/identity/session-tokens.js';
import { SigningKeyRing } from '../../../src/identity/signing-key-ring.js';
import { MemoryStore } from '../../support/memory-store.js';

export class TestClock {
  ms = Date.UTC(2025, 0, 1);
  readonly now = () => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export function testRuntime(clock: TestClock): IdentityRuntime {
  return { now: clock.now, randomBytes: (n) => randomBytes(n) };
}

export const testBox = new AesGcmSecretBox(Buffer.alloc(32, 7));

export interface SessionFixture {
  readonly clock: TestClock;
  readonly store: MemoryStore;
  readonly ring: SigningKeyRing;
  readonly codec: SessionTokenCodec;
  readonly sessions: SessionService;
}

export async function sessionFixture(
  options: {
    idleTtlSeconds?: number;
    policy?: SessionPolicy;
    store?: MemoryStore;
    clock?: TestClock;
    audience?: string;
  } = {},
): Promise<SessionFixture> {
  const clock = options.clock ?? new TestClock();
  const store = options.store ?? new MemoryStore({ now: clock.now });
  const runtime = testRuntime(clock);
  const ring = new SigningKeyRing(store, testBox, { retainSeconds: 86_400, runtime });
  await ring.start();
  const codec = new SessionTokenCodec(ring, {
    issuer: 'https://paddock.test',
    audience: options.audience ?? 'paddock',
    ttlSeconds: options.policy === undefined ? 3600 : 86_400,
    clockToleranceSeconds: 30,
    runtime,
  });
  const sessions = new SessionService(store, codec, {
    runtime,
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.idleTtlSeconds === undefined ? {} : { idleTtlSeconds: options.idleTtlSeconds }),
  });
  return { clock, store, ring, codec, sessions };
}

export async function rejection(promise: Promise<unknown>): Promise<PaddockError> {
  try {
    await promise;
  } catch (err) {
    return err as PaddockError;
  }
  throw new Error('expected a rejection');
}

/** Lets queued change-feed deliveries run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
