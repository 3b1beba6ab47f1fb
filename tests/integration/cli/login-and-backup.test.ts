import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { type PaddockProcess, runPaddock, startPaddock } from '../../support/paddock-process.js';
import { RedisServer } from '../../support/redis-server.js';
import { makeTempDir } from '../../support/temp-dir.js';

const password = 'test-bootstrap-password';

async function login(paddock: PaddockProcess, body: unknown) {
  return fetchText(`${paddock.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ca: paddock.caPem,
  });
}

describe('POST /v1/auth/login on a running Paddock', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let paddock: PaddockProcess;

  before(async () => {
    dir = await makeTempDir('login');
    paddock = await startPaddock({ port: await freePort(), dataDir: dir.path });
  });

  after(async () => {
    await paddock?.stop();
    await dir?.remove();
  });

  it('logs the bootstrap admin in with a token and a secure HttpOnly cookie', async () => {
    const res = await login(paddock, { provider: 'local', username: 'admin', password });
    expect(res.status, res.body).to.equal(200);
    const body = JSON.parse(res.body);
    expect(body.userId).to.match(/^u-/);
    expect(body.token).to.be.a('string');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie)
      .to.contain('paddock_session=')
      .and.to.contain('HttpOnly')
      .and.to.contain('Secure');
    expect(cookie).to.contain('SameSite=Lax');
  });

  it('answers a wrong password and an unknown user alike with 401', async () => {
    const wrong = await login(paddock, {
      provider: 'local',
      username: 'admin',
      password: 'nope-nope-nope',
    });
    const unknown = await login(paddock, {
      provider: 'local',
      username: 'nobody',
      password: 'nope-nope-nope',
    });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(JSON.parse(wrong.body).error.message).to.equal(JSON.parse(unknown.body).error.message);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetchText(`${paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=admin',
      ca: paddock.caPem,
    });
    expect(res.status).to.equal(400);
  });

  it('names the missing field', async () => {
    const res = await login(paddock, { provider: 'local', password });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.body).error.message).to.contain('username');
  });

  it('ends the session on logout and clears the cookie', async () => {
    const { token } = JSON.parse((await login(paddock, { username: 'admin', password })).body);
    const out = await fetchText(`${paddock.url}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      ca: paddock.caPem,
    });
    expect(out.status).to.equal(204);
    expect(String(out.headers['set-cookie'])).to.contain('Max-Age=0');
  });
});

describe('paddock with PADDOCK_REDIS_URL', () => {
  it('uses Redis instead of the embedded store, and a backup of it restores into the embedded store', async () => {
    const redis = await RedisServer.start();
    const dirA = await makeTempDir('redis-a');
    const dirB = await makeTempDir('embedded-b');
    try {
      const env = { PADDOCK_REDIS_URL: redis.url };
      const onRedis = await startPaddock({ port: await freePort(), dataDir: dirA.path, env });
      expect(onRedis.output()).to.contain('store: redis');
      const res = await login(onRedis, { username: 'admin', password });
      expect(res.status, res.body).to.equal(200);
      await onRedis.stop();

      const file = join(dirA.path, 'backup.jsonl');
      const backup = runPaddock(['backup', '--out', file], { ...env, PADDOCK_DATA_DIR: dirA.path });
      expect(await backup.exited, backup.output()).to.equal(0);
      // Same keys as the Redis replica: the restored password hash and sealed keys must open
      // (a restore into a Paddock whose keys cannot open them is refused).
      await import('node:fs/promises').then((fs) =>
        fs.cp(join(dirA.path, 'keys'), join(dirB.path, 'keys'), { recursive: true }),
      );
      const restore = runPaddock(['restore', '--in', file], { PADDOCK_DATA_DIR: dirB.path });
      expect(await restore.exited, restore.output()).to.equal(0);
      const keysEnv = { PADDOCK_BOOTSTRAP_PASSWORD: 'a-different-password-that-must-not-apply' };
      const onEmbedded = await startPaddock({
        port: await freePort(),
        dataDir: dirB.path,
        env: keysEnv,
      });
      expect(onEmbedded.output()).to.contain('store: embedded');
      const again = await login(onEmbedded, { username: 'admin', password });
      expect(again.status, again.body).to.equal(200);
      await onEmbedded.stop();
    } finally {
      await redis.stop();
      await dirA.remove();
      await dirB.remove();
    }
  });

  it('refuses a restore from a damaged file and leaves the store as it was', async () => {
    const dir = await makeTempDir('restore-bad');
    try {
      const file = join(dir.path, 'bad.jsonl');
      await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"not":"a backup"}\n'));
      const run = runPaddock(['restore', '--in', file], { PADDOCK_DATA_DIR: dir.path });
      expect(await run.exited).to.equal(1);
      expect(run.output()).to.contain('line 1');
    } finally {
      await dir.remove();
    }
  });
});
