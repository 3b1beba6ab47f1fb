/**
 * A network namespace standing in for a cluster behind NAT: a veth pair links it to the host,
 * the namespace can open connections to the host's end, and an nftables rule inside it
 * resets every connection the host tries to open into it (replies to the namespace's own
 * connections pass). Names and addresses are random per sandbox; `destroy()` kills what runs
 * inside and removes the namespace and the pair, and runs at process exit if a test forgot.
 * Needs root, iproute2 and nftables (`apt-get install -y iproute2 nftables`).
 */
import {
  type ChildProcess,
  execFile,
  type StdioOptions,
  spawn,
  spawnSync,
} from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const IP = '/usr/sbin/ip';
const NFT = '/usr/sbin/nft';

export interface NetnsSandbox {
  readonly name: string;
  /** The host's end of the pair: where the namespace reaches the host (and Paddock). */
  readonly hostAddress: string;
  /** The namespace's own address; nothing on the host can open a connection to it. */
  readonly namespaceAddress: string;
  /** Runs `command` inside the namespace (the environment and file system are the host's). */
  spawn(
    command: string,
    args: readonly string[],
    options?: { env?: Record<string, string>; stdio?: StdioOptions },
  ): ChildProcess;
  /** Runs `command` inside the namespace to completion. */
  exec(
    command: string,
    args: readonly string[],
    input?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  destroy(): Promise<void>;
}

/** What the machine lacks for a sandbox, as an error naming the fix; undefined when ready. */
export function sandboxUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespace tests must run as root (ip netns)';
  if (!existsSync(IP)) return `${IP} not found: install it with \`apt-get install -y iproute2\``;
  if (!existsSync(NFT)) return `${NFT} not found: install it with \`apt-get install -y nftables\``;
  return undefined;
}

const live = new Set<string>();
let exitHook = false;

export async function createNetnsSandbox(): Promise<NetnsSandbox> {
  const missing = sandboxUnavailable();
  if (missing !== undefined) throw new Error(missing);
  const id = randomBytes(3).toString('hex');
  const name = `paddock-agent-${id}`;
  const hostIf = `pdkh${id}`;
  const nsIf = `pdkn${id}`;
  const [hostAddress, namespaceAddress] = freeSubnet();
  live.add(name);
  if (!exitHook) {
    exitHook = true;
    // A crashed or interrupted run must not leave namespaces and links behind.
    process.once('exit', () => {
      for (const ns of live) removeNow(ns, `pdkh${ns.slice(-6)}`);
    });
  }
  const ip = (...args: string[]) => run(IP, args);
  const inNs = (...args: string[]) => run(IP, ['netns', 'exec', name, ...args]);
  try {
    await ip('netns', 'add', name);
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    await ip('link', 'set', nsIf, 'netns', name);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await inNs(IP, 'addr', 'add', `${namespaceAddress}/30`, 'dev', nsIf);
    await inNs(IP, 'link', 'set', nsIf, 'up');
    await inNs(IP, 'link', 'set', 'lo', 'up');
    // Like NAT: the namespace's own connections (and their replies) pass, nothing from the
    // host gets in. TCP is reset at once, so a refused dial fails fast instead of hanging.
    const rules = [
      'table inet paddock_sandbox {',
      '  chain input {',
      '    type filter hook input priority 0; policy accept;',
      `    iifname "${nsIf}" ct state established,related accept`,
      `    iifname "${nsIf}" meta l4proto tcp reject with tcp reset`,
      `    iifname "${nsIf}" drop`,
      '  }',
      '}',
    ].join('\n');
    await new Promise<void>((resolve, reject) => {
      const child = execFile(IP, ['netns', 'exec', name, NFT, '-f', '-'], (err) =>
        err ? reject(err) : resolve(),
      );
      child.stdin?.end(rules);
    });
  } catch (err) {
    removeNow(name, hostIf);
    live.delete(name);
    throw err;
  }

  return {
    name,
    hostAddress,
    namespaceAddress,
    spawn(command, args, options = {}) {
      return spawn(IP, ['netns', 'exec', name, command, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
        stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
      });
    },
    exec(command, args, input) {
      return new Promise((resolve) => {
        const child = execFile(
          IP,
          ['netns', 'exec', name, command, ...args],
          {
            timeout: 30_000,
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
            maxBuffer: 16 * 1024 * 1024,
          },
          (err, stdout, stderr) => {
            const code = err ? ((err as { code?: unknown }).code ?? 1) : 0;
            resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
          },
        );
        if (input !== undefined) child.stdin?.end(input);
      });
    },
    async destroy() {
      if (!live.has(name)) return;
      live.delete(name);
      removeNow(name, hostIf);
    },
  };
}

/** Kills whatever runs in the namespace, then deletes it and the host's end of the pair. */
function removeNow(name: string, hostIf: string): void {
  const pids = spawnSync(IP, ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? '';
  for (const pid of pids.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  spawnSync(IP, ['netns', 'del', name]);
  // Deleting the namespace deletes its end, and with it the pair; this is for a half-made one.
  spawnSync(IP, ['link', 'del', hostIf], { stdio: 'ignore' });
}

/** A /30 in 10.200.0.0/13 that no interface of this host uses yet: [host end, namespace end]. */
function freeSubnet(): [string, string] {
  const used = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((a) => a?.address),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const b = 200 + (randomBytes(1)[0]! % 8);
    const c = randomBytes(1)[0]!;
    const d = (randomBytes(1)[0]! % 64) * 4;
    const host = `10.${b}.${c}.${d + 1}`;
    const ns = `10.${b}.${c}.${d + 2}`;
    if (!used.has(host) && !used.has(ns)) return [host, ns];
  }
  throw new Error('no free /30 for a network namespace sandbox');
}
