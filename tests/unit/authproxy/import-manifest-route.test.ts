import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createImportManifestRoute } from '../../../src/authproxy/import-manifest-route.js';
import { renderImportManifest } from '../../../src/datasources/import-manifest.js';
import { PaddockError } from '../../../src/errors/index.js';
import { createHttpMetrics } from '../../../src/server/http-metrics.js';
import { createPaddockServer, type PaddockServer } from '../../../src/server/paddock-server.js';
import { fetchText } from '../../support/http-client.js';
import { createTestLogger } from '../datasources/support/test-logger.js';
import { identity, MapAuthenticator } from './support/map-authenticator.js';

describe('GET /v1/import/{clusterId}.yaml', () => {
  let server: PaddockServer;
  let base: string;
  let allowed = true;

  before(async () => {
    const auth = new MapAuthenticator();
    auth.tokens.set('alice', identity('u-alice'));
    const route = createImportManifestRoute({
      authenticator: auth,
      manifests: {
        async importManifest(id) {
          if (id !== 'c-1') throw new PaddockError('NOT_FOUND', `cluster ${id} not found`);
          return renderImportManifest(id);
        },
      },
      authorize: () => allowed,
    });
    server = createPaddockServer({
      routes: [route],
      logger: createTestLogger(),
      metrics: createHttpMetrics(),
    });
    const address: AddressInfo = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
  });
  after(async () => {
    await server.shutdown(100);
  });

  const get = (path: string, token?: string) =>
    fetchText(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('serves the manifest of a registered cluster as YAML', async () => {
    allowed = true;
    const res = await get('/v1/import/c-1.yaml', 'alice');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/yaml/);
    expect(res.body).to.equal(renderImportManifest('c-1'));
  });

  it('requires a signed-in caller', async () => {
    expect((await get('/v1/import/c-1.yaml')).status).to.equal(401);
  });

  it('answers 403 when the caller may not import clusters', async () => {
    allowed = false;
    expect((await get('/v1/import/c-1.yaml', 'alice')).status).to.equal(403);
    allowed = true;
  });

  it('answers 404 for an unknown cluster or a malformed path', async () => {
    expect((await get('/v1/import/c-2.yaml', 'alice')).status).to.equal(404);
    expect((await get('/v1/import/../x.yaml', 'alice')).status).to.equal(404);
    expect((await get('/v1/import/c-1.json', 'alice')).status).to.equal(404);
  });
});
