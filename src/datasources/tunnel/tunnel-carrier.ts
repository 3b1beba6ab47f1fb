/**
 * What one agent tunnel's HTTP/2 session runs on (ADR 0022), for both ends. With
 * `paddock-tunnel.v2` that is the upgraded socket itself, which node:http2 then reads and
 * writes natively; with `paddock-tunnel.v1` (for intermediaries that hold WebSocket messages
 * whole) it is the WebSocket's binary messages as a stream.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { websocketDuplex } from './websocket-duplex.js';

export interface TunnelCarrier {
  /** The session's bytes. */
  readonly stream: Duplex;
  /** `listener` hears when the carrier is gone: closed by either side (no error), or failed. */
  onGone(listener: (err?: Error) => void): void;
  /** Cuts it now. */
  terminate(): void;
}

/** `paddock-tunnel.v2`: an upgraded socket past both endless-message frame headers. */
export function socketCarrier(socket: Duplex): TunnelCarrier {
  return {
    stream: socket,
    onGone(listener) {
      socket.once('close', () => listener());
      socket.on('error', (err) => listener(err));
    },
    terminate: () => socket.destroy(),
  };
}

/** `paddock-tunnel.v1`: one binary message per write. */
export function websocketCarrier(ws: WebSocket): TunnelCarrier {
  const stream = websocketDuplex(ws);
  stream.on('error', () => undefined); // reported through the WebSocket's own events
  return {
    stream,
    onGone(listener) {
      ws.once('close', () => listener());
      ws.on('error', (err) => listener(err));
    },
    terminate: () => ws.terminate(),
  };
}
