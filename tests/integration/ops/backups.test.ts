import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { readBackupFile } from '../../../src/store/index.js';
import { freePort } from '../../support/free-port.js';
import { runPaddock } from '../../support/paddock-process.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { opsFixture, startReplica } from './support/served-paddock.js';

const PASSPHRASE = 'correct horse battery staple';

/** Runs a `paddock` command to its end. */
async function paddock(args: string[], env: Record<string, string>) {
  const run = runPaddock(args, env);
  const code = await run.exited;
  return { code, output: run.output() };
}

describe('backups', function () {
  this.timeout(120_000);

  it('carry the server keys sealed under a passphrase; a restore without them says so before writing, one with them brings logins and API keys back', async () => {
    const fx = await opsFixture('backup-keys');
    try {
      const dirA = join(fx.dir, 'a');
      const dirB = join(fx.dir, 'b');
      const a = await startReplica({ name: 'a', dir: fx.dir, env: { PADDOCK_DATA_DIR: dirA } });
      fx.track(() => a.process.stop());
      const token = await a.login();
      const created = await a.graphql(
        token,
        'mutation { createApiKey(input: { description: "survives a restore" }) { token } }',
      );
      const apiKey = (created.data?.createApiKey as { token: string } | undefined)?.token ?? '';
      expect(apiKey).to.match(/^pdk_/);
      await a.process.stop();

      const file = join(fx.dir, 'with-keys.jsonl');
      const made = await paddock(['backup', '--out', file, '--keys'], {
        PADDOCK_DATA_DIR: dirA,
        PADDOCK_BACKUP_PASSPHRASE: PASSPHRASE,
      });
      expect(made.code, made.output).to.equal(0);
      expect(made.output).to.contain('and the server keys (sealed under the passphrase)');
      const text = await readFile(file, 'utf8');
      for (const name of ['encryption.key', 'api-key-pepper.key']) {
        const key = (await readFile(join(dirA, 'keys', name), 'utf8')).trim();
        expect(text, `${name} in clear`).to.not.contain(key);
      }
      expect((await readBackupFile(file)).header.keys).to.include({ kdf: 'scrypt' });

      // Into a new data directory without the keys: refused, and nothing written.
      const bare = await paddock(['restore', '--in', file], { PADDOCK_DATA_DIR: dirB });
      expect(bare.code).to.equal(1);
      expect(bare.output.trim().split('\n')).to.have.length(1);
      expect(bare.output).to.contain('sealed under another encryption key');
      expect(bare.output).to.contain('restore it with --keys');
      const empty = await paddock(['backup', '--out', join(fx.dir, 'b-empty.jsonl')], {
        PADDOCK_DATA_DIR: dirB,
      });
      expect(empty.output).to.contain('wrote 0 records');

      const wrong = await paddock(['restore', '--in', file, '--keys'], {
        PADDOCK_DATA_DIR: dirB,
        PADDOCK_BACKUP_PASSPHRASE: 'not the right passphrase',
      });
      expect(wrong.code).to.equal(1);
      expect(wrong.output).to.contain('the passphrase does not open the keys');

      const restored = await paddock(['restore', '--in', file, '--keys'], {
        PADDOCK_DATA_DIR: dirB,
        PADDOCK_BACKUP_PASSPHRASE: PASSPHRASE,
      });
      expect(restored.code, restored.output).to.equal(0);
      expect(restored.output).to.contain('restored the key in');

      const b = await startReplica({
        name: 'b',
        dir: fx.dir,
        env: {
          PADDOCK_DATA_DIR: dirB,
          PADDOCK_BOOTSTRAP_PASSWORD: 'another-password-which-must-not-apply',
        },
      });
      fx.track(() => b.process.stop());
      const again = await b.login();
      expect(again).to.be.a('string');
      const me = await b.graphql(apiKey, '{ me { username } }');
      expect(me.data?.me, JSON.stringify(me)).to.deep.equal({ username: 'admin' });
    } finally {
      await fx.stop();
    }
  });

  it('says in one line, without a stack trace, that Redis is down or that the TLS key does not fit its certificate', async () => {
    const fx = await opsFixture('one-line');
    try {
      const down = await paddock(['backup', '--out', join(fx.dir, 'x.jsonl')], {
        PADDOCK_DATA_DIR: fx.dir,
        PADDOCK_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      });
      expect(down.code).to.equal(1);
      expect(down.output.trim().split('\n'), down.output).to.have.length(1);
      expect(down.output).to.match(/^paddock: backup failed: Cannot connect to Redis at redis:/);
      expect(down.output).to.not.match(/\n\s+at /);

      const ca = await createTestCa(fx.dir, 'tls');
      const one = await ca.issueServerCert('one', { dns: ['localhost'] });
      const two = await ca.issueServerCert('two', { dns: ['localhost'] });
      const serve = await paddock(['serve'], {
        PADDOCK_DATA_DIR: join(fx.dir, 'data'),
        PADDOCK_PORT: String(await freePort()),
        PADDOCK_LOG_LEVEL: 'fatal',
        PADDOCK_TLS_CERT_FILE: one.certPath,
        PADDOCK_TLS_KEY_FILE: two.keyPath,
      });
      expect(serve.code, serve.output).to.equal(2);
      const stderrLine = serve.output
        .split('\n')
        .filter((l) => l.startsWith('paddock:'))
        .join('\n');
      expect(stderrLine).to.equal(
        `paddock: cannot start: PADDOCK_TLS_KEY_FILE: ${two.keyPath} is not the private key of the certificate in PADDOCK_TLS_CERT_FILE (${one.certPath})`,
      );
      expect(serve.output).to.not.match(/\n\s+at /);
    } finally {
      await fx.stop();
    }
  });

  it('are written on a schedule by one replica, with the keys when a passphrase is set, and old ones are deleted', async () => {
    const fx = await opsFixture('scheduled');
    try {
      const backups = join(fx.dir, 'backups');
      const replica = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: {
          PADDOCK_BACKUP_EVERY: '1s',
          PADDOCK_BACKUP_KEEP: '3s',
          PADDOCK_BACKUP_DIR: backups,
          PADDOCK_BACKUP_PASSPHRASE: PASSPHRASE,
        },
      });
      fx.track(() => replica.process.stop());
      // Dot files are backups still being written (renamed into place when complete).
      const list = async () =>
        (await readdir(backups).catch(() => [] as string[]))
          .filter((name) => !name.startsWith('.'))
          .sort();
      const first = await waitFor('a first scheduled backup', async () => (await list())[0]);
      await waitFor(
        'the first backup deleted once older than 3 s, newer ones kept',
        async () => {
          const names = await list();
          return !names.includes(first) && names.length >= 2 ? names : undefined;
        },
        { timeoutMs: 15_000 },
      );
      const names = await list();
      expect(names.length, names.join(', ')).to.be.at.most(5);
      for (const name of names) expect(name).to.match(/^paddock-backup-\d{8}T\d{9}Z\.jsonl$/);
      const newest = await readBackupFile(join(backups, names.at(-1) ?? ''));
      expect(newest.header.keys).to.not.equal(undefined);
      expect(newest.records.some((r) => r.collection === 'users')).to.equal(true);
    } finally {
      await fx.stop();
    }
  });
});
