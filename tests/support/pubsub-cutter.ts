/**
 * A TCP relay in front of Redis that can cut one replica's pub/sub subscription while its
 * command connection goes on working: `cut()` drops every connection that has subscribed and
 * holds any new one (its bytes wait, unsent) until `restore()`, as a flaky network to one
 * connection would.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

interface Relay {
  readonly client: Socket;
  readonly upstream: Socket;
  subscriber: boolean;
  held: Buffer[] | undefined;
}

export class PubSubCutter {
  readonly #server: Server;
  readonly #relays = new Set<Relay>();
  #cut = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<PubSubCutter> {
    let cutter: PubSubCutter | undefined;
    const server = createServer((client) => cutter?.accept(client, target));
    cutter = new PubSubCutter(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return cutter;
  }

  get url(): string {
    const address = this.#server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return `redis://127.0.0.1:${port}`;
  }

  /** How many relayed connections have subscribed. */
  get subscribers(): number {
    return [...this.#relays].filter((r) => r.subscriber && r.held === undefined).length;
  }

  cut(): void {
    this.#cut = true;
    for (const relay of [...this.#relays]) {
      if (!relay.subscriber) continue;
      relay.client.destroy();
      relay.upstream.destroy();
    }
  }

  restore(): void {
    this.#cut = false;
    for (const relay of this.#relays) {
      const held = relay.held;
      relay.held = undefined;
      for (const chunk of held ?? []) relay.upstream.write(chunk);
    }
  }

  async stop(): Promise<void> {
    for (const relay of this.#relays) {
      relay.client.destroy();
      relay.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    const upstream = connect(target.port, target.host);
    const relay: Relay = { client, upstream, subscriber: false, held: this.#cut ? [] : undefined };
    this.#relays.add(relay);
    const drop = () => {
      this.#relays.delete(relay);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => {
      if (/\r\n(p|s)?subscribe\r\n/i.test(chunk.toString('latin1'))) relay.subscriber = true;
      if (relay.held !== undefined) relay.held.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  }
}
