import { X509Certificate } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { AesGcmSecretBox } from '../../../src/identity/index.js';
import {
  createHttpMetrics,
  createLogger,
  createPaddockServer,
  healthRoutes,
  loadServingTls,
  servingCaCollection,
} from '../../../src/server/index.js';
import { fetchText } from '../../support/http-client.js';
import { MemoryStore } from '../../support/memory-store.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('loadServingTls', () => {
  it('generates a CA and serving certificate with 0600 keys and reuses them on restart', async () => {
    const dir = await makeTempDir('tls');
    try {
      const first = await loadServingTls({ dataDir: dir.path });
      const second = await loadServingTls({ dataDir: dir.path });
      expect(first.origin).to.equal('generated');
      expect(second.caPem).to.equal(first.caPem);
      expect(second.certPem).to.equal(first.certPem);
      for (const name of ['ca.key', 'serving.key']) {
        const mode = (await stat(join(dir.path, 'tls', name))).mode & 0o777;
        expect(mode, name).to.equal(0o600);
      }
      const ca = new X509Certificate(first.caPem!);
      const leaf = new X509Certificate(first.certPem);
      expect(ca.ca).to.equal(true);
      expect(leaf.verify(ca.publicKey)).to.equal(true);
      expect(leaf.subjectAltName)
        .to.contain('DNS:localhost')
        .and.to.contain('IP Address:127.0.0.1');
    } finally {
      await dir.remove();
    }
  });

  it('shares one CA between replicas through the store, each serving a certificate it issued', async () => {
    const store = new MemoryStore();
    const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 4));
    const [a, b] = [await makeTempDir('tls-a'), await makeTempDir('tls-b')];
    try {
      const first = await loadServingTls({ dataDir: a.path, shared: { store, secretBox } });
      const second = await loadServingTls({ dataDir: b.path, shared: { store, secretBox } });
      expect(second.caPem).to.equal(first.caPem);
      const ca = new X509Certificate(first.caPem!);
      expect(new X509Certificate(second.certPem).verify(ca.publicKey)).to.equal(true);
      const stored = await store.collection(servingCaCollection).get('ca');
      expect(JSON.stringify(stored?.value)).to.not.contain('PRIVATE KEY');
    } finally {
      await a.remove();
      await b.remove();
    }
  });

  it('puts the CA already in the data directory into an empty store, so earlier kubeconfigs keep working', async () => {
    const store = new MemoryStore();
    const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 4));
    const [a, b] = [await makeTempDir('tls-a'), await makeTempDir('tls-b')];
    try {
      const before = await loadServingTls({ dataDir: a.path });
      const after = await loadServingTls({ dataDir: a.path, shared: { store, secretBox } });
      expect(after.caPem).to.equal(before.caPem);
      expect(after.certPem).to.equal(before.certPem);
      // A replica with a CA of its own adopts the shared one and reissues its certificate.
      const own = await loadServingTls({ dataDir: b.path });
      const adopted = await loadServingTls({ dataDir: b.path, shared: { store, secretBox } });
      expect(adopted.caPem).to.equal(before.caPem).and.not.equal(own.caPem);
      const ca = new X509Certificate(before.caPem!);
      expect(new X509Certificate(adopted.certPem).verify(ca.publicKey)).to.equal(true);
    } finally {
      await a.remove();
      await b.remove();
    }
  });

  it('keeps its own CA when the store holds one its encryption key cannot open', async () => {
    const store = new MemoryStore();
    const [a, b] = [await makeTempDir('tls-a'), await makeTempDir('tls-b')];
    try {
      const right = new AesGcmSecretBox(Buffer.alloc(32, 4));
      const wrong = new AesGcmSecretBox(Buffer.alloc(32, 5));
      const first = await loadServingTls({ dataDir: a.path, shared: { store, secretBox: right } });
      const other = await loadServingTls({ dataDir: b.path, shared: { store, secretBox: wrong } });
      expect(other.caPem).to.not.equal(first.caPem);
      expect(other.origin).to.equal('generated');
    } finally {
      await a.remove();
      await b.remove();
    }
  });

  it('serves HTTPS that a client trusting only the generated CA accepts', async () => {
    const dir = await makeTempDir('tls');
    const tls = await loadServingTls({ dataDir: dir.path });
    const metrics = createHttpMetrics();
    const server = createPaddockServer({
      routes: healthRoutes([]),
      logger: createLogger({ level: 'silent' }),
      metrics,
      tls,
    });
    try {
      const { port } = await server.listen(0, '127.0.0.1');
      const res = await fetchText(`https://localhost:${port}/healthz`, { ca: tls.caPem });
      expect(res.status).to.equal(200);
      const untrusted = await fetchText(`https://localhost:${port}/healthz`).catch(
        (err: NodeJS.ErrnoException) => err.code,
      );
      expect(untrusted).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await server.shutdown(100);
      await dir.remove();
    }
  });

  it('uses a configured certificate instead of generating one', async () => {
    const dir = await makeTempDir('tls');
    try {
      const generated = await loadServingTls({ dataDir: dir.path });
      const configured = await loadServingTls({
        dataDir: join(dir.path, 'other'),
        certFile: join(dir.path, 'tls', 'serving.crt'),
        keyFile: join(dir.path, 'tls', 'serving.key'),
      });
      expect(configured.origin).to.equal('configured');
      expect(configured.certPem).to.equal(generated.certPem);
      expect(configured.caPem).to.equal(undefined);
    } finally {
      await dir.remove();
    }
  });

  it('names the setting when a configured certificate file is unreadable', async () => {
    const err = await loadServingTls({
      dataDir: '/nonexistent',
      certFile: '/nonexistent/c.pem',
      keyFile: '/nonexistent/k.pem',
    }).catch((e: Error) => e);
    expect(String(err)).to.contain('PADDOCK_TLS_CERT_FILE');
  });
});
