/**
 * Refreshes every catalog in the background, on one replica at a time (registered on the
 * controller host): each catalog whose last attempt is older than `intervalMs`, one after the
 * other, so a slow repository delays only the ones after it in this round.
 */
import type { Logger } from '../../domain/logger.js';
import type { CatalogRefreshDeps } from './catalog-refresh.js';
import { refreshCatalog } from './catalog-refresh.js';

export class CatalogRefresher {
  readonly name = 'catalog-refresh';
  readonly #deps: () => CatalogRefreshDeps;
  readonly #intervalMs: number;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = true;

  constructor(options: { deps: () => CatalogRefreshDeps; intervalMs: number; logger: Logger }) {
    this.#deps = options.deps;
    this.#intervalMs = options.intervalMs;
    this.#log = options.logger.child({ component: 'catalog-refresh' });
  }

  start(signal: AbortSignal): void {
    this.#stopped = false;
    signal.addEventListener('abort', () => {
      this.#stopped = true;
    });
    const tick = () => {
      // Check often; each catalog is refreshed when its own interval is up.
      this.#timer = setTimeout(
        () => {
          this.#round = this.round().finally(() => {
            if (!this.#stopped) tick();
          });
        },
        Math.min(this.#intervalMs, 30_000),
      );
      this.#timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
  }

  /** Refreshes the catalogs that are due. */
  async round(): Promise<void> {
    const deps = this.#deps();
    try {
      const now = deps.now();
      for (const r of await deps.catalogs.list()) {
        if (this.#stopped) return;
        const last = r.value.refresh.lastAttemptAt ?? 0;
        if (now - last < this.#intervalMs) continue;
        await refreshCatalog(deps, r.id);
      }
    } catch (err) {
      this.#log.warn({ err }, 'a catalog refresh round failed');
    }
  }
}
