import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';

const INSTALL_HINT = 'redis-server is not installed: run `apt-get install -y redis-server`';

export interface RedisServerOptions {
  readonly extraArgs?: readonly string[];
  /** Run as a Sentinel watching the master on this port, under the name `mymaster`. */
  readonly sentinelOfPort?: number;
}

/**
 * A real redis-server on a random loopback port in a temp dir, with every write fsynced to the
 * append-only file (so a crash test can demand that acknowledged writes survive).
 */
export class RedisServer {
  private process: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly removeDir: () => Promise<void>,
    private readonly options: RedisServerOptions,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const dir = await makeTempDir('redis');
    const server = new RedisServer(await freePort(), dir.path, dir.remove, options);
    try {
      await server.launch();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Stops (SIGKILL when `crash`, else SIGTERM) and starts again on the same port and dir. */
  async restart(options: { crash?: boolean } = {}): Promise<void> {
    await this.kill(options.crash === true ? 'SIGKILL' : 'SIGTERM');
    await this.launch();
  }

  /** Kills the server without removing its data (use `restart` or `stop` afterwards). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    await this.removeDir();
  }

  private async launch(): Promise<void> {
    this.output = '';
    const sentinelOf = this.options.sentinelOfPort;
    let leading: string[] = [];
    if (sentinelOf !== undefined) {
      // Sentinel insists on a writable config file, where it records what it learns.
      const conf = join(this.dir, 'sentinel.conf');
      await writeFile(
        conf,
        `sentinel monitor mymaster 127.0.0.1 ${sentinelOf} 1\nsentinel down-after-milliseconds mymaster 2000\n`,
      );
      leading = [conf, '--sentinel'];
    }
    const child = spawn(
      'redis-server',
      [
        ...leading,
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--daemonize',
        'no',
        '--logfile',
        '',
        ...(sentinelOf === undefined
          ? ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']
          : []),
        ...(this.options.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => this.collect(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.collect(chunk));
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new Error(INSTALL_HINT) : error);
      });
      child.once('exit', (code, signal) => {
        reject(new Error(`redis-server exited early (${code ?? signal}):\n${this.output}`));
      });
    });
    spawnError.catch(() => undefined);
    await Promise.race([spawnError, this.waitForPing(10_000)]);
  }

  private collect(chunk: Buffer): void {
    // Keep the tail only: enough to explain a failed start.
    this.output = (this.output + chunk.toString()).slice(-4000);
  }

  private async waitForPing(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await pingOnce(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not answer PING within ${timeoutMs} ms:\n${this.output}`);
  }
}

/**
 * A three-master Redis Cluster on loopback (no replicas), built with `redis-cli --cluster
 * create` from the redis-tools package that redis-server depends on.
 */
export class RedisClusterFixture {
  private constructor(readonly nodes: readonly RedisServer[]) {}

  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  static async start(): Promise<RedisClusterFixture> {
    const nodes: RedisServer[] = [];
    const fixture = new RedisClusterFixture(nodes);
    try {
      for (let i = 0; i < 3; i += 1) {
        nodes.push(
          await RedisServer.start({
            extraArgs: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              'nodes.conf',
              '--cluster-node-timeout',
              '2000',
            ],
          }),
        );
      }
      await redisCli([
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      const deadline = Date.now() + 20_000;
      for (const node of nodes) {
        for (;;) {
          const info = await redisCli(['-p', String(node.port), 'cluster', 'info']);
          if (info.includes('cluster_state:ok')) break;
          if (Date.now() > deadline) throw new Error(`cluster never became ok:\n${info}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } catch (error) {
      await fixture.stop();
      throw error;
    }
    return fixture;
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.stop();
  }
}

function redisCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          missing
            ? new Error('redis-cli is not installed: run `apt-get install -y redis-server`')
            : new Error(`redis-cli ${args.join(' ')} failed: ${stderr || stdout}`),
        );
        return;
      }
      resolve(stdout);
    });
  });
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}
