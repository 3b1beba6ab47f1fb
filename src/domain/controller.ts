/**
 * A background reconciler run by the `ControllerHost`: started when this replica holds the
 * controller's lease, stopped when it loses it or Paddock shuts down.
 */
export interface Controller {
  /** Unique, `[a-z][a-z0-9-]*`: the lease's name in the store. */
  readonly name: string;
  /**
   * Begins the controller's work. `signal` aborts when the lease is lost or the host stops;
   * long calls should pass it on so they end promptly.
   */
  start(signal: AbortSignal): void | Promise<void>;
  /** Ends the work and releases what `start` took; called once per successful `start`. */
  stop(): void | Promise<void>;
}
