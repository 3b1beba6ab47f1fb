import { expect } from 'chai';
import { PaddockError } from '../../../src/errors/index.js';
import { createRedirectProvider } from '../../../src/identity/oauth/index.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';

const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 3));

describe('createRedirectProvider', () => {
  it('builds the provider named by the config', () => {
    const github = createRedirectProvider(
      'github',
      { clientId: 'a', clientSecret: 'b' },
      { secretBox },
    );
    expect(github.name).to.equal('github');
    const oidc = createRedirectProvider(
      'oidc',
      { issuerUrl: 'https://idp.example.com', clientId: 'a' },
      { secretBox },
    );
    expect(oidc.name).to.equal('oidc');
  });

  it('refuses an incomplete configuration with CONFIG_INVALID naming the field', () => {
    try {
      createRedirectProvider('github', { clientId: 'a' }, { secretBox });
      expect.fail('expected CONFIG_INVALID');
    } catch (error) {
      expect(error).to.be.instanceOf(PaddockError);
      expect((error as PaddockError).code).to.equal('CONFIG_INVALID');
      expect((error as PaddockError).message).to.contain('clientSecret');
    }
  });
});
