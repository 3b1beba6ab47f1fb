// A tiny command interpreter standing in for a container's binaries: echo, env/printenv, cat,
// hostname, true/false, sleep, date, pwd, whoami, id, uname, ls, and sh/bash -c with ';', '&&',
// '||' and `exit N`; an interactive sh reading stdin line by line.

import type { KubeObject } from '../storage/types.js';
import { asArray, asObject, asString } from '../storage/types.js';

export interface ShellIO {
  out(text: string): void;
  err(text: string): void;
  /** next stdin chunk, or undefined at EOF */
  read(): Promise<string | undefined>;
  tty: boolean;
}

export class CommandNotFound extends Error {
  constructor(readonly command: string) {
    super(`exec: "${command}": executable file not found in $PATH`);
  }
}

export interface ShellContext {
  pod: KubeObject;
  container: string;
  now: () => Date;
}

export function containerEnv(ctx: ShellContext): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: ctx.pod.metadata.name ?? '',
  };
  const c = asArray(asObject(ctx.pod.spec).containers).find((x) => x.name === ctx.container);
  for (const e of asArray(c?.env)) env[asString(e.name)] = asString(e.value);
  env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
  env.KUBERNETES_SERVICE_PORT = '443';
  env.KUBERNETES_SERVICE_PORT_HTTPS = '443';
  env.KUBERNETES_PORT = 'tcp://10.96.0.1:443';
  env.HOME = '/root';
  return env;
}

function files(ctx: ShellContext): Record<string, string> {
  const name = ctx.pod.metadata.name ?? '';
  const ip = asString(asObject(ctx.pod.status).podIP, '10.244.0.2');
  return {
    '/etc/hostname': `${name}\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${ip}\t${name}\n`,
    '/etc/os-release':
      'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
    '/var/run/secrets/kubernetes.io/serviceaccount/namespace': ctx.pod.metadata.namespace ?? '',
  };
}

/** Splits a command line into words, honouring single/double quotes and backslashes. */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

class ExitSignal {
  constructor(readonly code: number) {}
}

/** Splits a script into commands joined by ';', '&&', '||' (outside quotes). */
function splitScript(script: string): { cmd: string; op: string }[] {
  const parts: { cmd: string; op: string }[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] ?? '';
    const two = script.slice(i, i + 2);
    if (quote) {
      if (ch === quote) quote = undefined;
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (two === '&&' || two === '||') {
      parts.push({ cmd: cur, op: two });
      cur = '';
      i++;
    } else if (ch === ';' || ch === '\n') {
      parts.push({ cmd: cur, op: ';' });
      cur = '';
    } else cur += ch;
  }
  parts.push({ cmd: cur, op: ';' });
  return parts.filter((p) => p.cmd.trim() !== '');
}

async function runScript(script: string, ctx: ShellContext, io: ShellIO): Promise<number> {
  let status = 0;
  let skip = false;
  for (const { cmd, op } of splitScript(script)) {
    if (!skip) {
      const words = splitWords(cmd.trim()).map((w) => w.replace(/\$\?/g, String(status)));
      try {
        status = await runCommand(words, ctx, io, true);
      } catch (e) {
        if (e instanceof CommandNotFound) {
          io.err(`sh: ${e.command}: not found\n`);
          status = 127;
        } else throw e;
      }
    }
    skip = (op === '&&' && status !== 0) || (op === '||' && status === 0);
  }
  return status;
}

async function interactive(ctx: ShellContext, io: ShellIO): Promise<number> {
  const nl = io.tty ? '\r\n' : '\n';
  const prompt = () => io.tty && io.out('/ # ');
  prompt();
  let buffer = '';
  let status = 0;
  for (;;) {
    const chunk = await io.read();
    if (chunk === undefined) return status;
    if (io.tty) io.out(chunk.replace(/\r/g, '\r\n'));
    buffer += chunk.replace(/\r/g, '\n');
    let idx = buffer.indexOf('\n');
    while (idx >= 0) {
      const line = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 1);
      const ttyIo: ShellIO = io.tty
        ? {
            ...io,
            out: (t) => io.out(t.replace(/\n/g, nl)),
            err: (t) => io.err(t.replace(/\n/g, nl)),
          }
        : io;
      try {
        status = await runScript(line, ctx, ttyIo);
      } catch (e) {
        if (e instanceof ExitSignal) return e.code;
        throw e;
      }
      prompt();
      idx = buffer.indexOf('\n');
    }
  }
}

/** Runs argv; returns the exit code or throws CommandNotFound. */
export async function runCommand(
  argv: string[],
  ctx: ShellContext,
  io: ShellIO,
  inShell = false,
): Promise<number> {
  const [cmd = '', ...args] = argv;
  const base = cmd.split('/').pop() ?? cmd;
  switch (base) {
    case 'echo': {
      const noNewline = args[0] === '-n';
      io.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
      return 0;
    }
    case 'env':
    case 'printenv': {
      const env = containerEnv(ctx);
      if (args.length > 0) {
        const v = env[args[0] ?? ''];
        if (v === undefined) return 1;
        io.out(`${v}\n`);
        return 0;
      }
      io.out(
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      return 0;
    }
    case 'hostname':
      io.out(`${ctx.pod.metadata.name ?? ''}\n`);
      return 0;
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'pwd':
      io.out('/\n');
      return 0;
    case 'whoami':
      io.out('root\n');
      return 0;
    case 'id':
      io.out('uid=0(root) gid=0(root) groups=0(root)\n');
      return 0;
    case 'date':
      io.out(`${ctx.now().toUTCString()}\n`);
      return 0;
    case 'uname':
      io.out(
        args.includes('-a')
          ? `Linux ${ctx.pod.metadata.name ?? ''} 6.1.0-25-amd64 #1 SMP x86_64 Linux\n`
          : 'Linux\n',
      );
      return 0;
    case 'ls':
      io.out('bin\ndev\netc\nhome\nproc\nroot\nsys\ntmp\nusr\nvar\n');
      return 0;
    case 'sleep':
      await new Promise((r) => setTimeout(r, Math.min(Number(args[0] ?? 0) * 1000, 600_000)));
      return 0;
    case 'exit':
      if (inShell) throw new ExitSignal(Number(args[0] ?? 0) & 0xff);
      throw new CommandNotFound(cmd);
    case 'cat': {
      if (args.length === 0 || args[0] === '-') {
        for (;;) {
          const chunk = await io.read();
          if (chunk === undefined) return 0;
          io.out(chunk);
        }
      }
      const fs = files(ctx);
      let status = 0;
      for (const f of args) {
        const content = fs[f];
        if (content === undefined) {
          io.err(`cat: can't open '${f}': No such file or directory\n`);
          status = 1;
        } else io.out(content);
      }
      return status;
    }
    case 'sh':
    case 'bash':
    case 'ash': {
      if (args[0] === '-c') {
        try {
          return await runScript(args[1] ?? '', ctx, io);
        } catch (e) {
          if (e instanceof ExitSignal) return e.code;
          throw e;
        }
      }
      return interactive(ctx, io);
    }
    default:
      throw new CommandNotFound(cmd);
  }
}
