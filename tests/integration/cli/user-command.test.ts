import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { type PaddockProcess, startPaddock } from '../../support/paddock-process.js';
import { RedisServer } from '../../support/redis-server.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

const mainJs = fileURLToPath(new URL('../../../src/main.js', import.meta.url));
const ADMIN_PASSWORD = 'test-bootstrap-password';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `paddock user ...` as an operator would type it, with optional standard input. */
function paddockUser(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mainJs, 'user', ...args], {
      env: { PATH: process.env.PATH ?? '', PADDOCK_LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(stdin ?? '');
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function login(paddock: PaddockProcess, username: string, password: string) {
  return fetchText(`${paddock.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    ca: paddock.caPem,
  });
}

async function works(paddock: PaddockProcess, token: string): Promise<boolean> {
  const res = await fetchText(`${paddock.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
    ca: paddock.caPem,
  });
  return res.status === 200 && JSON.parse(res.body).data?.me?.id !== undefined;
}

describe('paddock user on the embedded store beside a running server', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let paddock: PaddockProcess;
  let env: Record<string, string>;

  before(async () => {
    dir = await makeTempDir('user-cli');
    env = { PADDOCK_DATA_DIR: join(dir.path, 'data') };
    paddock = await startPaddock({ port: await freePort(), dataDir: env.PADDOCK_DATA_DIR! });
  });
  after(async () => {
    await paddock?.stop();
    await dir?.remove();
  });

  it('creates a user from a password on standard input who then logs in to the server', async () => {
    const run = await paddockUser(
      ['create', 'carol', '--password-stdin', '--display-name', 'Carol C'],
      env,
      'carol-long-password-1\n',
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.match(/created local user carol \(u-[a-z0-9]+\)/);
    const res = await login(paddock, 'carol', 'carol-long-password-1');
    expect(res.status, res.body).to.equal(200);
    expect(JSON.parse(res.body).mustChangePassword).to.equal(false);
  });

  it('generates a password, printed once on standard output, that must be changed', async () => {
    const run = await paddockUser(['create', 'dan', '--generate', '--must-change'], env);
    expect(run.code, run.stderr).to.equal(0);
    const password = run.stdout.trim();
    expect(password).to.match(/^[A-Za-z0-9_-]{24}$/);
    const res = await login(paddock, 'dan', password);
    expect(JSON.parse(res.body).mustChangePassword).to.equal(true);
  });

  it('refuses a taken username and bad usage with clear messages', async () => {
    const taken = await paddockUser(['create', 'carol'], env);
    expect(taken.code).to.equal(1);
    expect(taken.stderr).to.contain('taken');
    const both = await paddockUser(['create', 'x', '--generate', '--password-stdin'], env);
    expect(both.code).to.equal(2);
    const unknown = await paddockUser(['disable', 'nobody'], env);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.contain('no user named nobody');
  });

  it('disables a user (logins refused at once) and enables it again', async () => {
    const session = JSON.parse((await login(paddock, 'carol', 'carol-long-password-1')).body)
      .token as string;
    const disabled = await paddockUser(['disable', 'carol'], env);
    expect(disabled.code, disabled.stderr).to.equal(0);
    expect(disabled.stderr).to.contain('ended 2 session(s)');
    expect((await login(paddock, 'carol', 'carol-long-password-1')).status).to.equal(401);
    // Change events of the embedded store stay in the writing process: the server's
    // token cache (30 s at most) is what stands between the disable and the refusal.
    await waitFor(
      'the running server to refuse the session',
      async () => ((await works(paddock, session)) ? undefined : true),
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    const enabled = await paddockUser(['enable', 'carol'], env);
    expect(enabled.code, enabled.stderr).to.equal(0);
    expect((await login(paddock, 'carol', 'carol-long-password-1')).status).to.equal(200);
  });

  it('brings back a locked-out admin: enable, then reset-password with a new password', async () => {
    expect((await paddockUser(['disable', 'admin'], env)).code).to.equal(0);
    expect((await login(paddock, 'admin', ADMIN_PASSWORD)).status).to.equal(401);
    expect((await paddockUser(['enable', 'admin'], env)).code).to.equal(0);
    const reset = await paddockUser(['reset-password', 'admin', '--must-change'], env);
    expect(reset.code, reset.stderr).to.equal(0);
    expect((await login(paddock, 'admin', ADMIN_PASSWORD)).status).to.equal(401);
    const res = await login(paddock, 'admin', reset.stdout.trim());
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.body).mustChangePassword).to.equal(true);
  });
});

describe('paddock user on Redis while the server runs', function () {
  this.timeout(120_000);

  it("ends a disabled user's sessions on the running server at once", async () => {
    const redis = await RedisServer.start();
    const dir = await makeTempDir('user-cli-redis');
    let paddock: PaddockProcess | undefined;
    try {
      const env = { PADDOCK_REDIS_URL: redis.url, PADDOCK_DATA_DIR: join(dir.path, 'cli') };
      paddock = await startPaddock({
        port: await freePort(),
        dataDir: join(dir.path, 'server'),
        env: { PADDOCK_REDIS_URL: redis.url },
      });
      const made = await paddockUser(
        ['create', 'erin', '--password-stdin'],
        env,
        'erin-long-pw-123',
      );
      expect(made.code, made.stderr).to.equal(0);
      const res = await login(paddock, 'erin', 'erin-long-pw-123');
      expect(res.status, res.body).to.equal(200);
      const session = JSON.parse(res.body).token as string;
      expect(await works(paddock, session)).to.equal(true);

      const disabled = await paddockUser(['disable', 'erin'], env);
      expect(disabled.code, disabled.stderr).to.equal(0);
      const running = paddock;
      await waitFor(
        'the server to refuse the session',
        async () => ((await works(running, session)) ? undefined : true),
        { timeoutMs: 1_000, intervalMs: 20 },
      );
      expect((await paddockUser(['reset-password', 'erin'], env)).code).to.equal(0);
      expect((await paddockUser(['enable', 'erin'], env)).code).to.equal(0);
      expect(await works(paddock, session)).to.equal(false);
    } finally {
      await paddock?.stop();
      await redis.stop();
      await dir.remove();
    }
  });
});
