import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { runPaddock, startPaddock } from '../../support/paddock-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('paddock serve', () => {
  it('serves /healthz over HTTPS with the embedded store and reuses its CA after a restart', async () => {
    const dir = await makeTempDir('serve');
    try {
      const port = await freePort();
      const first = await startPaddock({ port, dataDir: dir.path });
      const ready = await fetchText(`${first.url}/readyz`, { ca: first.caPem });
      expect(ready.status).to.equal(200);
      expect(await first.stop()).to.equal(0);

      const second = await startPaddock({ port, dataDir: dir.path });
      expect(second.caPem).to.equal(first.caPem);
      const res = await fetchText(`${second.url}/healthz`, { ca: first.caPem });
      expect(res.status).to.equal(200);
      expect(await second.stop()).to.equal(0);
      expect(await readFile(join(dir.path, 'tls', 'ca.crt'), 'utf8')).to.equal(first.caPem);
    } finally {
      await dir.remove();
    }
  });

  it('serves plain HTTP only when PADDOCK_INSECURE_HTTP is set', async () => {
    const dir = await makeTempDir('serve');
    try {
      const port = await freePort();
      const paddock = await startPaddock({
        port,
        dataDir: dir.path,
        env: { PADDOCK_INSECURE_HTTP: 'true' },
      });
      const res = await fetchText(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).to.equal(200);
      expect(await paddock.stop()).to.equal(0);
    } finally {
      await dir.remove();
    }
  });

  it('exits with status 2 and names the key for a bad configuration value', async () => {
    const run = runPaddock(['serve'], { PADDOCK_PORT: 'eighty' });
    expect(await run.exited).to.equal(2);
    expect(run.output()).to.contain('PADDOCK_PORT').and.to.contain('expected an integer');
  });

  it('lists every setting on --help', async () => {
    const run = runPaddock(['serve', '--help'], {});
    expect(await run.exited).to.equal(0);
    expect(run.output()).to.contain('PADDOCK_REDIS_URL').and.to.contain('PADDOCK_INSECURE_HTTP');
  });

  it('refuses an unknown command with status 2', async () => {
    const run = runPaddock(['sevre'], {});
    expect(await run.exited).to.equal(2);
    expect(run.output()).to.contain("unknown command 'sevre'");
  });
});
