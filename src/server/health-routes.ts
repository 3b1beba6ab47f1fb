import type { HttpRoute } from './http-route.js';
import { sendJson } from './send-json.js';
import type { ServerLifecycle } from './server-lifecycle.js';

/** A named dependency that must answer for the process to take traffic. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HealthRoutesOptions {
  /** From the first moment of a shutdown `/readyz` answers 503 without running the checks. */
  readonly lifecycle?: ServerLifecycle;
}

const readinessTimeoutMs = 2000;

/**
 * `/healthz` (the process runs) and `/readyz` (every check answers and no shutdown has begun),
 * public for load balancers and probes. `/metrics` is separate and needs a right
 * (`metrics-route.ts`).
 */
export function healthRoutes(
  checks: readonly ReadinessCheck[],
  options: HealthRoutesOptions = {},
): HttpRoute[] {
  return [
    {
      name: 'healthz',
      path: '/healthz',
      methods: ['GET', 'HEAD'],
      handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      name: 'readyz',
      path: '/readyz',
      methods: ['GET', 'HEAD'],
      handle: async (_req, res, ctx) => {
        if (options.lifecycle?.shuttingDown) {
          sendJson(res, 503, { status: 'shutting down', checks: {} });
          return;
        }
        const results = await Promise.all(checks.map((c) => runCheck(c)));
        const failed = results.filter((r) => r.error !== undefined);
        for (const f of failed) ctx.log.warn({ check: f.name, error: f.error }, 'not ready');
        sendJson(res, failed.length === 0 ? 200 : 503, {
          status: failed.length === 0 ? 'ok' : 'unavailable',
          checks: Object.fromEntries(results.map((r) => [r.name, r.error ?? 'ok'])),
        });
      },
    },
  ];
}

async function runCheck(c: ReadinessCheck): Promise<{ name: string; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${readinessTimeoutMs} ms`)),
      readinessTimeoutMs,
    );
  });
  try {
    await Promise.race([c.check(), timeout]);
    return { name: c.name };
  } catch (err) {
    return { name: c.name, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
