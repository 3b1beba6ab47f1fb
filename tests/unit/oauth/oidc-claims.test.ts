import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { PaddockError } from '../../../src/errors/index.js';
import {
  groupNames,
  mergeClaims,
  oidcIssuerHash,
  oidcUserPrincipal,
  parseOidcConfig,
  readClaim,
  subOfPrincipalId,
} from '../../../src/identity/oauth/index.js';

const names = {
  username: 'preferred_username',
  email: 'email',
  groups: 'groups',
  displayName: 'name',
};

describe('OIDC claims', () => {
  it('hashes the issuer to the first 16 hex digits of its SHA-256', () => {
    const issuer = 'https://idp.example.com/realms/main';
    expect(oidcIssuerHash(issuer)).to.equal(
      createHash('sha256').update(issuer).digest('hex').slice(0, 16),
    );
  });

  it('keys users by issuer hash and sub, and finds the sub again only for the same issuer', () => {
    const user = oidcUserPrincipal(
      'https://a.example',
      'auth0|42',
      { preferred_username: 'al' },
      names,
    );
    expect(user.id).to.equal(`oidc_user://${oidcIssuerHash('https://a.example')}/auth0|42`);
    expect(subOfPrincipalId('https://a.example', user.id)).to.equal('auth0|42');
    expect(subOfPrincipalId('https://b.example', user.id)).to.equal(undefined);
  });

  it('prefers a claim named with dots over a nested path of the same spelling', () => {
    const claims = { 'https://example.com/groups': ['a'], realm_access: { roles: ['r1'] } };
    expect(readClaim(claims, 'https://example.com/groups')).to.deep.equal(['a']);
    expect(readClaim(claims, 'realm_access.roles')).to.deep.equal(['r1']);
    expect(readClaim(claims, 'realm_access.missing')).to.equal(undefined);
  });

  it('accepts a groups claim holding one string, drops non-strings, empties and duplicates', () => {
    expect(groupNames({ groups: 'admins' }, 'groups')).to.deep.equal(['admins']);
    expect(groupNames({ groups: ['a', 3, '', 'a', null, 'b'] }, 'groups')).to.deep.equal([
      'a',
      'b',
    ]);
    expect(groupNames({}, 'groups')).to.deep.equal([]);
  });

  it('lets userinfo refresh claims but never replace the ID token sub', () => {
    const merged = mergeClaims(
      { sub: 'one', iss: 'https://a.example', groups: ['old'] },
      { sub: 'two', groups: ['new'], email: 'x@example.com' },
    );
    expect(merged).to.deep.equal({
      sub: 'one',
      iss: 'https://a.example',
      groups: ['new'],
      email: 'x@example.com',
    });
  });

  it('requires the openid scope and an https issuer', () => {
    const base = { issuerUrl: 'https://idp.example.com', clientId: 'c' };
    expect(parseOidcConfig(base).scopes).to.include('openid');
    expect(() => parseOidcConfig({ ...base, scopes: ['profile'] })).to.throw(PaddockError);
    expect(() => parseOidcConfig({ ...base, issuerUrl: 'http://idp.example.com' })).to.throw(
      PaddockError,
      /https/,
    );
  });
});
