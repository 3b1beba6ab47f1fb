import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import {
  decodeRelease,
  releaseLabelsOf,
  resourcesOf,
} from '../../../src/apps/releases/release-codec.js';
import type { KubeObject } from '../../../src/domain/kube-api.js';

function releaseSecret(release: object, labels: Record<string, string>): KubeObject {
  // What Helm's Secret driver writes: base64(gzip(json)), inside the Secret's own base64.
  const inner = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: { name: 'sh.helm.release.v1.web.v2', namespace: 'shop', labels },
    data: { release: Buffer.from(inner).toString('base64') },
  };
}

describe("Helm's release records", () => {
  const release = {
    name: 'web',
    namespace: 'shop',
    version: 2,
    info: { status: 'deployed', notes: 'hi', last_deployed: '2026-01-02T03:04:05Z' },
    chart: { metadata: { name: 'hello', version: '1.0.0', appVersion: '1.0.0' } },
    config: { replicaCount: 2 },
    manifest:
      '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: other\n',
  };

  it('decodes a release Secret as the Secret driver writes it', () => {
    const secret = releaseSecret(release, {
      owner: 'helm',
      name: 'web',
      version: '2',
      status: 'deployed',
    });
    expect(releaseLabelsOf(secret)).to.deep.include({
      name: 'web',
      namespace: 'shop',
      revision: 2,
      status: 'deployed',
    });
    const decoded = decodeRelease(secret);
    expect(decoded.config).to.deep.equal({ replicaCount: 2 });
    expect(decoded.chart.metadata.version).to.equal('1.0.0');
  });

  it('ignores Secrets that are not Helm release records', () => {
    const plain = releaseSecret(release, { name: 'web', version: '2' });
    expect(releaseLabelsOf(plain)).to.equal(undefined);
  });

  it('refuses a damaged record with a clear error rather than a crash', () => {
    const secret = releaseSecret(release, { owner: 'helm', name: 'web', version: '2' });
    (secret.data as Record<string, string>).release =
      Buffer.from('not base64 gzip').toString('base64');
    expect(() => decodeRelease(secret)).to.throw(/cannot be read/);
  });

  it('lists the objects a release manifest declares', () => {
    expect(resourcesOf(release.manifest, 'shop')).to.deep.equal([
      { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'other' },
    ]);
  });
});
