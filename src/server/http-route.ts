import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../domain/index.js';

/** What the server knows about a request before any entry point sees it. */
export interface RequestContext {
  readonly requestId: string;
  /** A logger whose every line carries the request id. */
  readonly log: Logger;
  /** The matched route's name, also the metrics label. */
  readonly route: string;
}

export type HttpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
) => void | Promise<void>;

export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ctx: RequestContext,
) => void | Promise<void>;

/** A route: an exact path, or a prefix that also matches everything below it. */
export interface HttpRoute {
  readonly name: string;
  readonly path: string;
  readonly prefix?: boolean;
  /** Allowed methods; others get 405. Omitted: any method. */
  readonly methods?: readonly string[];
  readonly handle: HttpHandler;
  /** WebSocket/SPDY upgrades on this route; without it upgrades are refused. */
  readonly upgrade?: UpgradeHandler;
}
