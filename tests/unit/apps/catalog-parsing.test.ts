import { expect } from 'chai';
import { caBundle, catalogName, catalogUrl } from '../../../src/apps/catalogs/catalog-input.js';
import { chartsOfIndex } from '../../../src/apps/catalogs/http-index.js';
import { parseOciUrl } from '../../../src/apps/catalogs/oci-registry.js';

describe('catalog input and repository formats', () => {
  it('tells HTTP repositories from OCI registries and refuses what is neither', () => {
    expect(catalogUrl('https://charts.example.com/stable/', false)).to.deep.equal({
      kind: 'http',
      url: 'https://charts.example.com/stable',
    });
    expect(catalogUrl('oci://ghcr.io/acme/charts', false)).to.deep.equal({
      kind: 'oci',
      url: 'oci://ghcr.io/acme/charts',
    });
    expect(() => catalogUrl('ftp://x', false)).to.throw(/^url:/);
    expect(() => catalogUrl('https://user:pw@x.example.com', false)).to.throw(/credentials/);
    expect(() => catalogUrl('http://x.example.com', true)).to.throw(/only sent over https/);
    expect(() => catalogUrl('http://169.254.169.254/latest', false)).to.throw(/link-local/);
  });

  it('takes DNS labels as names and PEM certificates as a CA', () => {
    expect(catalogName('my-charts')).to.equal('my-charts');
    expect(() => catalogName('My Charts')).to.throw(/^name:/);
    expect(() => caBundle('hello')).to.throw(/^caPem:/);
  });

  it('reads index.yaml entries newest first, with category and digest', () => {
    const charts = chartsOfIndex({
      apiVersion: 'v1',
      entries: {
        web: [
          { name: 'web', version: '1.2.0-rc.1', urls: ['web-1.2.0-rc.1.tgz'] },
          {
            name: 'web',
            version: '1.10.0',
            digest: 'ab12',
            urls: ['web-1.10.0.tgz'],
            annotations: { category: 'WebApp' },
          },
          { name: 'web', version: '1.9.0', urls: ['web-1.9.0.tgz'], deprecated: true },
        ],
      },
    });
    expect(charts[0]?.versions.map((v) => v.version)).to.deep.equal([
      '1.10.0',
      '1.9.0',
      '1.2.0-rc.1',
    ]);
    expect(charts[0]?.versions[0]).to.deep.include({ digest: 'sha256:ab12', category: 'WebApp' });
    expect(() => chartsOfIndex({ apiVersion: 'v1' })).to.throw(/no entries/);
  });

  it('speaks plain HTTP to a loopback registry, as Helm does, and HTTPS to any other', () => {
    expect(parseOciUrl('oci://127.0.0.1:5000/charts')).to.deep.equal({
      registry: 'http://127.0.0.1:5000',
      path: 'charts',
    });
    expect(parseOciUrl('oci://ghcr.io/acme/charts')).to.deep.equal({
      registry: 'https://ghcr.io',
      path: 'acme/charts',
    });
  });
});
