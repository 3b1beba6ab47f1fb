/**
 * Runs background controllers (RBAC push-down, capacity, apps, alerts, logging, fleet index) so
 * that each runs on exactly one replica at a time: a replica starts a controller only while it
 * holds the controller's lease in the store, renews it every `renewEveryMs`, and stops the
 * controller as soon as a renewal fails. A replica that dies stops renewing; its leases expire
 * after `leaseSeconds` and another replica takes over at its next attempt.
 */
import type { Logger } from '../domain/logger.js';
import type { Controller } from './controller.js';
import type { StoreLeases } from './lease.js';

export interface ControllerHostOptions {
  readonly leases: StoreLeases;
  readonly logger: Logger;
  /** How often a held lease is renewed and a free one is tried; default 2 s. */
  readonly renewEveryMs?: number;
}

export interface ControllerStatus {
  readonly name: string;
  /** This replica runs the controller now. */
  readonly running: boolean;
}

interface Entry {
  readonly controller: Controller;
  running: boolean;
  abort?: AbortController;
  /** Serialises start/stop of one controller. */
  busy: Promise<void>;
}

export class ControllerHost {
  readonly #leases: StoreLeases;
  readonly #log: Logger;
  readonly #renewEveryMs: number;
  readonly #entries = new Map<string, Entry>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;

  constructor(options: ControllerHostOptions) {
    this.#leases = options.leases;
    this.#log = options.logger.child({ component: 'controller-host' });
    this.#renewEveryMs = options.renewEveryMs ?? 2_000;
  }

  /** Adds a controller; it starts at the next tick if its lease is free. */
  add(controller: Controller): void {
    if (!/^[a-z][a-z0-9-]*$/.test(controller.name)) {
      throw new Error(`controller name ${controller.name} must match [a-z][a-z0-9-]*`);
    }
    if (this.#entries.has(controller.name)) {
      throw new Error(`controller ${controller.name} is already registered`);
    }
    this.#entries.set(controller.name, { controller, running: false, busy: Promise.resolve() });
    if (this.#timer !== undefined) void this.tick();
  }

  status(): ControllerStatus[] {
    return [...this.#entries.values()].map((e) => ({
      name: e.controller.name,
      running: e.running,
    }));
  }

  /** Takes the free leases at once, then keeps trying and renewing in the background. */
  async start(): Promise<void> {
    if (this.#timer !== undefined || this.#stopped) return;
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.tick().finally(() => {
          if (!this.#stopped) loop();
        });
      }, this.#renewEveryMs);
      this.#timer.unref();
    };
    loop();
    await this.tick();
  }

  /** One round: renew or acquire every lease and start or stop controllers to match. */
  async tick(): Promise<void> {
    if (this.#ticking !== undefined) return this.#ticking;
    this.#ticking = (async () => {
      for (const entry of this.#entries.values()) {
        if (this.#stopped) return;
        let held: boolean;
        try {
          held = await this.#leases.acquire(entry.controller.name);
        } catch (err) {
          // The store is unreachable: nobody can prove they hold the lease, so stop.
          this.#log.warn({ err, controller: entry.controller.name }, 'lease check failed');
          held = false;
        }
        if (held && !entry.running) await this.#start(entry);
        else if (!held && entry.running) await this.#stop(entry, 'lease lost');
      }
    })().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  /** Stops every controller this replica runs and gives its leases back. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    for (const entry of this.#entries.values()) {
      if (entry.running) await this.#stop(entry, 'shutting down');
      await this.#leases.release(entry.controller.name).catch((err: unknown) => {
        this.#log.warn({ err, controller: entry.controller.name }, 'lease release failed');
      });
    }
  }

  #start(entry: Entry): Promise<void> {
    entry.busy = entry.busy.then(async () => {
      if (entry.running || this.#stopped) return;
      const abort = new AbortController();
      entry.abort = abort;
      entry.running = true;
      try {
        await entry.controller.start(abort.signal);
        this.#log.info({ controller: entry.controller.name }, 'controller started');
      } catch (err) {
        entry.running = false;
        abort.abort();
        this.#log.error({ err, controller: entry.controller.name }, 'controller failed to start');
        await this.#leases.release(entry.controller.name).catch(() => undefined);
      }
    });
    return entry.busy;
  }

  #stop(entry: Entry, reason: string): Promise<void> {
    entry.busy = entry.busy.then(async () => {
      if (!entry.running) return;
      entry.running = false;
      entry.abort?.abort();
      try {
        await entry.controller.stop();
      } catch (err) {
        this.#log.error({ err, controller: entry.controller.name }, 'controller failed to stop');
      }
      this.#log.info({ controller: entry.controller.name, reason }, 'controller stopped');
    });
    return entry.busy;
  }
}
