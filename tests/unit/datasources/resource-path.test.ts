import { expect } from 'chai';
import { parseApiVersion } from '../../../src/datasources/kube-api/resource-path.js';

describe('parseApiVersion', () => {
  it('splits group and version, the core group being empty', () => {
    expect(parseApiVersion('apps/v1')).to.deep.equal({ group: 'apps', version: 'v1' });
    expect(parseApiVersion('v1')).to.deep.equal({ group: '', version: 'v1' });
    expect(parseApiVersion('networking.k8s.io/v1beta1')).to.deep.equal({
      group: 'networking.k8s.io',
      version: 'v1beta1',
    });
  });

  it('refuses anything that would walk to another API path, naming the field', () => {
    for (const bad of [
      '../../api/v1',
      'apps/../v1',
      'v1/../..',
      'apps/v1?watch=1',
      'apps/v1/x',
      '',
    ]) {
      expect(() => parseApiVersion(bad), bad).to.throw(/^apiVersion: .* is not an apiVersion$/);
    }
  });
});
